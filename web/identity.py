"""Demo sign-in: pick one of the seeded members. Clearly not real authentication.

Everything else in `web/` asks only `current_member(request)`; the real identity
system replaces the bodies of these functions and the sign-in page. The signed
cookie carries the member's id and name, so no request queries the database to
know who is asking.
"""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from projections.views import MemberView

COOKIE = "incubator_member"


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.state.services.secret_key, salt="demo-sign-in")


def current_member(request: Request) -> MemberView | None:
    if "member" not in request.scope:
        request.scope["member"] = _member_from_cookie(request)
    member: MemberView | None = request.scope["member"]
    return member


def _member_from_cookie(request: Request) -> MemberView | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        member_id, display_name = _serializer(request).loads(token)
        return MemberView(UUID(member_id), str(display_name))
    except (BadSignature, ValueError, TypeError):
        return None


def sign_in(request: Request, response: Response, member: MemberView) -> None:
    token = _serializer(request).dumps([str(member.id), member.display_name])
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=30 * 86_400,
                        secure=request.url.scheme == "https")


def sign_out(response: Response) -> None:
    response.delete_cookie(COOKIE)
