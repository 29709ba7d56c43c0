"""Vote and comment counts of merged ideas: a rule of the read model, not moved votes.

Why a projection rule and not commands that move votes: a merge is ONE event (on
both ideas, one transaction); the votes people cast stay as they were in the log.
The read model counts every active vote on an idea *or on an idea merged into it*
for the idea at the root of that merge tree, once per member. Then:

- a member who voted for both counts once; one who voted only for the duplicate
  counts on the canonical idea, without a single new Vote event;
- a vote that lands on the duplicate while the merge commits (the command checked
  the idea just before) still counts, once, on the canonical idea: the counts are
  a function of the final rows, so no interleaving can lose or double a vote;
- undoing the merge deletes one row, and the same rule gives back exactly the
  counts of before (plus whatever people did meanwhile);
- a rebuild replays the same events into the same rows, so the same counts.

Moving votes with commands would have needed dozens of Vote events per merge,
a compensating set per undo, and a lock against votes arriving meanwhile.

Ideas outside any merge tree keep the cheap counter increments of the board
projection; after each batch, `recount` sets exact counts for the trees it touched.
A merged idea counts 0 votes and 0 comments: they count on its root.

Followers don't exist yet. When they do, the same rule moves them with no events:
whoever follows a duplicate follows its root (`rm_merges.root_id`), and the notifier
resolves recipients through it, so undo gives every follower back to their idea.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import Connection, bindparam, func, select, update

from projections.board import hot_score
from projections.hidden import hidden_ids
from projections.tables import comments, merges, proposals, votes

# Built once: every page of the live projection (each vote) reads it, and building a
# statement costs more CPU than SQLite spends running this one.
_MERGE_EDGES = select(merges.c.duplicate_id, merges.c.canonical_id)


def recount(conn: Connection, touched: set[UUID], affected: set[UUID]) -> None:
    """Exact counts for the merge trees holding `touched` ideas, and for `affected`
    ones (merge ends, ideas whose comments were hidden or restored) in any case."""
    if not touched and not affected:
        return
    parent: dict[UUID, UUID] = {
        row.duplicate_id: row.canonical_id for row in conn.execute(_MERGE_EDGES)}
    in_trees = set(parent) | set(parent.values())
    roots = {_root(idea, parent) for idea in (touched & in_trees) | affected}
    children: dict[UUID, list[UUID]] = defaultdict(list)
    for duplicate, canonical in parent.items():
        children[canonical].append(duplicate)
    for root in roots:
        _recount_tree(conn, root, _tree(root, children))


def _root(idea: UUID, parent: dict[UUID, UUID]) -> UUID:
    while idea in parent:
        idea = parent[idea]
    return idea


def _tree(root: UUID, children: dict[UUID, list[UUID]]) -> list[UUID]:
    tree, frontier = [root], [root]
    while frontier:
        frontier = [child for idea in frontier for child in children.get(idea, ())]
        tree.extend(frontier)
    return tree


def _recount_tree(conn: Connection, root: UUID, tree: list[UUID]) -> None:
    created = {row.id: row.created_at for row in conn.execute(
        select(proposals.c.id, proposals.c.created_at).where(proposals.c.id.in_(tree)))}
    if root not in created:
        return  # ids that aren't ideas' (never the case for events of real ideas)
    voters = conn.execute(
        select(func.count(func.distinct(votes.c.member_id)))
        .where(votes.c.proposal_id.in_(tree), votes.c.is_active)
    ).scalar_one()
    said = conn.execute(
        select(func.count()).select_from(comments)
        .where(comments.c.proposal_id.in_(tree), comments.c.id.not_in(hidden_ids()))
    ).scalar_one()
    rows = [{"b_id": root, "b_votes": voters, "b_comments": said,
             "b_hot": hot_score(voters, created[root])}]
    rows += [{"b_id": idea, "b_votes": 0, "b_comments": 0, "b_hot": hot_score(0, at)}
             for idea, at in created.items() if idea != root]
    conn.execute(
        update(proposals).where(proposals.c.id == bindparam("b_id"))
        .values(votes=bindparam("b_votes"), comments=bindparam("b_comments"),
                hot=bindparam("b_hot")),
        rows)
    _set_root(conn, root, (idea for idea in tree if idea != root))


def _set_root(conn: Connection, root: UUID, duplicates: Iterable[UUID]) -> None:
    params = [{"b_id": idea, "b_root": root} for idea in duplicates]
    if params:
        conn.execute(update(merges).where(merges.c.duplicate_id == bindparam("b_id"))
                     .values(root_id=bindparam("b_root")), params)

