"""Owners' and admins' outcome screens: draft from an idea, a theme or a closed
campaign, edit, publish,
correct, withdraw. The access table lets owners and admins in; here each screen also
checks that the member owns a category the outcome answers for (admins own all)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from domain.outcome import InvalidOutcomeError, OutcomeStageError, Subject
from incubator import outcomes
from incubator.outcomes import NothingToAnswerError
from projections import campaign_queries, outcome_queries
from projections.outcome_views import OutcomeView
from web.access import forbidden
from web.ideas import find_proposal
from web.identity import current_member
from web.outcomes import may_answer, may_edit, today
from web.requests import command, path_id, query, see_other, services
from web.templating import error_page, render
from web.urls import url_for

NOT_YOURS = ("Only an owner of this category, or an admin, can answer for it. "
             "If you think you should, ask an admin.")
FIELDS = ("title", "you_said", "we_did", "done_on", "links", "note", "reason")


async def outcome_draft_idea(request: Request) -> Response:
    proposal = await find_proposal(request, path_id(request, "proposal_id"))
    return await _draft(request, Subject.IDEA, proposal.id, (proposal.category_id,))


async def outcome_draft_theme(request: Request) -> Response:
    theme_id = path_id(request, "theme_id")
    spans = await query(outcome_queries.theme_category_ids,
                        services(request).read_model.engine, theme_id)
    return await _draft(request, Subject.THEME, theme_id, spans)


async def outcome_draft_campaign(request: Request) -> Response:
    campaign_id = path_id(request, "campaign_id")
    found = await query(campaign_queries.campaign, services(request).read_model.engine,
                        campaign_id)
    return await _draft(request, Subject.CAMPAIGN, campaign_id,
                        () if found is None else (found.category_id,))


async def _draft(request: Request, subject: Subject, subject_id: UUID,
                 category_ids: tuple[UUID, ...]) -> Response:
    member = current_member(request)
    if not category_ids:
        return error_page(request, 404, f"There is no {subject.value} with ideas to answer "
                          "at this address.")
    if member is None or not may_answer(request, category_ids):
        return forbidden(request, NOT_YOURS)
    try:
        written = await command(request, outcomes.draft_for, services(request), subject,
                                subject_id, member.id)
    except NothingToAnswerError as missing:
        return error_page(request, 404, str(missing))
    return see_other(request, str(url_for(request, "outcome_edit", outcome_id=written.id)))


async def outcome_edit(request: Request) -> Response:
    found = await _editable(request)
    if isinstance(found, Response):
        return found
    return _form(request, found, _values(found), {})


async def outcome_save(request: Request) -> Response:
    """Save the draft; with the "Publish" button, publish it as saved."""
    return await _change(request, publish_now=True)


async def outcome_correct(request: Request) -> Response:
    return await _change(request, correcting=True)


async def outcome_withdraw(request: Request) -> Response:
    return await _change(request, withdrawing=True)


async def _change(request: Request, publish_now: bool = False, correcting: bool = False,
                  withdrawing: bool = False) -> Response:
    found = await _editable(request)
    if isinstance(found, Response):
        return found
    form = await request.form()
    values = {name: str(form.get(name) or "")[:6_000] for name in FIELDS}
    member = current_member(request)
    assert member is not None  # the access table lets members in only
    publishing = publish_now and form.get("action") == "publish"
    app = services(request)
    try:
        done_on = _date(values["done_on"])
        links = values["links"].splitlines()
        if withdrawing:
            await command(request, outcomes.withdraw, app, found.id, member.id, values["reason"])
        elif correcting:
            await command(request, outcomes.correct, app, found.id, member.id, values["note"],
                          values["title"], values["we_did"], done_on, links)
        else:
            await command(request, outcomes.save_draft, app, found.id, member.id,
                          values["title"], values["you_said"], values["we_did"], done_on,
                          links, publishing)
    except InvalidOutcomeError as invalid:
        return _form(request, found, values, invalid.problems, status_code=422)
    except OutcomeStageError as refused:
        return _form(request, found, values, {"stage": str(refused)}, status_code=409)
    if publishing or correcting:
        return see_other(request, str(url_for(request, "outcome_detail", outcome_id=found.id)))
    return see_other(request, str(url_for(request, "outcome_edit", outcome_id=found.id))
                     + "?saved=1")


async def _editable(request: Request) -> OutcomeView | Response:
    outcome_id = path_id(request, "outcome_id")
    found = await query(outcome_queries.outcome, services(request).read_model.engine,
                        outcome_id)
    if found is None:
        return error_page(request, 404, "There is no outcome at this address.")
    if not may_edit(request, found):
        return forbidden(request, NOT_YOURS)
    return found


def _form(request: Request, outcome: OutcomeView, values: dict[str, str],
          problems: dict[str, str], status_code: int = 200) -> Response:
    context = {"outcome": outcome, "values": values, "problems": problems,
               "saved": request.query_params.get("saved") == "1"}
    return render(request, "outcomes/edit.html", context, status_code=status_code)


def _values(outcome: OutcomeView) -> dict[str, str]:
    done_on = outcome.done_on or today()
    return {"title": outcome.title, "you_said": outcome.you_said, "we_did": outcome.we_did,
            "done_on": done_on.isoformat(), "links": "\n".join(outcome.links), "note": "",
            "reason": ""}


def _date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidOutcomeError({"done_on": "Give the date as YYYY-MM-DD."}) from None

