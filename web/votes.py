"""Casting and withdrawing a vote: an htmx fragment, or a redirect without JavaScript.

This is the hottest path of the app: a vote makes two worker-thread hops (the
command; then waiting for the read model and reading the new tally, in a waiting
thread, so that a request thread is free meanwhile), and the widget reads only
the tally.
"""

from __future__ import annotations

from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.proposal import ProposalClosedError
from incubator.application import ProposalNotFoundError
from incubator.bootstrap import Services
from incubator.rate_limits import VOTES, Verdict
from projections.views import VoteTally
from web import rate_limiting
from web.ideas import detail_context, no_such_idea
from web.identity import current_member
from web.requests import (
    local_url,
    page_of,
    path_id,
    read_after_write,
    require_member,
    see_other,
    services,
    write,
)
from web.templating import is_htmx, render, templates
from web.urls import url_for


async def proposal_vote(request: Request) -> Response:
    return await _change_vote(request, cast=True)


async def proposal_unvote(request: Request) -> Response:
    return await _change_vote(request, cast=False)


async def proposal_vote_widget(request: Request) -> Response:
    """The vote widget as it stands, for a page that follows it live."""
    proposal_id = path_id(request, "proposal_id")
    if not is_htmx(request):
        return see_other(request, str(url_for(request, "proposal_detail", proposal_id=proposal_id)))
    member = current_member(request)
    tally, voted = await run_in_threadpool(_standing, services(request), proposal_id,
                                           member.id if member else None)
    context = {"proposal": tally, "voted": voted, "vote_error": "", "next": page_of(request)}
    return templates.TemplateResponse(request, "ideas/_vote.html", context)


async def _change_vote(request: Request, cast: bool) -> Response:
    proposal_id = path_id(request, "proposal_id")
    member = require_member(request)
    if isinstance(member, Response):
        return member
    form = await request.form()
    next_url = local_url(str(form.get("next") or ""), f"/ideas/{proposal_id}")
    verdict = await rate_limiting.hit(request, VOTES, str(member.id))
    if not verdict.allowed:
        return await _refused(request, proposal_id, member.id, next_url, verdict)
    found = services(request)
    position, error = await write(request, _vote, found, proposal_id, member.id, cast)
    if error:
        tally, voted = await run_in_threadpool(_standing, found, proposal_id, member.id)
    else:
        tally, voted = await read_after_write(
            request, position, lambda: (_tally(found, proposal_id), cast))
    if is_htmx(request):
        context = {"proposal": tally, "voted": voted, "vote_error": error, "next": next_url,
                   "announced": not error}
        return templates.TemplateResponse(
            request, "ideas/_vote.html", context, status_code=409 if error else 200
        )
    if error:
        context = await detail_context(request, proposal_id, vote_error=error)
        return render(request, "ideas/detail.html", context, status_code=409)
    return see_other(request, next_url)


async def _refused(
    request: Request, proposal_id: UUID, member_id: UUID, next_url: str, verdict: Verdict
) -> Response:
    """The vote as it stands, with the reason it did not change."""
    error = rate_limiting.message(VOTES, verdict)
    if is_htmx(request):
        tally, voted = await run_in_threadpool(_standing, services(request), proposal_id,
                                               member_id)
        context = {"proposal": tally, "voted": voted, "vote_error": error, "next": next_url}
        response = templates.TemplateResponse(request, "ideas/_vote.html", context)
    else:
        context = await detail_context(request, proposal_id, vote_error=error)
        response = render(request, "ideas/detail.html", context)
    return rate_limiting.refused(response, verdict)


def _standing(
    services: Services, proposal_id: UUID, member_id: UUID | None
) -> tuple[VoteTally, bool]:
    tally = services.read_model.vote_tally(proposal_id)
    if tally is None:
        raise no_such_idea()
    voted = member_id is not None and services.read_model.has_voted(proposal_id, member_id)
    return tally, voted


def _vote(services: Services, proposal_id: UUID, member_id: UUID, cast: bool) -> tuple[int, str]:
    """Change the vote: the position to wait for, or why the vote can't change."""
    change = services.app.cast_vote if cast else services.app.withdraw_vote
    try:
        return change(proposal_id, member_id).position, ""
    except ProposalNotFoundError:
        raise no_such_idea() from None
    except ProposalClosedError as closed:
        return 0, str(closed)


def _tally(services: Services, proposal_id: UUID) -> VoteTally:
    tally = services.read_model.vote_tally(proposal_id)
    if tally is None:  # the idea exists (the command found it) but isn't projected yet
        raise HTTPException(503, "This idea is still being indexed; try again in a moment.")
    return tally
