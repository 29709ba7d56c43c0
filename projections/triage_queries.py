"""Read-side questions about owners' and admins' decisions; frozen dataclasses out."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    Select,
    bindparam,
    func,
    select,
)

from domain.proposal import Status
from projections.hidden import visible
from projections.tables import (
    comments,
    member_profiles,
    merges,
    moderation,
    proposals,
    reports,
    theme_members,
)
from projections.views import MergeView, ModerationCase, ReportView, VoteTally

FORMER_MEMBER = "former member"


def _name(member_id: ColumnElement[Any]) -> ColumnElement[str]:
    return func.coalesce(
        select(member_profiles.c.display_name).where(member_profiles.c.id == member_id)
        .scalar_subquery(), FORMER_MEMBER)


def counted_for(idea_id: UUID | ColumnElement[UUID]) -> CompoundSelect[tuple[UUID]]:
    """The ideas whose votes and comments count for `idea_id`: itself unless it is
    merged, and every idea merged into it at any depth. Give a `bindparam` for a
    statement built once (projections/queries.py says why)."""
    own = select(proposals.c.id).where(
        proposals.c.id == idea_id, proposals.c.id.not_in(select(merges.c.duplicate_id)))
    return own.union(select(merges.c.duplicate_id).where(merges.c.root_id == idea_id))


def _merge_rows() -> Select[Any]:
    duplicate, canonical = proposals.alias("duplicate"), proposals.alias("canonical")
    return (
        select(merges.c.duplicate_id, duplicate.c.title.label("duplicate_title"),
               merges.c.canonical_id, canonical.c.title.label("canonical_title"),
               _name(merges.c.merged_by).label("merged_by_name"), merges.c.merged_at,
               merges.c.reason)
        .join(duplicate, duplicate.c.id == merges.c.duplicate_id)
        .join(canonical, canonical.c.id == merges.c.canonical_id)
    )


# Built once: every idea page asks both (projections/queries.py says why).
_MERGE_OF = _merge_rows().where(merges.c.duplicate_id == bindparam("idea"))
_DUPLICATES_OF = (_merge_rows().where(merges.c.canonical_id == bindparam("idea"))
                  .order_by(merges.c.merged_at, merges.c.duplicate_id))


def merge_of(engine: Engine, proposal_id: UUID) -> MergeView | None:
    """Where a merged idea went (None if it isn't merged)."""
    with engine.connect() as conn:
        row = conn.execute(_MERGE_OF, {"idea": proposal_id}).first()
    return None if row is None else MergeView(**row._asdict())


def duplicates_of(engine: Engine, proposal_id: UUID) -> tuple[MergeView, ...]:
    """The ideas merged straight into this one, oldest merge first."""
    with engine.connect() as conn:
        return tuple(MergeView(**row._asdict())
                     for row in conn.execute(_DUPLICATES_OF, {"idea": proposal_id}))


def theme_members_of(engine: Engine, theme_id: UUID) -> tuple[UUID, ...]:
    """The ideas a theme holds now (the model's suggestion with people's moves)."""
    query = (select(theme_members.c.proposal_id).where(theme_members.c.theme_id == theme_id)
             .order_by(theme_members.c.proposal_id))
    with engine.connect() as conn:
        return tuple(conn.execute(query).scalars())


def moderation_queue(engine: Engine) -> tuple[ModerationCase, ...]:
    """Items with reports waiting for a decision, most reported first."""
    return _cases(engine, open_only=True)


def hidden_content(engine: Engine, author_id: UUID | None = None) -> tuple[ModerationCase, ...]:
    """Everything hidden, for admins to restore; or one author's, to tell them why."""
    return _cases(engine, hidden_only=True, author_id=author_id)


def _cases(engine: Engine, open_only: bool = False, hidden_only: bool = False,
           author_id: UUID | None = None) -> tuple[ModerationCase, ...]:
    query = (
        select(moderation, proposals.c.title.label("proposal_title"),
               func.coalesce(comments.c.text, proposals.c.description).label("text"),
               _name(moderation.c.author_id).label("author_name"),
               _name(moderation.c.decided_by).label("decided_by_name"))
        .join(proposals, proposals.c.id == moderation.c.proposal_id)
        .outerjoin(comments, comments.c.id == moderation.c.target_id)
    )
    if hidden_only:
        query = query.where(moderation.c.hidden)
    if author_id is not None:
        query = query.where(moderation.c.author_id == author_id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        waiting = _open_reports(conn, [row.target_id for row in rows])
    cases = [
        ModerationCase(
            target_id=row.target_id, kind=row.kind, proposal_id=row.proposal_id,
            proposal_title=row.proposal_title,
            text=row.text if row.kind == "comment" else f"{row.proposal_title}\n{row.text}",
            author_id=row.author_id, author_name=row.author_name, hidden=row.hidden,
            open_reports=tuple(view for position, view in waiting[row.target_id]
                               if position > row.decided_position),
            decided_by_name=row.decided_by_name if row.decided_by else None,
            decided_at=row.decided_at, reason=row.reason)
        for row in rows
    ]
    if open_only:
        cases = [case for case in cases if case.open_reports]
        cases.sort(key=lambda c: (-len(c.open_reports), c.open_reports[0].at))
    else:
        cases.sort(key=lambda c: c.decided_at or datetime.min, reverse=True)
    return tuple(cases)


Waiting = dict[UUID, list[tuple[int, ReportView]]]


def _open_reports(conn: Connection, targets: list[UUID]) -> Waiting:
    found: Waiting = defaultdict(list)
    query = (select(reports, _name(reports.c.reporter_id).label("reporter_name"))
             .where(reports.c.target_id.in_(targets)).order_by(reports.c.position))
    for row in conn.execute(query):
        found[row.target_id].append(
            (row.position, ReportView(row.reporter_id, row.reporter_name, row.reason, row.at)))
    return found


_OPEN_REPORT_COUNT = (select(func.count(func.distinct(moderation.c.target_id)))
                      .join(reports, reports.c.target_id == moderation.c.target_id)
                      .where(reports.c.position > moderation.c.decided_position))


def open_report_count(engine: Engine) -> int:
    """How many ideas and comments have reports waiting for an admin (the header's
    count): one indexed join over the few moderated items."""
    with engine.connect() as conn:
        return int(conn.execute(_OPEN_REPORT_COUNT).scalar_one())


def theme_ideas(engine: Engine) -> dict[UUID, tuple[VoteTally, ...]]:
    """Every theme's visible ideas, most voted first, in one query (the triage inbox
    lists them all: a query per theme took 120 ms for the demo's 53 themes)."""
    query = (select(theme_members.c.theme_id, proposals.c.id, proposals.c.title,
                    proposals.c.status, proposals.c.votes)
             .join(proposals, proposals.c.id == theme_members.c.proposal_id)
             .where(visible(proposals.c.id))
             .order_by(theme_members.c.theme_id, proposals.c.votes.desc(), proposals.c.title))
    found: dict[UUID, list[VoteTally]] = defaultdict(list)
    with engine.connect() as conn:
        for row in conn.execute(query):
            found[row.theme_id].append(VoteTally(row.id, row.title, Status(row.status),
                                                 row.votes))
    return {theme: tuple(ideas) for theme, ideas in found.items()}
