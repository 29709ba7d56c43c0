"""`incubator worker`'s Prometheus endpoint: a small HTTP server of its own (the worker
serves no pages), at `INCUBATOR_WORKER_METRICS_ADDRESS`, behind the same bearer token
as the web processes' `/metrics` (`INCUBATOR_METRICS_TOKEN`; none set: no endpoint).

It answers `GET /metrics` with this process's counters (`incubator_job_runs_total`,
`incubator_job_active`) and the database's figures (`incubator_projection_lag_events`
per projection, `incubator_events_written_total`, `incubator_database_up`).
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from incubator.metrics import exposition

if TYPE_CHECKING:
    from incubator.bootstrap import Services

log = logging.getLogger(__name__)


def parse_address(address: str) -> tuple[str, int]:
    """'HOST:PORT' (or ':PORT' for every interface) -> (host, port)."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise ValueError(f"INCUBATOR_WORKER_METRICS_ADDRESS needs HOST:PORT, not {address!r}")
    return host.strip("[]") or "0.0.0.0", int(port)  # noqa: S104 -- an address of ":PORT" asks for it  # nosec B104


def serve_metrics(services: Services) -> Callable[[], None]:
    """Start the endpoint if a token is set; return what stops it."""
    token = services.settings.metrics_token
    if not token:
        return lambda: None
    expected = f"Bearer {token}".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            given = self.headers.get("Authorization", "").encode()
            if self.path.split("?")[0] != "/metrics":
                self._answer(404, b"Not Found")
            elif not hmac.compare_digest(given, expected):
                self._answer(401, b"A bearer token is needed.",
                             {"WWW-Authenticate": 'Bearer realm="metrics"'})
            else:
                self._answer(200, exposition(services),
                             {"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})

        def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in {"Content-Type": "text/plain", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # scrapes are not worth a log line each

    server = ThreadingHTTPServer(parse_address(services.settings.worker_metrics_address),
                                 Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    log.info("Worker metrics on http://%s:%s/metrics", host, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
