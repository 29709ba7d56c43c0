"""Query functions over the read model; they return frozen dataclasses, never rows.

Statements are built once, with values as bind parameters: a module constant when the
query's shape is fixed, a `functools.cache`d builder keyed by the shape's arguments
(a sort, whether a filter is present; never a user's value) when it is not. Building
a `select()` per call, and computing its cache key, was most of SQLAlchemy's share
(42 %) of the server's CPU under load: `sessions.session_member` took 480-550 us a
call built per call, ~210 us prebuilt (raw sqlite3: ~12 us). SQLAlchemy memoizes the
cache key on the statement object and compiles once per key, so reuse skips both.
Keep to it in the query modules: `bindparam("ids", expanding=True)` for an IN list
(an empty list works), and a `type_` for a bind that no column compares with (LIMIT,
OFFSET: `type_=Integer`), as both databases run the same statement.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, Integer, Select, bindparam, func, select

from domain.proposal import Status
from projections import tracking
from projections.hidden import hidden_count, quoted_unless_hidden, visible
from projections.tables import (
    categories,
    comments,
    history,
    member_profiles,
    merges,
    proposals,
    votes,
)
from projections.theme_queries import ranked_themes
from projections.triage_queries import (
    counted_for,
    duplicates_of,
    hidden_content,
    merge_of,
    moderation_queue,
    theme_members_of,
)
from projections.views import (
    BoardPage,
    CategoryView,
    CommentView,
    HistoryEntry,
    MemberView,
    MergeView,
    ModerationCase,
    ProposalCard,
    ProposalDetail,
    ThemeView,
    VoteTally,
)

PAGE_SIZE = 20
FORMER_MEMBER = "former member"
SORTS = {
    "hot": (proposals.c.hot.desc(), proposals.c.created_at.desc(), proposals.c.id),
    "top": (proposals.c.votes.desc(), proposals.c.created_at.desc(), proposals.c.id),
    "new": (proposals.c.created_at.desc(), proposals.c.id),
}


_author_name = func.coalesce(member_profiles.c.display_name, FORMER_MEMBER)


def _cards(*extra: ColumnElement[Any]) -> Select[Any]:
    return (
        select(
            proposals.c.id, proposals.c.title, categories.c.slug.label("category_slug"),
            categories.c.name.label("category_name"), proposals.c.status, proposals.c.votes,
            proposals.c.comments, proposals.c.created_at, _author_name.label("author_name"),
            *extra,
        )
        .join(categories, categories.c.id == proposals.c.category_id)
        .outerjoin(member_profiles, member_profiles.c.id == proposals.c.author_id)
    )


def _comment_rows() -> Select[Any]:
    return select(
        comments.c.id, comments.c.proposal_id, comments.c.author_id,
        _author_name.label("author_name"),
        comments.c.text, comments.c.posted_at, comments.c.edited_at,
    ).outerjoin(member_profiles, member_profiles.c.id == comments.c.author_id)


def _board_filters(by_status: bool, by_category: bool) -> list[ColumnElement[bool]]:
    filters = []
    if by_status:
        filters.append(proposals.c.status == bindparam("status"))
    if by_category:
        filters.append(proposals.c.category_id == select(categories.c.id)
                       .where(categories.c.slug == bindparam("category_slug"))
                       .scalar_subquery())
    return filters


@cache
def _board_count(by_status: bool, by_category: bool) -> Select[Any]:
    # Hidden ideas are counted apart and subtracted: a NOT IN filter on the count
    # made SQLite visit every row (status=open: 0.9 -> 31 ms at 10,000 ideas).
    filters = _board_filters(by_status, by_category)
    return select(
        select(func.count()).select_from(proposals).where(*filters).scalar_subquery()
        - hidden_count(*filters))


@cache  # bounded: an unknown sort raises (web/board.py refuses it first), uncached
def _board_page(sort: str, by_status: bool, by_category: bool) -> Select[Any]:
    # Count and page through rm_proposals alone, then join names onto the page's
    # rows only: joining first made SQLite join (and sort) every idea (count 5 ms
    # -> 0.1 ms, filtered pages up to 30 ms -> 14 ms at 10,000 ideas). Same result:
    # every idea's category is projected before the idea.
    on_page = (
        select(proposals.c.id)
        .where(*_board_filters(by_status, by_category), visible(proposals.c.id))
        .order_by(*SORTS[sort])
        .limit(PAGE_SIZE).offset(bindparam("offset", type_=Integer)).subquery()
    )
    return _cards().join(on_page, on_page.c.id == proposals.c.id).order_by(*SORTS[sort])


_PROPOSAL = _cards(
    proposals.c.description, proposals.c.status_answer, proposals.c.author_id,
    proposals.c.category_id,
).where(proposals.c.id == bindparam("id"), visible(proposals.c.id))

_VOTE_TALLIES = select(
    proposals.c.id, proposals.c.title, proposals.c.status, proposals.c.votes,
).where(proposals.c.id.in_(bindparam("ids", expanding=True)), visible(proposals.c.id))

# A vote on an idea merged into this one counts here (projections/merges.py).
_HAS_VOTED = select(votes.c.is_active).where(
    votes.c.proposal_id.in_(counted_for(bindparam("idea"))),
    votes.c.member_id == bindparam("member"), votes.c.is_active,
)

_COMMENTS = (
    _comment_rows()
    .where(comments.c.proposal_id.in_(counted_for(bindparam("idea"))), visible(comments.c.id))
    .order_by(comments.c.posted_at, comments.c.id)
)

_COMMENT = _comment_rows().where(comments.c.id == bindparam("id"), visible(comments.c.id))

_HISTORY = (
    select(history.c.position, history.c.kind, _author_name.label("actor_name"),
           history.c.at, quoted_unless_hidden(history.c.position, history.c.detail))
    .outerjoin(member_profiles, member_profiles.c.id == history.c.actor_id)
    .where(history.c.proposal_id == bindparam("idea"))
    .order_by(history.c.position)
)

_counted = func.coalesce(merges.c.root_id, votes.c.proposal_id)
_VOTED_AMONG = (
    select(_counted)
    .select_from(votes.outerjoin(merges, merges.c.duplicate_id == votes.c.proposal_id))
    .where(votes.c.member_id == bindparam("member"), votes.c.is_active,
           _counted.in_(bindparam("ids", expanding=True)))
)

_CATEGORIES = select(categories).order_by(categories.c.name)
_MEMBERS = select(member_profiles).order_by(member_profiles.c.display_name)
_MEMBER = select(member_profiles).where(member_profiles.c.id == bindparam("id"))


class ReadModel:
    """The read side as the web sees it: questions in, dataclasses out."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._categories: tuple[int, tuple[CategoryView, ...]] | None = None

    def board(
        self, sort: str = "hot", status: Status | None = None,
        category_slug: str | None = None, page: int = 1,
    ) -> BoardPage:
        values: dict[str, Any] = {}
        if status is not None:
            values["status"] = status.value
        if category_slug:
            values["category_slug"] = category_slug
        by_status, by_category = "status" in values, "category_slug" in values
        with self.engine.connect() as conn:
            total = int(conn.execute(_board_count(by_status, by_category), values).scalar_one())
            pages = max(1, math.ceil(total / PAGE_SIZE))
            page = min(max(page, 1), pages)
            rows = conn.execute(_board_page(sort, by_status, by_category),
                                {**values, "offset": (page - 1) * PAGE_SIZE}).all()
        cards = tuple(ProposalCard(**{**r._asdict(), "status": Status(r.status)}) for r in rows)
        return BoardPage(cards, page, pages, total)

    def proposal(self, proposal_id: UUID) -> ProposalDetail | None:
        with self.engine.connect() as conn:
            row = conn.execute(_PROPOSAL, {"id": proposal_id}).first()
        if row is None:
            return None
        return ProposalDetail(**{**row._asdict(), "status": Status(row.status)})

    def vote_tally(self, proposal_id: UUID) -> VoteTally | None:
        return self.vote_tallies([proposal_id]).get(proposal_id)

    def vote_tallies(self, proposal_ids: list[UUID]) -> dict[UUID, VoteTally]:
        """Hidden ideas are left out: never offered as similar ideas or merge targets."""
        with self.engine.connect() as conn:
            rows = conn.execute(_VOTE_TALLIES, {"ids": list(proposal_ids)}).all()
        return {r.id: VoteTally(r.id, r.title, Status(r.status), r.votes) for r in rows}

    def has_voted(self, proposal_id: UUID, member_id: UUID) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(
                _HAS_VOTED, {"idea": proposal_id, "member": member_id}).first())

    def comments(self, proposal_id: UUID) -> tuple[CommentView, ...]:
        with self.engine.connect() as conn:
            return tuple(CommentView(**r._asdict())
                         for r in conn.execute(_COMMENTS, {"idea": proposal_id}))

    def comment(self, comment_id: UUID) -> CommentView | None:
        with self.engine.connect() as conn:
            row = conn.execute(_COMMENT, {"id": comment_id}).first()
        return None if row is None else CommentView(**row._asdict())

    def history(self, proposal_id: UUID) -> tuple[HistoryEntry, ...]:
        with self.engine.connect() as conn:
            return tuple(HistoryEntry(**r._asdict())
                         for r in conn.execute(_HISTORY, {"idea": proposal_id}))

    def voted_among(self, member_id: UUID, proposal_ids: list[UUID]) -> frozenset[UUID]:
        """Which of these ideas the member currently votes for (for a page of cards);
        a vote on an idea merged into one of them counts for that one."""
        with self.engine.connect() as conn:
            return frozenset(conn.execute(
                _VOTED_AMONG, {"member": member_id, "ids": list(proposal_ids)}).scalars())

    def themes(self) -> tuple[ThemeView, ...]:
        return ranked_themes(self.engine)

    def categories(self, as_of: int | None = None) -> tuple[CategoryView, ...]:
        """Every category, by name. Given `as_of`, the read model's position (it only
        moves on), the answer is kept until the position moves: the board and the
        outcome board show them on every page (4 % of a loaded server's CPU), and
        they rarely change."""
        kept = self._categories
        if kept is not None and as_of is not None and kept[0] == as_of:
            return kept[1]
        with self.engine.connect() as conn:
            found = tuple(CategoryView(**r._asdict()) for r in conn.execute(_CATEGORIES))
        if as_of is not None:
            self._categories = (as_of, found)
        return found

    def members(self) -> tuple[MemberView, ...]:
        with self.engine.connect() as conn:
            return tuple(MemberView(**r._asdict()) for r in conn.execute(_MEMBERS))

    def member(self, member_id: UUID) -> MemberView | None:
        with self.engine.connect() as conn:
            row = conn.execute(_MEMBER, {"id": member_id}).first()
        return None if row is None else MemberView(**row._asdict())

    def position(self, projection: str) -> int:
        with self.engine.connect() as conn:
            return tracking.position_of(conn, projection)

    # ---- Triage: owners' and admins' decisions ----

    def merge_of(self, proposal_id: UUID) -> MergeView | None:
        return merge_of(self.engine, proposal_id)

    def duplicates_of(self, proposal_id: UUID) -> tuple[MergeView, ...]:
        return duplicates_of(self.engine, proposal_id)

    def moderation_queue(self) -> tuple[ModerationCase, ...]:
        return moderation_queue(self.engine)

    def hidden_content(self, author_id: UUID | None = None) -> tuple[ModerationCase, ...]:
        return hidden_content(self.engine, author_id)

    def theme_members(self, theme_id: UUID) -> tuple[UUID, ...]:
        return theme_members_of(self.engine, theme_id)
