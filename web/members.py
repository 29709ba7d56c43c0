"""The demo sign-in page: choose a seeded member. Replaced by real identity later."""

from __future__ import annotations

from uuid import UUID

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from incubator.rate_limits import SIGN_IN_IP
from web import rate_limiting
from web.identity import sign_in, sign_out
from web.requests import local_url, query, services
from web.templating import render


async def member_sign_in(request: Request) -> Response:
    next_url = local_url(request.query_params.get("next"), "/")
    return await _page(request, next_url, "")


async def member_sign_in_submit(request: Request) -> Response:
    form = await request.form()
    next_url = local_url(str(form.get("next") or ""), "/")
    verdict = await rate_limiting.hit(request, SIGN_IN_IP, rate_limiting.client_ip(request))
    if not verdict.allowed:
        page = await _page(request, next_url, rate_limiting.message(SIGN_IN_IP, verdict),
                           chosen=str(form.get("member_id") or ""))
        return rate_limiting.refused(page, verdict)
    try:
        member_id = UUID(str(form.get("member_id") or ""))
    except ValueError:
        return await _page(request, next_url, "Choose a member to sign in as.", 422)
    member = await query(services(request).read_model.member, member_id)
    if member is None:
        return await _page(request, next_url, "That member does not exist.", 422)
    response = RedirectResponse(next_url, status_code=303)
    sign_in(request, response, member)
    return response


async def member_sign_out(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    sign_out(response)
    return response


async def _page(request: Request, next_url: str, error: str, status_code: int = 200,
                chosen: str = "") -> Response:
    members = await query(services(request).read_model.members)
    context = {"members": members, "next": next_url, "error": error, "chosen": chosen}
    return render(request, "members/sign_in.html", context, status_code=status_code)
