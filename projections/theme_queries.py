"""The themes of the latest clustering run, ranked by how many people they concern."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Connection, Engine, bindparam, case, func, select, union, union_all

from projections.hidden import visible
from projections.tables import (
    categories,
    comments,
    proposals,
    theme_comments,
    theme_decisions,
    theme_members,
    themes,
    votes,
)
from projections.views import CommentQuote, ThemeView

COMMENT_QUOTES = 2  # per theme


# Statements are built once, values bound (projections/queries.py says why).
_shown = visible(proposals.c.id)
_authors = select(theme_members.c.theme_id, proposals.c.author_id.label("member")).join(
    proposals, proposals.c.id == theme_members.c.proposal_id).where(_shown)
_voters = select(theme_members.c.theme_id, votes.c.member_id.label("member")).join(
    votes, (votes.c.proposal_id == theme_members.c.proposal_id) & votes.c.is_active).where(
    visible(theme_members.c.proposal_id))
_involved = union(_authors, _voters).subquery()
_people = (select(_involved.c.theme_id, func.count(_involved.c.member).label("people"))
           .group_by(_involved.c.theme_id).subquery())
_totals = (
    select(themes.c.id, themes.c.label, themes.c.terms, themes.c.representatives,
           func.count(proposals.c.id).label("ideas"),
           func.coalesce(func.sum(proposals.c.votes), 0).label("votes"))
    .join(theme_members, theme_members.c.theme_id == themes.c.id)
    .join(proposals, proposals.c.id == theme_members.c.proposal_id)
    .where(_shown)
    .group_by(themes.c.id, themes.c.label, themes.c.terms, themes.c.representatives)
    .subquery()
)
_RANKED = (select(_totals, _people.c.people).join(_people, _people.c.theme_id == _totals.c.id)
           .order_by(_people.c.people.desc(), _totals.c.votes.desc(), _totals.c.label))
_WAITING = (select(theme_members.c.theme_id, func.min(proposals.c.created_at))
            .join(proposals, proposals.c.id == theme_members.c.proposal_id)
            .where(_shown, proposals.c.status == "open").group_by(theme_members.c.theme_id))
_TITLES = select(proposals.c.id, proposals.c.title).where(
    proposals.c.id.in_(bindparam("ids", expanding=True)), _shown)
_CONFIRMED = select(theme_decisions.c.theme_id).where(theme_decisions.c.confirmed)


def ranked_themes(engine: Engine, now: datetime | None = None) -> tuple[ThemeView, ...]:
    """People = distinct members who submitted or vote for an idea of the theme.
    Hidden ideas don't count and aren't quoted. Growth = ideas submitted and votes
    cast in the last 7 and 30 days; waiting = since the oldest idea still "open"."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    with engine.connect() as conn:
        rows = conn.execute(_RANKED).all()
        spans = _categories(conn)
        growth = _growth(conn, now)
        waiting: dict[UUID, datetime] = {
            theme: since for theme, since in conn.execute(_WAITING)}
        quoted = {UUID(i) for row in rows for i in row.representatives.split()}
        titles = {r.id: r.title for r in conn.execute(_TITLES, {"ids": list(quoted)})}
        confirmed = set(conn.execute(_CONFIRMED).scalars())
        said = _comment_quotes(conn)
    return tuple(
        ThemeView(row.id, row.label, row.terms, row.ideas, row.people, int(row.votes),
                  tuple(sorted(spans[row.id])),
                  tuple(titles[UUID(i)] for i in row.representatives.split() if UUID(i) in titles),
                  row.id in confirmed, *growth.get(row.id, (0, 0)), waiting.get(row.id),
                  tuple(said.get(row.id, ())))
        for row in rows
    )


_QUOTES = (select(theme_comments.c.theme_id, comments.c.id, comments.c.proposal_id,
                  comments.c.text)
           .join(comments, comments.c.id == theme_comments.c.comment_id)
           .where(visible(comments.c.id), visible(comments.c.proposal_id))
           .order_by(theme_comments.c.theme_id, comments.c.posted_at, comments.c.id))


def _comment_quotes(conn: Connection, per_theme: int = COMMENT_QUOTES
                    ) -> dict[UUID, list[CommentQuote]]:
    """Up to `per_theme` visible comments per theme that propose something, on
    visible ideas, earliest first."""
    quotes: dict[UUID, list[CommentQuote]] = defaultdict(list)
    for theme_id, comment_id, proposal_id, text in conn.execute(_QUOTES):
        if len(quotes[theme_id]) < per_theme:
            quotes[theme_id].append(CommentQuote(comment_id, proposal_id, text))
    return quotes


_arrivals = union_all(
    select(theme_members.c.theme_id, proposals.c.created_at.label("at"))
    .join(proposals, proposals.c.id == theme_members.c.proposal_id)
    .where(visible(proposals.c.id), proposals.c.created_at >= bindparam("month")),
    select(theme_members.c.theme_id, votes.c.cast_at.label("at"))
    .join(votes, (votes.c.proposal_id == theme_members.c.proposal_id) & votes.c.is_active)
    .where(visible(theme_members.c.proposal_id), votes.c.cast_at >= bindparam("month")),
).subquery()
_GROWTH = (select(_arrivals.c.theme_id,
                  func.sum(case((_arrivals.c.at >= bindparam("week"), 1), else_=0)),
                  func.count())
           .group_by(_arrivals.c.theme_id))


def _growth(conn: Connection, now: datetime) -> dict[UUID, tuple[int, int]]:
    """Per theme: ideas plus active votes that arrived in the last 7 and 30 days."""
    since = {"week": now - timedelta(days=7), "month": now - timedelta(days=30)}
    return {theme: (int(last_week), int(last_month))
            for theme, last_week, last_month in conn.execute(_GROWTH, since)}


_SPANS = (select(theme_members.c.theme_id, categories.c.name).distinct()
          .join(proposals, proposals.c.id == theme_members.c.proposal_id)
          .join(categories, categories.c.id == proposals.c.category_id))


def _categories(conn: Connection) -> dict[UUID, set[str]]:
    spans: dict[UUID, set[str]] = defaultdict(set)
    for theme_id, name in conn.execute(_SPANS):
        spans[theme_id].add(name)
    return spans


def theme_membership(engine: Engine) -> tuple[UUID | None, list[tuple[UUID, UUID, str]]]:
    """The run the themes come from, and every idea in a theme now (the run's
    suggestion with people's decisions and later placements) as (idea, theme, title):
    what the nearest-theme model of new ideas learns from."""
    query = (select(theme_members.c.proposal_id, theme_members.c.theme_id, proposals.c.title)
             .join(proposals, proposals.c.id == theme_members.c.proposal_id)
             .order_by(theme_members.c.proposal_id))
    with engine.connect() as conn:
        run_id = conn.execute(select(themes.c.run_id).limit(1)).scalar()
        rows = [(row.proposal_id, row.theme_id, row.title) for row in conn.execute(query)]
    return run_id, rows
