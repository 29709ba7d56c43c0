"""BoardProjection: ideas, votes, comments, categories and the audit trail.

Hot ranking (Reddit's formula, so it can be stored and indexed, with a slower decay):

    hot = log10(max(votes, 1)) + (created - 2024-01-01) / 604,800 s

An idea ten times as voted ranks as high as one a week newer, so fresh ideas get their
turn and old ones fade unless people keep voting for them. Reddit's 12.5 hours suit a
site with thousands of posts a day; an IT idea box gets a few, and with that pace "hot"
sorted a day-old idea nobody voted for above last week's favourite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, String, bindparam, select, type_coerce

from domain.category import Category
from domain.clustering import ClusteringRun
from domain.comment import Comment
from domain.proposal import Proposal, Status
from domain.vote import Vote
from projections.bulk import uuid_of
from projections.changes import RowChanges
from projections.dispatch import Handlers
from projections.schema import create_missing_indexes
from projections.tables import (
    BOARD_TABLES,
    PROJECTED_TABLES,
    categories,
    comments,
    history,
    history_subjects,
    proposals,
    theme_comments,
    theme_members,
    themes,
    votes,
)

HOT_EPOCH = datetime(2024, 1, 1)
HOT_TENFOLD_S = 7 * 86_400  # ten times the votes = this much newer


def hot_score(vote_count: int, created_at: datetime) -> float:
    age_bonus = (created_at - HOT_EPOCH).total_seconds() / HOT_TENFOLD_S
    return round(math.log10(max(vote_count, 1)) + age_bonus, 7)


def utc_naive(moment: datetime) -> datetime:
    """Stored naive in UTC, so SQLite and PostgreSQL give back the same values."""
    if moment.tzinfo is UTC:  # event timestamps are; a conversion costs 3x more
        return moment.replace(tzinfo=None)
    return moment.astimezone(UTC).replace(tzinfo=None)


class BoardProjection:
    name = "board"
    # Bump when a handler's logic changes: the next start rebuilds. 2: hot decays per week.
    version = 2
    tables = BOARD_TABLES

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        """Write the rows for a batch of (event, log position) in `conn`'s transaction."""
        changes = RowChanges()
        for handler, event, position in _handlers.applicable(events):  # dispatch.py
            handler(self, event, position, changes)
        self._score(conn, changes)
        changes.flush(conn)
        triage.settle(conn, changes)

    def caught_up(self, engine: Engine) -> None:
        create_missing_indexes(engine, PROJECTED_TABLES)

    @singledispatchmethod
    def process_event(self, event: Any, position: int, changes: RowChanges) -> None:
        """Events that don't concern the board are skipped."""

    @process_event.register
    def _(self, event: Category.Created, position: int, changes: RowChanges) -> None:
        changes.insert(
            categories,
            {"id": event.originator_id, "slug": event.slug, "name": event.name,
             "description": event.description},
        )

    @process_event.register
    def _(self, event: Category.Changed, position: int, changes: RowChanges) -> None:
        changes.update(categories, event.originator_id, name=event.name,
                       description=event.description)

    @process_event.register
    def _(self, event: Proposal.Submitted, position: int, changes: RowChanges) -> None:
        at = utc_naive(event.timestamp)
        changes.insert(
            proposals,
            {"id": event.originator_id, "title": event.title, "description": event.description,
             "category_id": event.category_id, "author_id": event.author_id,
             "status": Status.OPEN.value, "status_answer": "", "votes": 0, "comments": 0,
             "hot": 0.0, "created_at": at, "updated_at": at},
        )
        _record(changes, position, event, event.originator_id, event.author_id, "submitted", "")

    @process_event.register
    def _(self, event: Proposal.StatusChanged, position: int, changes: RowChanges) -> None:
        changes.update(
            proposals, event.originator_id, status=event.status, status_answer=event.answer,
            updated_at=utc_naive(event.timestamp),
        )
        detail = f"{Status(event.status).label}. {event.answer}".strip()
        _record(changes, position, event, event.originator_id, event.changed_by,
                "status_changed", detail)

    @process_event.register
    def _(self, event: Vote.Cast, position: int, changes: RowChanges) -> None:
        at = utc_naive(event.timestamp)  # once: 85 % of a log's events are votes
        changes.insert(
            votes,
            {"id": event.originator_id, "proposal_id": event.proposal_id,
             "member_id": event.member_id, "is_active": True, "cast_at": at},
        )
        self._count_vote(event, position, changes, +1, "voted", at)

    @process_event.register
    def _(self, event: Vote.Withdrawn, position: int, changes: RowChanges) -> None:
        changes.update(votes, event.originator_id, is_active=False)
        self._count_vote(event, position, changes, -1, "vote_withdrawn")

    @process_event.register
    def _(self, event: Vote.Recast, position: int, changes: RowChanges) -> None:
        at = utc_naive(event.timestamp)
        changes.update(votes, event.originator_id, is_active=True, cast_at=at)
        self._count_vote(event, position, changes, +1, "voted", at)

    @process_event.register
    def _(self, event: Comment.Posted, position: int, changes: RowChanges) -> None:
        at = utc_naive(event.timestamp)
        changes.insert(
            comments,
            {"id": event.originator_id, "proposal_id": event.proposal_id,
             "author_id": event.author_id, "text": event.text,
             "posted_at": at, "edited_at": None},
        )
        changes.increment(proposals, event.proposal_id, comments=1)
        _record(changes, position, event, event.proposal_id, event.author_id, "commented",
                _excerpt(event.text), at)
        changes.insert(history_subjects, {"position": position, "subject_id": event.originator_id})

    @process_event.register
    def _(self, event: Comment.Edited, position: int, changes: RowChanges) -> None:
        changes.update(comments, event.originator_id, text=event.text,
                       edited_at=utc_naive(event.timestamp))
        _record(changes, position, event, event.proposal_id, event.editor_id, "comment_edited",
                _excerpt(event.text))
        changes.insert(history_subjects, {"position": position, "subject_id": event.originator_id})

    @process_event.register
    def _(self, event: ClusteringRun.Completed, position: int, changes: RowChanges) -> None:
        changes.clear(themes)
        changes.clear(theme_members)
        changes.clear(theme_comments)
        for theme in event.themes:
            theme_id = UUID(theme["theme_id"])
            changes.insert(themes, {
                "id": theme_id, "run_id": event.originator_id, "label": theme["label"],
                "terms": ", ".join(theme["terms"]),
                "representatives": " ".join(theme["representatives"]),
            })
            for proposal_id in theme["proposal_ids"]:
                changes.insert(theme_members,
                               {"proposal_id": UUID(proposal_id), "theme_id": theme_id})
            for comment_id in theme.get("comment_ids", ()):
                changes.insert(theme_comments,
                               {"comment_id": UUID(comment_id), "theme_id": theme_id})

    def _count_vote(
        self, event: Any, position: int, changes: RowChanges, delta: int, kind: str,
        at: datetime | None = None,
    ) -> None:
        changes.increment(proposals, event.proposal_id, votes=delta)
        _record(changes, position, event, event.proposal_id, event.member_id, kind, "", at)

    def _score(self, conn: Connection, changes: RowChanges) -> None:
        """Give every idea whose counters change its new hot score, before the flush.

        The batch's counter increments of existing ideas become absolute values
        (read once, here), so each idea is written by ONE update with its counters
        and score, instead of an increment and then a re-score (half the statements;
        rebuilds ~1.5x faster on PostgreSQL). Safe: the runner has claimed this page
        in the same transaction, so no other runner writes these rows meanwhile."""
        for row in changes.inserts[proposals].values():
            row["hot"] = hot_score(row["votes"], row["created_at"])
        counters = changes.increments.pop(proposals, {})
        if not counters:
            return
        rows = conn.execute(_COUNTERS, {"ids": list(counters)}).all()
        for r in rows:
            key = uuid_of(r.id)
            deltas = counters[key]
            votes = r.votes + deltas.get("votes", 0)
            changes.update(proposals, key, votes=votes,
                           comments=r.comments + deltas.get("comments", 0),
                           hot=hot_score(votes, r.created_at))


_handlers = Handlers(BoardProjection)
# The ideas' ids as stored, made into UUIDs by `uuid_of` (projections/bulk.py).
_STORED_ID = type_coerce(proposals.c.id, String).label("id")
# Built once (see projections/queries.py): every live page (each vote) runs it, and
# building it was 10 % of a vote's server CPU.
_COUNTERS = (select(_STORED_ID, proposals.c.votes, proposals.c.comments, proposals.c.created_at)
             .where(proposals.c.id.in_(bindparam("ids", expanding=True))))


def _record(
    changes: RowChanges, position: int, event: Any, proposal_id: UUID,
    actor_id: UUID, kind: str, detail: str, at: datetime | None = None,
) -> None:
    """`at`: the event's `utc_naive(timestamp)`, when the caller has it already."""
    changes.insert(
        history,
        {"position": position, "proposal_id": proposal_id, "kind": kind,
         "actor_id": actor_id, "at": utc_naive(event.timestamp) if at is None else at,
         "detail": detail},
    )


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Owners' and admins' decisions register their handlers on BoardProjection, which
# needs the names above: imported last on purpose.
from projections import triage  # noqa: E402
