"""OutcomeProjection: "you said, we did" outcomes for the public board and idea pages.

Outcome events are rare (a few per idea at most), so each is written with its own
statements, like the members' (projections/members.py), in the runner's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, insert, select, update

from domain.outcome import Outcome, Stage
from projections.board import utc_naive
from projections.dispatch import Handlers
from projections.tables import (
    OUTCOME_TABLES,
    outcome_categories,
    outcome_corrections,
    outcome_ideas,
    outcome_people,
    outcomes,
)


def _date(iso: str) -> date | None:
    return date.fromisoformat(iso) if iso else None


class OutcomeProjection:
    name = "outcomes"
    version = 1  # bump when a handler's logic changes: the next start rebuilds
    tables = OUTCOME_TABLES

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        for handler, event, position in _handlers.applicable(events):  # dispatch.py
            handler(self, event, position, conn)

    def caught_up(self, engine: Engine) -> None:
        """Nothing: the board's `caught_up` remakes every projected table's indexes."""

    @singledispatchmethod
    def process_event(self, event: Any, position: int, conn: Connection) -> None:
        """Events that don't concern outcomes are skipped."""

    @process_event.register
    def _(self, event: Outcome.Drafted, position: int, conn: Connection) -> None:
        facts, at = event.facts, utc_naive(event.timestamp)
        conn.execute(insert(outcomes).values(
            id=event.originator_id, subject_kind=event.subject_kind,
            subject_id=event.subject_id, stage=Stage.DRAFT.value, title=event.title,
            you_said=event.you_said, we_did="", done_on=None, links="",
            people=facts["people"], ideas=facts["ideas"], votes=facts["votes"],
            comments=facts["comments"], categories=", ".join(facts["categories"]),
            quotes="\n".join(facts["quotes"]),
            asked_at=datetime.fromisoformat(facts["first_asked_at"]),
            drafted_by=event.drafted_by, drafted_at=at, published_by=None, published_at=None,
            updated_at=at, original_title="", original_we_did="", original_done_on=None,
            withdrawn_reason="", corrections=0))
        rows = [{"outcome_id": event.originator_id, "category_id": UUID(c)}
                for c in dict.fromkeys(facts["category_ids"])]
        if rows:
            conn.execute(insert(outcome_categories), rows)
        ideas = [{"outcome_id": event.originator_id, "proposal_id": UUID(p)}
                 for p in dict.fromkeys(facts["proposal_ids"])]
        if ideas:
            conn.execute(insert(outcome_ideas), ideas)

    @process_event.register
    def _(self, event: Outcome.Edited, position: int, conn: Connection) -> None:
        _update(conn, event, title=event.title, you_said=event.you_said, we_did=event.we_did,
                done_on=_date(event.done_on), links="\n".join(event.links))

    @process_event.register
    def _(self, event: Outcome.Published, position: int, conn: Connection) -> None:
        row = conn.execute(select(outcomes.c.title, outcomes.c.we_did, outcomes.c.done_on)
                           .where(outcomes.c.id == event.originator_id)).one()
        _update(conn, event, stage=Stage.PUBLISHED.value, published_by=event.published_by,
                published_at=utc_naive(event.timestamp), original_title=row.title,
                original_we_did=row.we_did, original_done_on=row.done_on)
        people = [{"outcome_id": event.originator_id, "member_id": m} for m in event.involved]
        if people:
            conn.execute(insert(outcome_people), people)

    @process_event.register
    def _(self, event: Outcome.Corrected, position: int, conn: Connection) -> None:
        previous = conn.execute(select(outcomes.c.we_did)
                                .where(outcomes.c.id == event.originator_id)).scalar_one()
        conn.execute(insert(outcome_corrections).values(
            position=position, outcome_id=event.originator_id, corrected_by=event.corrected_by,
            at=utc_naive(event.timestamp), note=event.note, previous_we_did=previous))
        _update(conn, event, title=event.title, we_did=event.we_did,
                done_on=_date(event.done_on), links="\n".join(event.links),
                corrections=outcomes.c.corrections + 1)

    @process_event.register
    def _(self, event: Outcome.Withdrawn, position: int, conn: Connection) -> None:
        _update(conn, event, stage=Stage.WITHDRAWN.value, withdrawn_reason=event.reason)


def _update(conn: Connection, event: Any, **values: Any) -> None:
    conn.execute(update(outcomes).where(outcomes.c.id == event.originator_id)
                 .values(updated_at=utc_naive(event.timestamp), **values))


_handlers = Handlers(OutcomeProjection)
