"""The board: every idea as a card, sorted, filtered and paginated."""

from __future__ import annotations

from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.proposal import Status
from projections.outcome_queries import ideas_with_outcome
from projections.queries import SORTS
from web.identity import current_member
from web.requests import query, services
from web.templating import render


async def board(request: Request) -> Response:
    params = request.query_params
    sort = params.get("sort") or "hot"
    if sort not in SORTS:
        raise HTTPException(400, f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    status = _status(params.get("status") or "")
    page = _page(params.get("page") or "1")
    category = params.get("category") or None
    read_model = services(request).read_model
    board_page = await query(read_model.board, sort, status, category, page)
    member = current_member(request)
    voted_ids = frozenset[UUID]()
    if member is not None and board_page.cards:
        ids = [card.id for card in board_page.cards]
        voted_ids = await query(read_model.voted_among, member.id, ids)
    answered = await query(ideas_with_outcome, read_model.engine,
                           [card.id for card in board_page.cards])
    context = {
        "board": board_page, "voted_ids": voted_ids, "sort": sort, "status": status,
        "with_outcome": answered,
        "category": category or "",
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
