"""What a stretch of the event log changed, as topics the live pages listen to.

Topics are plain strings:
- `idea:<id>:votes`, `idea:<id>:comments`, `idea:<id>:status`, `idea:<id>:outcome`:
  a part of one idea's page (a vote on an idea merged into another also changes
  the canonical idea's count, so it names both);
- `board:new`: an idea was submitted;
- `outcomes`: an outcome was published, corrected or withdrawn;
- `member:<id>`: that member got a notice (their bell).

A hidden idea's activity and outcome drafts name nothing: streams are public.

Read from the audit trail (`rm_history`, keyed by log position, so a range is one
primary-key scan) and the merges, once per change for every open page of a process.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import Connection, bindparam, select

from projections.hidden import visible
from projections.tables import history, merges, notifications, outcomes, theme_members

# The part of an idea's page each kind of history row changes; any other kind
# (status, merges, moderation of the idea, themes) is "status".
PARTS = {
    "voted": "votes", "vote_withdrawn": "votes",
    "commented": "comments", "comment_edited": "comments",
    "comment_hidden": "comments", "comment_restored": "comments",
    "submitted": "new",
}


# Built once, values bound (projections/queries.py says why): run on every change.
_CHANGED = (
    select(history.c.proposal_id, history.c.kind).distinct()
    .where(history.c.position > bindparam("after"), history.c.position <= bindparam("upto"),
           visible(history.c.proposal_id))  # a hidden idea's activity stays unsaid
)
_ROOTS = select(merges.c.duplicate_id, merges.c.root_id).where(
    merges.c.duplicate_id.in_(bindparam("ids", expanding=True)))
_NOTIFIED = (
    select(notifications.c.member_id).distinct()
    .where(notifications.c.position > bindparam("after"),
           notifications.c.position <= bindparam("upto"))
)


def changed_topics(conn: Connection, after: int, upto: int) -> set[str]:
    """The topics that the events at positions after `after` up to `upto` change."""
    span = {"after": after, "upto": upto}
    rows = conn.execute(_CHANGED, span).all()
    ids = {row.proposal_id for row in rows}
    roots = dict(conn.execute(_ROOTS, {"ids": list(ids)}).all()) if ids else {}
    topics = {f"member:{member}" for member in conn.execute(_NOTIFIED, span).scalars()}
    for proposal_id, kind in rows:
        part = PARTS.get(kind, "status")
        if part == "new":
            topics.add("board:new")
            continue
        topics.add(f"idea:{proposal_id}:{part}")
        if (root := roots.get(proposal_id)) is not None:
            topics.add(f"idea:{root}:{part}")
    return topics


def outcome_topics(conn: Connection, outcome_ids: Iterable[UUID]) -> set[str]:
    """`outcomes` and the pages of the ideas these outcomes answer (a theme's
    outcome answers every idea of the theme)."""
    ids = list(outcome_ids)
    if not ids:
        return set()
    subjects = conn.execute(  # drafts are not public: they change no public page
        select(outcomes.c.subject_kind, outcomes.c.subject_id)
        .where(outcomes.c.id.in_(ids), outcomes.c.stage != "draft")
    ).all()
    if not subjects:
        return set()
    ideas = {s.subject_id for s in subjects if s.subject_kind == "idea"}
    themes = [s.subject_id for s in subjects if s.subject_kind == "theme"]
    if themes:
        ideas.update(conn.execute(
            select(theme_members.c.proposal_id).where(theme_members.c.theme_id.in_(themes))
        ).scalars())
    return {"outcomes", *(f"idea:{idea}:outcome" for idea in ideas)}
