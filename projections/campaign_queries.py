"""Queries over the campaign tables: the list, a campaign's page, its ideas and results."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Integer, Select, bindparam, func, select

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


# Statements are built once, values bound (projections/queries.py says why).
_LIST = _summaries().order_by(
    (campaigns.c.status == "open").desc(), campaigns.c.deadline.is_(None),
    campaigns.c.deadline, campaigns.c.closed_at.desc(), campaigns.c.opened_at.desc())


def campaign_list(engine: Engine) -> tuple[CampaignSummary, ...]:
    """Open campaigns first, the next deadline first (none last); then closed ones,
    the latest closed first."""
    with engine.connect() as conn:
        return tuple(CampaignSummary(**row._asdict()) for row in conn.execute(_LIST))


_opener, _closer = member_profiles.alias("opener"), member_profiles.alias("closer")
_CAMPAIGN = (_summaries().add_columns(
    campaigns.c.description, campaigns.c.poll_question, campaigns.c.closed_why,
    campaigns.c.close_note,
    func.coalesce(_opener.c.display_name, FORMER_MEMBER).label("opened_by_name"),
    func.coalesce(_closer.c.display_name, "").label("closed_by_name"))
    .outerjoin(_opener, _opener.c.id == campaigns.c.opened_by)
    .outerjoin(_closer, _closer.c.id == campaigns.c.closed_by)
    .where(campaigns.c.id == bindparam("campaign")))
_OPTIONS = (select(campaign_options.c.position, campaign_options.c.label,
                   campaign_options.c.answers)
            .where(campaign_options.c.campaign_id == bindparam("campaign"))
            .order_by(campaign_options.c.position))


def campaign(engine: Engine, campaign_id: UUID) -> CampaignView | None:
    with engine.connect() as conn:
        row = conn.execute(_CAMPAIGN, {"campaign": campaign_id}).first()
        if row is None:
            return None
        options = conn.execute(_OPTIONS, {"campaign": campaign_id}).all()
    return CampaignView(**row._asdict(),
                        options=tuple(PollOption(**option._asdict()) for option in options))


@cache
def _ideas_of(limited: bool) -> Select[Any]:
    query = (_cards().join(campaign_ideas, campaign_ideas.c.proposal_id == proposals.c.id)
             .where(campaign_ideas.c.campaign_id == bindparam("campaign"),
                    visible(proposals.c.id))
             .order_by(proposals.c.votes.desc(), proposals.c.created_at, proposals.c.id))
    return query.limit(bindparam("limit", type_=Integer)) if limited else query


def campaign_ideas_of(engine: Engine, campaign_id: UUID,
                      limit: int | None = None) -> tuple[ProposalCard, ...]:
    """The campaign's visible ideas, the most voted first."""
    values: dict[str, Any] = {"campaign": campaign_id}
    if limit is not None:
        values["limit"] = limit
    with engine.connect() as conn:
        return tuple(ProposalCard(**{**row._asdict(), "status": Status(row.status)})
                     for row in conn.execute(_ideas_of("limit" in values), values))


_theme_ideas = func.count(theme_members.c.proposal_id)
_THEMES = (select(themes.c.id, themes.c.label, _theme_ideas.label("ideas"))
           .join(theme_members, theme_members.c.theme_id == themes.c.id)
           .join(campaign_ideas, campaign_ideas.c.proposal_id == theme_members.c.proposal_id)
           .where(campaign_ideas.c.campaign_id == bindparam("campaign"),
                  visible(campaign_ideas.c.proposal_id))
           .group_by(themes.c.id, themes.c.label)
           .order_by(_theme_ideas.desc(), themes.c.label))


def campaign_themes(engine: Engine, campaign_id: UUID) -> tuple[CampaignTheme, ...]:
    """The themes (of the latest clustering run) its ideas fall into, the biggest first."""
    with engine.connect() as conn:
        return tuple(CampaignTheme(**row._asdict())
                     for row in conn.execute(_THEMES, {"campaign": campaign_id}))


_ANSWER_OF = select(poll_answers.c.option).where(
    poll_answers.c.member_id == bindparam("member"),
    poll_answers.c.campaign_id == bindparam("campaign"))


def answer_of(engine: Engine, campaign_id: UUID, member_id: UUID) -> int | None:
    """The member's poll answer (the option's position), None before they answer."""
    with engine.connect() as conn:
        found: int | None = conn.execute(
            _ANSWER_OF, {"member": member_id, "campaign": campaign_id}).scalar()
        return found


def answerers(engine: Engine, campaign_id: UUID) -> list[UUID]:
    """Everyone who answered the poll (an outcome tells them too)."""
    query = select(poll_answers.c.member_id).where(poll_answers.c.campaign_id == campaign_id)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


_OF_IDEA = _summaries().join(campaign_ideas, campaign_ideas.c.campaign_id == campaigns.c.id
                             ).where(campaign_ideas.c.proposal_id == bindparam("idea"))


def campaign_of_idea(engine: Engine, proposal_id: UUID) -> CampaignSummary | None:
    with engine.connect() as conn:
        row = conn.execute(_OF_IDEA, {"idea": proposal_id}).first()
    return None if row is None else CampaignSummary(**row._asdict())


def due_campaigns(engine: Engine, now: datetime) -> list[UUID]:
    """Open campaigns whose deadline has passed (`now` naive UTC): the deadline job's."""
    query = select(campaigns.c.id).where(
        campaigns.c.status == "open", campaigns.c.deadline <= now).order_by(campaigns.c.deadline)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())
