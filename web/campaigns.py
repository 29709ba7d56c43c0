"""Campaigns: IT asks the community. The list, opening one, its page with the poll,
ideas submitted and voted under it, and its results once it is closed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.campaign import CampaignClosedError, InvalidAnswerError, InvalidCampaignError
from domain.proposal import DESCRIPTION_MAX, TITLE_MAX, TITLE_MIN, InvalidProposalError
from incubator.rate_limits import IDEAS
from projections import campaign_queries, notification_queries, outcome_queries
from projections.campaign_views import CampaignView
from web import rate_limiting
from web.access import forbidden
from web.identity import current_member
from web.outcomes import may_answer
from web.requests import command, path_id, query, require_member, see_other, services
from web.templating import is_htmx, render
from web.urls import url_for

OPEN_FIELDS = ("question", "description", "category", "deadline", "poll_question",
               "poll_options")
IDEA_FIELDS = ("title", "description")
NOT_YOURS = ("Only an owner of this campaign's category, or an admin, can do this. "
             "If you think you should, ask an admin.")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


async def campaign_list(request: Request) -> Response:
    listed = await query(campaign_queries.campaign_list, services(request).read_model.engine)
    member = current_member(request)
    may_open = member is not None and (member.is_admin or bool(member.owned_categories))
    return render(request, "campaigns/index.html",
                  {"campaigns": listed, "now": now(), "may_open": may_open})


async def campaign_new(request: Request) -> Response:
    return await _open_form(request, dict.fromkeys(OPEN_FIELDS, ""), {})


async def campaign_open(request: Request) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "")[:6_000] for name in OPEN_FIELDS}
    member = current_member(request)
    assert member is not None  # the access table lets owners and admins in only
    category = _uuid(values["category"])
    if category is not None and not member.owns(category):
        return await _open_form(request, values, {"category": NOT_YOURS})
    try:
        deadline = _deadline(values["deadline"])
        written = await command(
            request, services(request).app.open_campaign, values["question"],
            values["description"], category or UUID(int=0), deadline,
            values["poll_question"], values["poll_options"].splitlines(), member.id)
    except InvalidCampaignError as invalid:
        return await _open_form(request, values, invalid.problems)
    return see_other(request, str(url_for(request, "campaign_detail", campaign_id=written.id)))


async def _open_form(request: Request, values: dict[str, str],
                     problems: dict[str, str]) -> Response:
    member = current_member(request)
    owned = [c for c in await query(services(request).read_model.categories)
             if member is not None and member.owns(c.id)]
    return render(request, "campaigns/new.html",
                  {"values": values, "problems": problems, "categories": owned},
                  status_code=422 if problems else 200)


async def campaign_detail(request: Request) -> Response:
    context = await detail_context(request, path_id(request, "campaign_id"))
    return render(request, "campaigns/detail.html", context)


async def detail_context(request: Request, campaign_id: UUID, **extra: Any) -> dict[str, Any]:
    """Everything the campaign page shows; `extra` overrides (form errors, messages)."""
    app = services(request)
    engine = app.read_model.engine
    campaign = await query(campaign_queries.campaign, engine, campaign_id)
    if campaign is None:
        raise HTTPException(404, "There is no campaign at this address.")
    member = current_member(request)
    ideas = await query(campaign_queries.campaign_ideas_of, engine, campaign_id)
    voted = (await query(app.read_model.voted_among, member.id, [i.id for i in ideas])
             if member and ideas else frozenset())
    answering = may_answer(request, (campaign.category_id,))
    is_open = campaign.is_open(now())
    return {
        "campaign": campaign, "is_open": is_open, "now": now(), "ideas": ideas,
        "voted_ids": voted, "may_answer": answering,
        "answer": (await query(campaign_queries.answer_of, engine, campaign_id, member.id)
                   if member else None),
        "follow_kind": "campaign", "target_id": campaign_id,
        "following": member is not None and await query(
            notification_queries.is_following, engine, campaign_id, member.id),
        "themes": () if is_open else await query(campaign_queries.campaign_themes, engine,
                                                 campaign_id),
        "outcome": (await query(outcome_queries.outcome_of_subject, engine, campaign_id)
                    if answering and not is_open else None),
        "values": dict.fromkeys(IDEA_FIELDS, ""), "problems": {}, "limited": "",
        "poll_error": "", "close_error": "", "close_note": "", "announce": "",
        "answered": request.query_params.get("answered") == "1",
        "limits": {"title_min": TITLE_MIN, "title_max": TITLE_MAX,
                   "description_max": DESCRIPTION_MAX},
        **extra,
    }


async def campaign_answer(request: Request) -> Response:
    """Answer the poll (or change the answer): the poll block for htmx, else back."""
    campaign_id = path_id(request, "campaign_id")
    member = require_member(request)
    if isinstance(member, Response):
        return member
    option = _option(str((await request.form()).get("option") or ""))
    try:
        await command(request, services(request).app.answer_poll, campaign_id, member.id,
                      option)
    except (InvalidAnswerError, CampaignClosedError) as refused:
        context = await detail_context(request, campaign_id, poll_error=str(refused))
        return render(request, "campaigns/detail.html", context, block="poll",
                      status_code=409 if isinstance(refused, CampaignClosedError) else 422)
    if is_htmx(request):
        context = await detail_context(request, campaign_id, announce="Your answer is saved.")
        return render(request, "campaigns/detail.html", context, block="poll")
    return see_other(request, str(url_for(request, "campaign_detail", campaign_id=campaign_id))
                     + "?answered=1#poll")


async def campaign_idea_submit(request: Request) -> Response:
    campaign_id = path_id(request, "campaign_id")
    member = require_member(request)
    if isinstance(member, Response):
        return member
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in IDEA_FIELDS}
    verdict = await rate_limiting.hit(request, IDEAS, str(member.id))
    if not verdict.allowed:
        limited = rate_limiting.message(IDEAS, verdict)
        return rate_limiting.refused(await _idea_form(request, campaign_id, values, {},
                                                      limited), verdict)
    try:
        written = await command(request, services(request).app.submit_proposal,
                                values["title"], values["description"], None, member.id,
                                campaign_id)
    except InvalidProposalError as invalid:
        return await _idea_form(request, campaign_id, values, invalid.problems)
    except CampaignClosedError as closed:
        return await _idea_form(request, campaign_id, values, {"campaign": str(closed)})
    return see_other(request, str(url_for(request, "proposal_detail", proposal_id=written.id)))


async def _idea_form(request: Request, campaign_id: UUID, values: dict[str, str],
                     problems: dict[str, str], limited: str = "") -> Response:
    context = await detail_context(request, campaign_id, values=values, problems=problems,
                                   limited=limited)
    return render(request, "campaigns/detail.html", context, block="idea_form",
                  status_code=422 if problems else 200)


async def campaign_close(request: Request) -> Response:
    """An owner closes the campaign now, before (or without) a deadline."""
    found = await _answerable(request)
    if isinstance(found, Response):
        return found
    note = str((await request.form()).get("note") or "")[:2_000]
    member = current_member(request)
    assert member is not None
    try:
        await command(request, services(request).app.close_campaign, found.id, member.id, note)
    except (InvalidCampaignError, CampaignClosedError) as refused:
        context = await detail_context(request, found.id, close_error=str(refused),
                                       close_note=note)
        return render(request, "campaigns/detail.html", context,
                      status_code=409 if isinstance(refused, CampaignClosedError) else 422)
    return see_other(request, str(url_for(request, "campaign_detail", campaign_id=found.id)))


async def _answerable(request: Request) -> CampaignView | Response:
    campaign_id = path_id(request, "campaign_id")
    found = await query(campaign_queries.campaign, services(request).read_model.engine,
                        campaign_id)
    if found is None:
        raise HTTPException(404, "There is no campaign at this address.")
    if not may_answer(request, (found.category_id,)):
        return forbidden(request, NOT_YOURS)
    return found


def _deadline(text: str) -> datetime | None:
    """A `datetime-local` value, read as UTC; empty for none."""
    if not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidCampaignError(
            {"deadline": "Give the deadline as a date and time, e.g. 2026-03-31 17:00."}
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _option(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 4 else -1
