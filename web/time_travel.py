"""Time travel: an idea, or the board, as it was at the end of a chosen day.

`?as_of=YYYY-MM-DD` on the idea page and the board (a GET form, works without
JavaScript). The view is read-only: no votes, comments, reports or decisions.
Votes and comments come from the read model's audit trail, statuses from the event
log (projections/time_travel.py, incubator/time_travel.py).
"""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, date, datetime, time
from typing import Any

from starlette.requests import Request

from domain.proposal import Status
from incubator.time_travel import idea_status_as_of, statuses_as_of
from projections import time_travel
from projections.board import hot_score
from projections.outcome_views import OutcomeView
from projections.queries import PAGE_SIZE
from projections.views import BoardPage, CommentView, ProposalCard, ProposalDetail
from web.requests import query, services

SORT_KEYS = {
    "hot": lambda c: (-hot_score(c.votes, c.created_at), -c.created_at.timestamp()),
    "top": lambda c: (-c.votes, -c.created_at.timestamp()),
    "new": lambda c: (-c.created_at.timestamp(),),
}


@dataclasses.dataclass(frozen=True)
class AsOf:
    """What was asked: `day` when it is a date up to today, else `error`."""

    text: str = ""
    day: date | None = None
    error: str = ""

    @property
    def end(self) -> datetime:
        """The last moment of the day, naive UTC like the read model."""
        assert self.day is not None
        return datetime.combine(self.day, time.max)

    @property
    def label(self) -> str:
        assert self.day is not None
        return f"{self.day.day} {self.day:%B %Y}"


def as_of(request: Request) -> AsOf:
    text = (request.query_params.get("as_of") or "").strip()
    if not text:
        return AsOf()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return AsOf(text[:40], error=f"“{text[:40]}” is not a date: use the form 2026-03-12.")
    if day >= datetime.now(UTC).date():
        return AsOf(text, error="Choose a day before today: today is what the page shows.")
    return AsOf(text, day)


async def past_idea(request: Request, proposal: ProposalDetail, when: AsOf,
                    comments: tuple[CommentView, ...],
                    outcomes: list[OutcomeView]) -> dict[str, Any] | None:
    """The idea page's context as it was then; None if the idea did not exist yet.
    Outcomes published by then show (in their current words)."""
    found = services(request)
    then = await query(idea_status_as_of, found.app, proposal.id, when.end)
    if then is None:
        return None
    votes = await query(time_travel.votes_as_of, found.read_model.engine, when.end,
                        [proposal.id])
    past = dataclasses.replace(proposal, status=then.status, status_answer=then.answer,
                               votes=votes.get(proposal.id, 0))
    return {"proposal": past, "comments": tuple(c for c in comments if c.posted_at <= when.end),
            "past": when, "voted": False, "decides": False, "may_answer": False,
            "idea_outcomes": [o for o in outcomes
                              if o.published_at is not None and o.published_at <= when.end],
            "merge": None, "duplicates": [], "live_url": ""}


async def past_board(request: Request, when: AsOf, sort: str, status: Status | None,
                     category: str | None, page: int) -> BoardPage:
    found = services(request)
    engine = found.read_model.engine

    def read() -> list[ProposalCard]:  # one trip to a worker thread
        cards = time_travel.cards_submitted_by(engine, when.end)
        votes = time_travel.votes_as_of(engine, when.end)
        comments = time_travel.comments_as_of(engine, when.end)
        statuses = statuses_as_of(found.app, when.end)
        return [dataclasses.replace(
            card, votes=votes.get(card.id, 0), comments=comments.get(card.id, 0),
            status=statuses[card.id].status if card.id in statuses else card.status)
            for card in cards]

    cards = [c for c in await query(read)
             if (status is None or c.status is status)
             and (not category or c.category_slug == category)]
    cards.sort(key=SORT_KEYS[sort])
    pages = max(1, math.ceil(len(cards) / PAGE_SIZE))
    page = min(page, pages)
    shown = tuple(cards[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    return BoardPage(shown, page, pages, len(cards))

