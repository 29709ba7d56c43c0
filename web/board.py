"""The board: every idea as a card, sorted, filtered and paginated."""

from __future__ import annotations

from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.proposal import Status
from incubator.bootstrap import Services
from projections.outcome_queries import ideas_with_outcome
from projections.queries import SORTS
from projections.views import BoardPage, CategoryView
from web import time_travel
from web.ideas import find_proposal
from web.identity import current_member
from web.live import live_url
from web.requests import page_of, path_id, query, see_other, services
from web.templating import is_htmx, render, templates
from web.urls import url_for


async def board(request: Request) -> Response:
    params = request.query_params
    sort = params.get("sort") or "hot"
    if sort not in SORTS:
        raise HTTPException(400, f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    status = _status(params.get("status") or "")
    page = _page(params.get("page") or "1")
    category = params.get("category") or None
    live = live_url(request, "live_board")  # before reading
    when = time_travel.as_of(request)
    member = current_member(request)
    if when.day is not None:
        board_page = await time_travel.past_board(request, when, sort, status, category, page)
        voted_ids, answered = frozenset[UUID](), frozenset[UUID]()
        categories = await query(services(request).read_model.categories)
    else:
        board_page, voted_ids, answered, categories = await query(
            _read_board, services(request), sort, status, category, page,
            member.id if member else None)
    context = {
        "board": board_page, "voted_ids": voted_ids, "sort": sort, "status": status,
        "with_outcome": answered,
        "category": category or "", "live_url": live, "as_of": when,
        "past": when if when.day is not None else None,
        "categories": categories, "statuses": list(Status),
    }
    return render(request, "board/index.html", context, block="board")


def _read_board(
    found: Services, sort: str, status: Status | None, category: str | None, page: int,
    member_id: UUID | None,
) -> tuple[BoardPage, frozenset[UUID], frozenset[UUID], tuple[CategoryView, ...]]:
    """Everything the board shows, in ONE trip to a worker thread: each trip costs
    ~0.1 ms, and under load each waits for the event loop to let go of the GIL."""
    read_model, position = found.read_model, found.runner.position
    board_page = read_model.board(sort, status, category, page)
    ids = [card.id for card in board_page.cards]
    voted_ids = (read_model.voted_among(member_id, ids) if member_id is not None and ids
                 else frozenset[UUID]())
    answered = ideas_with_outcome(read_model.engine, ids)
    return board_page, voted_ids, answered, read_model.categories(as_of=position)


def _status(value: str) -> Status | None:
    if not value:
        return None
    try:
        return Status(value)
    except ValueError:
        raise HTTPException(400, f"Unknown status {value!r}.") from None


def _page(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise HTTPException(400, f"Page {value!r} is not a page number.")
    return int(value)


async def proposal_card(request: Request) -> Response:
    """One board card, for a board that follows it live (the idea's page without htmx)."""
    proposal_id = path_id(request, "proposal_id")
    if not is_htmx(request):
        return see_other(request, str(url_for(request, "proposal_detail", proposal_id=proposal_id)))
    card = await find_proposal(request, proposal_id)
    read_model = services(request).read_model
    member = current_member(request)
    voted = member is not None and await query(read_model.has_voted, proposal_id, member.id)
    answered = await query(ideas_with_outcome, read_model.engine, [proposal_id])
    context = {"card": card, "voted_ids": {proposal_id} if voted else set(),
               "with_outcome": answered, "next": page_of(request)}
    return templates.TemplateResponse(request, "ideas/_card.html", context)

