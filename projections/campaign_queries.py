"""Queries over the campaign tables: the list, a campaign's page, its ideas and results."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Select, func, select

from domain.proposal import Status
from projections.campaign_views import CampaignSummary, CampaignTheme, CampaignView, PollOption
from projections.hidden import visible
from projections.queries import FORMER_MEMBER, _cards
from projections.tables import (
    campaign_ideas,
    campaign_options,
    campaigns,
    categories,
    member_profiles,
    poll_answers,
    proposals,
    theme_members,
    themes,
)
from projections.views import ProposalCard

TOP_IDEAS = 5


def _summaries() -> Select[Any]:
    counted = campaign_ideas.alias("counted")  # never correlated with an outer join
    ideas = (select(func.count()).select_from(counted)
             .where(counted.c.campaign_id == campaigns.c.id, visible(counted.c.proposal_id))
             .scalar_subquery())
    return (select(campaigns.c.id, campaigns.c.question, campaigns.c.category_id,
                   categories.c.name.label("category_name"), campaigns.c.deadline,
                   campaigns.c.status, campaigns.c.opened_at, campaigns.c.closed_at,
                   ideas.label("ideas"), campaigns.c.answers)
            .join(categories, categories.c.id == campaigns.c.category_id))


def campaign_list(engine: Engine) -> tuple[CampaignSummary, ...]:
    """Open campaigns first, the next deadline first (none last); then closed ones,
    the latest closed first."""
    query = _summaries().order_by(
        (campaigns.c.status == "open").desc(), campaigns.c.deadline.is_(None),
        campaigns.c.deadline, campaigns.c.closed_at.desc(), campaigns.c.opened_at.desc())
    with engine.connect() as conn:
        return tuple(CampaignSummary(**row._asdict()) for row in conn.execute(query))


def campaign(engine: Engine, campaign_id: UUID) -> CampaignView | None:
    opener, closer = member_profiles.alias("opener"), member_profiles.alias("closer")
    query = (_summaries().add_columns(
        campaigns.c.description, campaigns.c.poll_question, campaigns.c.closed_why,
        campaigns.c.close_note,
        func.coalesce(opener.c.display_name, FORMER_MEMBER).label("opened_by_name"),
        func.coalesce(closer.c.display_name, "").label("closed_by_name"))
        .outerjoin(opener, opener.c.id == campaigns.c.opened_by)
        .outerjoin(closer, closer.c.id == campaigns.c.closed_by)
        .where(campaigns.c.id == campaign_id))
    with engine.connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            return None
        options = conn.execute(
            select(campaign_options.c.position, campaign_options.c.label,
                   campaign_options.c.answers)
            .where(campaign_options.c.campaign_id == campaign_id)
            .order_by(campaign_options.c.position)).all()
    return CampaignView(**row._asdict(),
                        options=tuple(PollOption(**option._asdict()) for option in options))


def campaign_ideas_of(engine: Engine, campaign_id: UUID,
                      limit: int | None = None) -> tuple[ProposalCard, ...]:
    """The campaign's visible ideas, the most voted first."""
    query = (_cards().join(campaign_ideas, campaign_ideas.c.proposal_id == proposals.c.id)
             .where(campaign_ideas.c.campaign_id == campaign_id, visible(proposals.c.id))
             .order_by(proposals.c.votes.desc(), proposals.c.created_at, proposals.c.id)
             .limit(limit))
    with engine.connect() as conn:
        return tuple(ProposalCard(**{**row._asdict(), "status": Status(row.status)})
                     for row in conn.execute(query))


def campaign_themes(engine: Engine, campaign_id: UUID) -> tuple[CampaignTheme, ...]:
    """The themes (of the latest clustering run) its ideas fall into, the biggest first."""
    ideas = func.count(theme_members.c.proposal_id)
    query = (select(themes.c.id, themes.c.label, ideas.label("ideas"))
             .join(theme_members, theme_members.c.theme_id == themes.c.id)
             .join(campaign_ideas, campaign_ideas.c.proposal_id == theme_members.c.proposal_id)
             .where(campaign_ideas.c.campaign_id == campaign_id,
                    visible(campaign_ideas.c.proposal_id))
             .group_by(themes.c.id, themes.c.label)
             .order_by(ideas.desc(), themes.c.label))
    with engine.connect() as conn:
        return tuple(CampaignTheme(**row._asdict()) for row in conn.execute(query))


def answer_of(engine: Engine, campaign_id: UUID, member_id: UUID) -> int | None:
    """The member's poll answer (the option's position), None before they answer."""
    query = select(poll_answers.c.option).where(
        poll_answers.c.member_id == member_id, poll_answers.c.campaign_id == campaign_id)
    with engine.connect() as conn:
        found: int | None = conn.execute(query).scalar()
        return found


def answerers(engine: Engine, campaign_id: UUID) -> list[UUID]:
    """Everyone who answered the poll (an outcome tells them too)."""
    query = select(poll_answers.c.member_id).where(poll_answers.c.campaign_id == campaign_id)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def campaign_of_idea(engine: Engine, proposal_id: UUID) -> CampaignSummary | None:
    query = _summaries().join(campaign_ideas, campaign_ideas.c.campaign_id == campaigns.c.id
                              ).where(campaign_ideas.c.proposal_id == proposal_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else CampaignSummary(**row._asdict())


def due_campaigns(engine: Engine, now: datetime) -> list[UUID]:
    """Open campaigns whose deadline has passed (`now` naive UTC): the deadline job's."""
    query = select(campaigns.c.id).where(
        campaigns.c.status == "open", campaigns.c.deadline <= now).order_by(campaigns.c.deadline)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())
