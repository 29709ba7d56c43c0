"""The public outcome board ("you said, we did"), one outcome's page and the Atom feed.

Readable without signing in; only published outcomes are shown (a draft's page
answers 404 to anyone who may not edit it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.outcome import Stage
from projections import outcome_queries
from projections.outcome_views import OutcomePage, OutcomeView
from projections.views import CategoryView
from web.atom import atom_feed
from web.identity import current_member
from web.live import live_url
from web.requests import path_id, query, services
from web.templating import render

PERIODS = {"30d": ("Last 30 days", 30), "90d": ("Last 90 days", 90),
           "365d": ("Last year", 365), "all": ("All time", None)}


async def outcome_board(request: Request) -> Response:
    params = request.query_params
    period = params.get("period") or "all"
    if period not in PERIODS:
        raise HTTPException(400, f"Unknown period {period!r}: use one of {', '.join(PERIODS)}.")
    page_text = params.get("page") or "1"
    if not page_text.isdigit() or int(page_text) < 1:
        raise HTTPException(400, f"Page {page_text!r} is not a page number.")
    days = PERIODS[period][1]
    since = None if days is None else datetime.now(UTC).date() - timedelta(days=days)
    category = params.get("category") or None
    live = live_url(request, "live_outcomes")  # before reading
    read_model, position = services(request).read_model, services(request).runner.position

    def read() -> tuple[OutcomePage, tuple[CategoryView, ...]]:  # one trip to a thread
        return (outcome_queries.outcome_board(read_model.engine, category, since,
                                              int(page_text)),
                read_model.categories(as_of=position))

    page, categories = await query(read)
    context = {"board": page, "period": period, "periods": PERIODS,
               "category": category or "", "categories": categories, "live_url": live}
    return render(request, "outcomes/index.html", context, block="outcomes")


async def outcome_detail(request: Request) -> Response:
    outcome = await visible_outcome(request, path_id(request, "outcome_id"))
    return render(request, "outcomes/detail.html",
                  {"outcome": outcome, "may_edit": may_edit(request, outcome)})


async def outcome_feed(request: Request) -> Response:
    engine = services(request).read_model.engine
    latest = await query(outcome_queries.latest_outcomes, engine)
    body = atom_feed(request, latest)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


async def visible_outcome(request: Request, outcome_id: UUID) -> OutcomeView:
    found = await query(outcome_queries.outcome, services(request).read_model.engine,
                        outcome_id)
    if found is None or (found.stage != Stage.PUBLISHED.value
                         and not may_edit(request, found)):
        raise HTTPException(404, "There is no published outcome at this address.")
    return found


def may_edit(request: Request, outcome: OutcomeView) -> bool:
    """Admins, and owners of any category the outcome answers for."""
    return may_answer(request, outcome.category_ids)


def may_answer(request: Request, category_ids: tuple[UUID, ...]) -> bool:
    member = current_member(request)
    if member is None:
        return False
    return member.is_admin or any(member.owns(c) for c in category_ids)


def today() -> date:
    return datetime.now(UTC).date()


def idea_outcomes(request: Request, proposal_id: UUID, category_id: UUID) -> dict[str, object]:
    """What the idea page shows of outcomes: the published ones answering it (its
    own or its theme's) and, for those who may answer, its own outcome in any stage.
    Blocking: call it from a worker thread (see `web.ideas.detail_context`)."""
    engine = services(request).read_model.engine
    answering = may_answer(request, (category_id,))
    own = outcome_queries.outcome_of_subject(engine, proposal_id) if answering else None
    return {"idea_outcomes": outcome_queries.published_for_idea(engine, proposal_id),
            "own_outcome": own, "may_answer": answering}


async def theme_outcomes(request: Request) -> dict[str, object]:
    """For the themes page: each theme's outcome, if drafted, and whether the member
    answers for some category (the draft screen checks the theme's own categories)."""
    member = current_member(request)
    engine = services(request).read_model.engine
    drafted = await query(outcome_queries.outcomes_by_subject, engine)
    may_draft = member is not None and (member.is_admin or bool(member.owned_categories))
    visible = {subject: outcome for subject, outcome in drafted.items()
               if outcome.stage == Stage.PUBLISHED.value or may_draft}
    return {"theme_outcomes": visible, "may_draft_outcomes": may_draft}
