"""Request ids, JSON access lines and latency metrics; the `/metrics` endpoint."""

from __future__ import annotations

import hmac
import logging
import re
import time
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from incubator.logs import request_id
from incubator.metrics import REQUEST_SECONDS, exposition
from web.requests import services

log = logging.getLogger("incubator.access")

# A caller's id is kept only if it is short and plain, so it is safe in logs.
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class Observability:
    """Give each request an id (the caller's `X-Request-ID`, or a new one), echo it,
    time the request by route template and log one line when it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _GOOD_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            request_id.reset(token)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        """Called while the request id is still set, so the line carries it."""
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        REQUEST_SECONDS.labels(scope["method"], route, str(status)).observe(seconds)
        client = scope.get("client") or ("", 0)
        log.info("%s %s %s", scope["method"], scope["path"], status, extra={
            "method": scope["method"], "path": scope["path"], "route": route,
            "status": status, "duration_ms": round(seconds * 1000, 2), "client": client[0],
            "request_id": request_id.get()})


async def metrics(request: Request) -> Response:
    """Prometheus text format, for a scraper holding the configured bearer token;
    without a configured token the endpoint does not exist."""
    token = services(request).settings.metrics_token
    if not token:
        return Response("Not Found", status_code=404, media_type="text/plain")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response("A bearer token is needed.", status_code=401, media_type="text/plain",
                        headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    body = await run_in_threadpool(exposition, services(request))
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8",
                    headers={"Cache-Control": "no-store"})
