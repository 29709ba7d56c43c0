"""An idea's page, the submit form and the idea's history."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.comment import EDIT_WINDOW
from domain.proposal import DESCRIPTION_MAX, TITLE_MAX, TITLE_MIN, InvalidProposalError
from incubator.rate_limits import IDEAS
from projections import campaign_queries
from projections import notification_queries as notices
from projections.views import ProposalDetail
from web import rate_limiting, time_travel
from web.idea_panels import panel_context
from web.identity import current_member
from web.live import live_url
from web.outcomes import idea_outcomes
from web.requests import command, path_id, query, require_member, see_other, services
from web.templating import render
from web.urls import url_for


async def proposal_detail(request: Request) -> Response:
    context = await detail_context(request, path_id(request, "proposal_id"))
    when = time_travel.as_of(request)
    context["as_of"] = when
    if when.day is not None:
        past = await time_travel.past_idea(request, context["proposal"], when,
                                           context["comments"], context["idea_outcomes"])
        if past is None:
            context["as_of"] = dataclasses.replace(
                when, day=None, error=f"This idea did not exist yet on {when.label}.")
        else:
            context.update(past)
    return render(request, "ideas/detail.html", context)


async def proposal_comments(request: Request) -> Response:
    """The comment thread, for a page that follows it live (the full page without htmx)."""
    context = await detail_context(request, path_id(request, "proposal_id"))
    return render(request, "ideas/detail.html", context, block="thread")


async def proposal_status_part(request: Request) -> Response:
    """The status, its answer and the outcomes, with the badge out of band."""
    context = await detail_context(request, path_id(request, "proposal_id"), badge_oob=True)
    return render(request, "ideas/detail.html", context, block="status")


async def detail_context(request: Request, proposal_id: UUID, **extra: Any) -> dict[str, Any]:
    """Everything the idea page shows; `extra` overrides (form errors, messages)."""
    live = live_url(request, "live_idea", proposal_id=proposal_id)  # before reading
    context = await query(_read_idea, request, proposal_id)
    if context is None:
        raise no_such_idea()
    return {**context, "live_url": live, **extra}


def _read_idea(request: Request, proposal_id: UUID) -> dict[str, Any] | None:
    """The idea page's reads, in ONE trip to a worker thread: each trip costs ~0.1 ms,
    and under load each waits for the event loop to let go of the GIL (ten trips a
    page before)."""
    read_model = services(request).read_model
    proposal = read_model.proposal(proposal_id)
    if proposal is None:
        return None
    member = current_member(request)
    voted = member is not None and read_model.has_voted(proposal_id, member.id)
    campaign = campaign_queries.campaign_of_idea(read_model.engine, proposal_id)
    following = member is not None and notices.is_following(
        read_model.engine, proposal_id, member.id)
    now = datetime.now(UTC).replace(tzinfo=None)
    return {
        "proposal": proposal, "voted": voted, "campaign": campaign,
        "votes_closed": campaign is not None and not campaign.is_open(now),
        "following": following, "proposal_id": proposal_id,
        "comments": read_model.comments(proposal_id),
        "comment_text": "", "comment_error": "", "vote_error": "",
        "now": now, "edit_window": EDIT_WINDOW,
        **panel_context(request, proposal),
        **idea_outcomes(request, proposal_id, proposal.category_id),
    }


async def find_proposal(request: Request, proposal_id: UUID) -> ProposalDetail:
    found = await query(services(request).read_model.proposal, proposal_id)
    if found is None:
        raise no_such_idea()
    return found


def no_such_idea() -> HTTPException:
    return HTTPException(404, "There is no idea at this address.")


async def proposal_new(request: Request) -> Response:
    signed_in = require_member(request)
    if isinstance(signed_in, Response):
        return signed_in
    return await _form(request, {"title": "", "description": "", "category": ""}, {})


async def proposal_submit(request: Request) -> Response:
    member = require_member(request)
    if isinstance(member, Response):
        return member
    form = await request.form()
    values = {key: str(form.get(key) or "") for key in ("title", "description", "category")}
    verdict = await rate_limiting.hit(request, IDEAS, str(member.id))
    if not verdict.allowed:
        limited = rate_limiting.message(IDEAS, verdict)
        return rate_limiting.refused(await _form(request, values, {}, limited), verdict)
    try:
        written = await command(
            request, services(request).app.submit_proposal,
            values["title"], values["description"], _category_id(values["category"]), member.id,
        )
    except InvalidProposalError as invalid:
        return await _form(request, values, invalid.problems)
    return see_other(request, str(url_for(request, "proposal_detail", proposal_id=written.id)))


def _category_id(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


async def _form(request: Request, values: dict[str, str], problems: dict[str, str],
                limited: str = "") -> Response:
    context = {
        "values": values, "problems": problems, "limited": limited,
        "categories": await query(services(request).read_model.categories),
        "limits": {"title_min": TITLE_MIN, "title_max": TITLE_MAX,
                   "description_max": DESCRIPTION_MAX},
    }
    return render(request, "ideas/new.html", context, block="form",
                  status_code=422 if problems else 200)


async def proposal_history(request: Request) -> Response:
    proposal_id = path_id(request, "proposal_id")
    proposal = await find_proposal(request, proposal_id)
    entries = await query(services(request).read_model.history, proposal_id)
    return render(request, "ideas/history.html", {"proposal": proposal, "entries": entries})
