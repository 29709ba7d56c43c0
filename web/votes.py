"""Casting and withdrawing a vote: an htmx fragment, or a redirect without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from domain.proposal import ProposalClosedError
from incubator.application import ProposalNotFoundError, Written
from web.ideas import detail_context, find_proposal
from web.requests import (
    command,
    local_url,
    path_id,
    query,
    require_member,
    see_other,
    services,
)
from web.templating import is_htmx, render, templates


async def proposal_vote(request: Request) -> Response:
    return await _change_vote(request, lambda app: app.cast_vote)


async def proposal_unvote(request: Request) -> Response:
    return await _change_vote(request, lambda app: app.withdraw_vote)


async def _change_vote(
    request: Request, pick: Callable[..., Callable[[UUID, UUID], Written]]
) -> Response:
    proposal_id = path_id(request, "proposal_id")
    member = require_member(request)
    if isinstance(member, Response):
        return member
    form = await request.form()
    error = ""
    try:
        await command(request, pick(services(request).app), proposal_id, member.id)
    except ProposalNotFoundError:
        await find_proposal(request, proposal_id)  # raises the 404 page
    except ProposalClosedError as closed:
        error = str(closed)
    next_url = local_url(str(form.get("next") or ""), f"/ideas/{proposal_id}")
    if is_htmx(request):  # just the widget: the idea and whether the member votes for it
        context = {
            "proposal": await find_proposal(request, proposal_id), "next": next_url,
            "voted": await query(services(request).read_model.has_voted, proposal_id, member.id),
            "vote_error": error,
        }
        return templates.TemplateResponse(
            request, "ideas/_vote.html", context, status_code=409 if error else 200
        )
    if error:
        context = await detail_context(request, proposal_id, vote_error=error)
        return render(request, "ideas/detail.html", context, status_code=409)
    return see_other(request, next_url)
