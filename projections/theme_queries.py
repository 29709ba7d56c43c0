"""The themes of the latest clustering run, ranked by how many people they concern."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from sqlalchemy import Connection, Engine, func, select, union

from projections.hidden import visible
from projections.tables import (
    categories,
    proposals,
    theme_decisions,
    theme_members,
    themes,
    votes,
)
from projections.views import ThemeView


def ranked_themes(engine: Engine) -> tuple[ThemeView, ...]:
    """People = distinct members who submitted or vote for an idea of the theme.
    Hidden ideas don't count and aren't quoted."""
    shown = visible(proposals.c.id)
    authors = select(theme_members.c.theme_id, proposals.c.author_id.label("member")).join(
        proposals, proposals.c.id == theme_members.c.proposal_id).where(shown)
    voters = select(theme_members.c.theme_id, votes.c.member_id.label("member")).join(
        votes, (votes.c.proposal_id == theme_members.c.proposal_id) & votes.c.is_active).where(
        visible(theme_members.c.proposal_id))
    involved = union(authors, voters).subquery()
    people = (select(involved.c.theme_id, func.count(involved.c.member).label("people"))
              .group_by(involved.c.theme_id).subquery())
    totals = (
        select(themes.c.id, themes.c.label, themes.c.terms, themes.c.representatives,
               func.count(proposals.c.id).label("ideas"),
               func.coalesce(func.sum(proposals.c.votes), 0).label("votes"))
        .join(theme_members, theme_members.c.theme_id == themes.c.id)
        .join(proposals, proposals.c.id == theme_members.c.proposal_id)
        .where(shown)
        .group_by(themes.c.id, themes.c.label, themes.c.terms, themes.c.representatives)
        .subquery()
    )
    ranked = (select(totals, people.c.people).join(people, people.c.theme_id == totals.c.id)
              .order_by(people.c.people.desc(), totals.c.votes.desc(), totals.c.label))
    with engine.connect() as conn:
        rows = conn.execute(ranked).all()
        spans = _categories(conn)
        quoted = {UUID(i) for row in rows for i in row.representatives.split()}
        titles = {r.id: r.title for r in conn.execute(
            select(proposals.c.id, proposals.c.title).where(proposals.c.id.in_(quoted), shown))}
        confirmed = set(conn.execute(select(theme_decisions.c.theme_id)
                                     .where(theme_decisions.c.confirmed)).scalars())
    return tuple(
        ThemeView(row.id, row.label, row.terms, row.ideas, row.people, int(row.votes),
                  tuple(sorted(spans[row.id])),
                  tuple(titles[UUID(i)] for i in row.representatives.split() if UUID(i) in titles),
                  row.id in confirmed)
        for row in rows
    )


def _categories(conn: Connection) -> dict[UUID, set[str]]:
    query = (select(theme_members.c.theme_id, categories.c.name).distinct()
             .join(proposals, proposals.c.id == theme_members.c.proposal_id)
             .join(categories, categories.c.id == proposals.c.category_id))
    spans: dict[UUID, set[str]] = defaultdict(set)
    for theme_id, name in conn.execute(query):
        spans[theme_id].add(name)
    return spans
