"""The board: every idea as a card, sorted, filtered and paginated."""

from __future__ import annotations

from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.proposal import Status
from projections.outcome_queries import ideas_with_outcome
from projections.queries import SORTS
from web import time_travel
from web.ideas import find_proposal
from web.identity import current_member
from web.live import live_url
from web.requests import page_of, path_id, query, see_other, services
from web.templating import is_htmx, render, templates


async def board(request: Request) -> Response:
    params = request.query_params
    sort = params.get("sort") or "hot"
    if sort not in SORTS:
        raise HTTPException(400, f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    status = _status(params.get("status") or "")
    page = _page(params.get("page") or "1")
    category = params.get("category") or None
    live = live_url(request, "live_board")  # before reading
    read_model = services(request).read_model
    when = time_travel.as_of(request)
    if when.day is not None:
        board_page = await time_travel.past_board(request, when, sort, status, category, page)
    else:
        board_page = await query(read_model.board, sort, status, category, page)
    member = current_member(request)
    voted_ids = frozenset[UUID]()
    if member is not None and board_page.cards and when.day is None:
        ids = [card.id for card in board_page.cards]
        voted_ids = await query(read_model.voted_among, member.id, ids)
    answered = frozenset[UUID]() if when.day is not None else await query(
        ideas_with_outcome, read_model.engine, [card.id for card in board_page.cards])
    context = {
        "board": board_page, "voted_ids": voted_ids, "sort": sort, "status": status,
        "with_outcome": answered,
        "category": category or "", "live_url": live, "as_of": when,
        "past": when if when.day is not None else None,
        "categories": await query(read_model.categories), "statuses": list(Status),
    }
    return render(request, "board/index.html", context, block="board")


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
        return see_other(request, str(request.url_for("proposal_detail", proposal_id=proposal_id)))
    card = await find_proposal(request, proposal_id)
    read_model = services(request).read_model
    member = current_member(request)
    voted = member is not None and await query(read_model.has_voted, proposal_id, member.id)
    answered = await query(ideas_with_outcome, read_model.engine, [proposal_id])
    context = {"card": card, "voted_ids": {proposal_id} if voted else set(),
               "with_outcome": answered, "next": page_of(request)}
    return templates.TemplateResponse(request, "ideas/_card.html", context)

