"""Who is asking: the member behind the session cookie, signing in and out.

Everything else in `web/` asks `current_member(request)`. The cookie holds a random
session token; the session lives in the database (see `incubator.identity`), so
ending it there ends it for every worker process at once. The cookie is HttpOnly
and SameSite=Lax, and over https also Secure with the `__Host-` prefix (no other
site or subdomain can set or read it).

Signing someone in from elsewhere (e.g. OpenID Connect), in a worker thread:
`member_id = identity(request).register_external(issuer, sub, name)` (idempotent,
race-free), then `sign_in(request, response, MemberView(member_id, name))`.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from incubator.identity import Identity
from projections.member_views import SignedInMember
from projections.views import MemberView

COOKIE = "incubator_session"
SECURE_COOKIE = "__Host-" + COOKIE
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def identity(request: Request) -> Identity:
    return Identity(request.state.services)


def cookie_name(request: Request) -> str:
    return SECURE_COOKIE if request.url.scheme == "https" else COOKIE


def session_token(request: Request) -> str:
    return request.cookies.get(cookie_name(request)) or ""


def current_member(request: Request) -> SignedInMember | None:
    """The signed-in member with their roles, or None. Looked up once per request
    (the access guard does it off the event loop before the route runs)."""
    if "member" not in request.scope:
        request.scope["member"] = _lookup(request)
    member: SignedInMember | None = request.scope["member"]
    return member


async def load_member(request: Request) -> SignedInMember | None:
    if "member" not in request.scope:
        request.scope["member"] = await run_in_threadpool(_lookup, request)
    return current_member(request)


def _lookup(request: Request) -> SignedInMember | None:
    token = session_token(request)
    return identity(request).session_member(token) if token else None


def sign_in(request: Request, response: Response, member: MemberView) -> None:
    """Start a new session for `member` (blocking: call it from a worker thread).
    Any session this browser had ends: a fresh token at every sign-in."""
    if old := session_token(request):
        identity(request).end_session(old)
    token = identity(request).start_session(member.id)
    max_age = int(request.state.services.settings.session_absolute_hours * 3600)
    response.set_cookie(cookie_name(request), token, max_age=max_age, path="/",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")


def sign_out(request: Request, response: Response) -> None:
    """End this browser's session (blocking: call it from a worker thread)."""
    if token := session_token(request):
        identity(request).end_session(token)
    response.delete_cookie(cookie_name(request), path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")


def csrf_token(request: Request) -> str:
    """This session's CSRF token (empty without a session); no database needed."""
    token = session_token(request)
    return identity(request).csrf_token(token) if token else ""


def template_context(request: Request) -> dict[str, Any]:
    """What every template gets: the CSRF token for forms, and whether this is a demo."""
    services = getattr(request.state, "services", None)
    if services is None:
        return {"csrf_token": "", "demo": False}  # -- no session, so no token  # nosec B105
    return {"csrf_token": csrf_token(request), "demo": services.settings.demo,
            # Where the read model was as the page was read: a live stream sends
            # what changed since (web/live.py).
            "live_since": services.runner.position}
