"""The read model as it was at a moment: ideas submitted by then, their votes then.

Votes come from the audit trail (`rm_history`: every cast and withdrawal with its
time), counted like the live read model counts them: once per person over an idea
and the ideas merged into it (merges as they stand now). Comments are the ones
posted by then (with their current text). Statuses come from the event log
(incubator/time_travel.py): the audit trail keeps their words, not their values.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Engine, func, select

from domain.proposal import Status
from projections.hidden import visible
from projections.queries import _cards
from projections.tables import comments, history, merges, proposals
from projections.views import ProposalCard

VOTE_KINDS = ("voted", "vote_withdrawn")


def cards_submitted_by(engine: Engine, moment: datetime) -> list[ProposalCard]:
    """Every visible idea submitted at or before `moment`, as it reads now."""
    query = _cards().where(proposals.c.created_at <= moment, visible(proposals.c.id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [ProposalCard(**{**r._asdict(), "status": Status(r.status)}) for r in rows]


def votes_as_of(engine: Engine, moment: datetime,
                proposal_ids: list[UUID] | None = None) -> dict[UUID, int]:
    """Active votes per idea at `moment`, each person once per merge tree."""
    query = (select(history.c.proposal_id, history.c.actor_id, history.c.kind)
             .where(history.c.kind.in_(VOTE_KINDS), history.c.at <= moment)
             .order_by(history.c.position))
    roots_query = select(merges.c.duplicate_id, merges.c.root_id)
    with engine.connect() as conn:
        roots = dict(conn.execute(roots_query).all())
        if proposal_ids is not None:  # the ideas and everything merged into them
            merged = [d for d, root in roots.items() if root in proposal_ids]
            query = query.where(history.c.proposal_id.in_([*proposal_ids, *merged]))
        rows = conn.execute(query).all()
    last: dict[tuple[UUID, UUID], bool] = {}  # (idea, member) -> voting at the end
    for proposal_id, member_id, kind in rows:
        last[(proposal_id, member_id)] = kind == "voted"
    voters: dict[UUID, set[UUID]] = {}
    for (proposal_id, member_id), voting in last.items():
        if voting:
            voters.setdefault(roots.get(proposal_id, proposal_id), set()).add(member_id)
    return {idea: len(people) for idea, people in voters.items()}


def comments_as_of(engine: Engine, moment: datetime) -> dict[UUID, int]:
    """Visible comments per idea posted at or before `moment`, on merge trees' roots."""
    query = (select(comments.c.proposal_id, func.count())
             .where(comments.c.posted_at <= moment, visible(comments.c.id))
             .group_by(comments.c.proposal_id))
    with engine.connect() as conn:
        roots = dict(conn.execute(select(merges.c.duplicate_id, merges.c.root_id)).all())
        counts: dict[UUID, int] = {}
        for proposal_id, count in conn.execute(query).all():
            root = roots.get(proposal_id, proposal_id)
            counts[root] = counts.get(root, 0) + count
    return counts
