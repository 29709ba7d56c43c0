"""*You said*, counted from the read model: what an outcome's draft starts from.

For an idea: the idea and every idea merged into it. For a theme: its ideas as
people left them (the model's run with owners' moves) and their duplicates. Hidden
ideas and comments are left out, as everywhere else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, func, select, union

from projections.hidden import visible
from projections.outcome_views import YouSaid
from projections.tables import (
    campaign_ideas,
    campaign_options,
    campaigns,
    categories,
    comments,
    merges,
    poll_answers,
    proposals,
    theme_members,
    themes,
    votes,
)
from projections.triage_queries import counted_for

QUOTES = 3
QUOTE_MAX = 240


def you_said_for_idea(engine: Engine, proposal_id: UUID) -> YouSaid | None:
    with engine.connect() as conn:
        counted = counted_for(proposal_id).subquery()
        ideas: list[UUID] = list(conn.execute(select(counted.c[0])).scalars())
        title = conn.execute(select(proposals.c.title).where(
            proposals.c.id == proposal_id, visible(proposals.c.id))).scalar()
        if title is None or not ideas:
            return None
        description = conn.execute(select(proposals.c.description)
                                   .where(proposals.c.id == proposal_id)).scalar_one()
        said = [_quote(description)] if description.strip() else []
        said += _comment_quotes(conn, ideas, QUOTES - len(said))
        return _count(conn, title, ideas, said, votes_of=[proposal_id])


def you_said_for_theme(engine: Engine, theme_id: UUID) -> YouSaid | None:
    with engine.connect() as conn:
        row = conn.execute(select(themes.c.label, themes.c.representatives)
                           .where(themes.c.id == theme_id)).first()
        if row is None:
            return None
        members = list(conn.execute(
            select(theme_members.c.proposal_id)
            .where(theme_members.c.theme_id == theme_id, visible(theme_members.c.proposal_id))
        ).scalars())
        if not members:
            return None
        duplicates = conn.execute(select(merges.c.duplicate_id)
                                  .where(merges.c.root_id.in_(members))).scalars()
        ideas = list(dict.fromkeys([*members, *duplicates]))
        said = _title_quotes(conn, [UUID(i) for i in row.representatives.split()], members)
        return _count(conn, row.label, ideas, said, votes_of=members)


def you_said_for_campaign(engine: Engine, campaign_id: UUID) -> YouSaid | None:
    """The campaign's ideas (and their duplicates), its poll's counts as the first
    quote, the most voted ideas after it; everyone who answered the poll is heard."""
    with engine.connect() as conn:
        row = conn.execute(select(campaigns).where(campaigns.c.id == campaign_id)).first()
        if row is None:
            return None
        own = list(conn.execute(select(campaign_ideas.c.proposal_id).where(
            campaign_ideas.c.campaign_id == campaign_id,
            visible(campaign_ideas.c.proposal_id))).scalars())
        duplicates = conn.execute(select(merges.c.duplicate_id)
                                  .where(merges.c.root_id.in_(own))).scalars()
        ideas = list(dict.fromkeys([*own, *duplicates]))
        said = _poll_quote(conn, campaign_id, row.poll_question)
        said += _title_quotes(conn, [], own)[: QUOTES - len(said)]
        counted = _count(conn, row.question, ideas, said, votes_of=own)
        answered = set(conn.execute(select(poll_answers.c.member_id).where(
            poll_answers.c.campaign_id == campaign_id)).scalars())
        people = set(conn.execute(_people(ideas)).scalars()) | answered
        name = conn.execute(select(categories.c.name)
                            .where(categories.c.id == row.category_id)).scalar_one()
    return replace(counted, people=len(people), categories=(name,),
                   category_ids=(row.category_id,), first_asked_at=row.opened_at)


def _poll_quote(conn: Connection, campaign_id: UUID, poll_question: str) -> list[str]:
    options = conn.execute(
        select(campaign_options.c.label, campaign_options.c.answers)
        .where(campaign_options.c.campaign_id == campaign_id)
        .order_by(campaign_options.c.answers.desc(), campaign_options.c.position)).all()
    if not options:
        return []
    counts = "; ".join(f"{o.label}: {o.answers}" for o in options)
    return [_quote(f"{poll_question} {counts}")]


def involved_in(engine: Engine, proposal_ids: list[UUID]) -> list[UUID]:
    """Every member who submitted, votes for, or commented on any of these ideas."""
    with engine.connect() as conn:
        return sorted(conn.execute(_people(proposal_ids)).scalars(), key=str)


def _people(ideas: list[UUID]) -> Any:
    return union(
        select(proposals.c.author_id.label("member")).where(proposals.c.id.in_(ideas)),
        select(votes.c.member_id).where(votes.c.proposal_id.in_(ideas), votes.c.is_active),
        select(comments.c.author_id).where(comments.c.proposal_id.in_(ideas),
                                           visible(comments.c.id)),
    )


def _count(conn: Connection, title: str, ideas: list[UUID], quotes: list[str],
           votes_of: list[UUID]) -> YouSaid:
    people = conn.execute(select(func.count()).select_from(_people(ideas).subquery()))
    spans = conn.execute(
        select(categories.c.id, categories.c.name).distinct()
        .join(proposals, proposals.c.category_id == categories.c.id)
        .where(proposals.c.id.in_(ideas)).order_by(categories.c.name)).all()
    totals = conn.execute(select(func.coalesce(func.sum(proposals.c.votes), 0))
                          .where(proposals.c.id.in_(votes_of))).scalar_one()
    talk = conn.execute(select(func.count()).select_from(comments).where(
        comments.c.proposal_id.in_(ideas), visible(comments.c.id))).scalar_one()
    first = conn.execute(select(func.min(proposals.c.created_at))
                         .where(proposals.c.id.in_(ideas))).scalar_one()
    return YouSaid(
        subject_title=title, people=int(people.scalar_one()), ideas=len(ideas),
        votes=int(totals), comments=int(talk), categories=tuple(r.name for r in spans),
        category_ids=tuple(r[0] for r in spans), quotes=tuple(quotes),
        proposal_ids=tuple(ideas), first_asked_at=first)


def _comment_quotes(conn: Connection, ideas: list[UUID], wanted: int) -> list[str]:
    """The longest comments say the most: a few of them, as written."""
    if wanted <= 0:
        return []
    rows = conn.execute(
        select(comments.c.text).where(comments.c.proposal_id.in_(ideas), visible(comments.c.id))
        .order_by(func.length(comments.c.text).desc(), comments.c.posted_at).limit(wanted))
    return [_quote(text) for text in rows.scalars()]


def _title_quotes(conn: Connection, representatives: list[UUID],
                  members: list[UUID]) -> list[str]:
    """The theme's representatives (most central ideas), else its most voted ideas."""
    wanted = [r for r in representatives if r in set(members)] or members
    rows = conn.execute(
        select(proposals.c.title).where(proposals.c.id.in_(wanted), visible(proposals.c.id))
        .order_by(proposals.c.votes.desc(), proposals.c.created_at).limit(QUOTES))
    return [_quote(title) for title in rows.scalars()]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"
