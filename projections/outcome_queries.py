"""Read-side questions about outcomes: the public board, the feed, idea pages, owners."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Row,
    Select,
    bindparam,
    func,
    select,
)

from domain.outcome import Stage
from projections.outcome_views import CorrectionView, OutcomePage, OutcomeView
from projections.tables import (
    categories,
    member_profiles,
    outcome_categories,
    outcome_corrections,
    outcome_ideas,
    outcomes,
    proposals,
    theme_members,
)

PAGE_SIZE = 20
FORMER_MEMBER = "former member"
NEWEST_FIRST = (outcomes.c.done_on.desc(), outcomes.c.published_at.desc(), outcomes.c.id)
_published = outcomes.c.stage == Stage.PUBLISHED.value


@cache
def _board(by_category: bool, by_since: bool) -> tuple[Select[Any], Select[Any]]:
    """The board's count and page statements, built once per shape (projections/
    queries.py says why)."""
    filters: list[ColumnElement[bool]] = [_published]
    source: Any = outcomes
    if by_category:
        # Driven from the category's rows (a few hundred), not every outcome.
        category_id = (select(categories.c.id)
                       .where(categories.c.slug == bindparam("category_slug"))
                       .scalar_subquery())
        source = outcome_categories.join(outcomes,
                                         outcomes.c.id == outcome_categories.c.outcome_id)
        filters.append(outcome_categories.c.category_id == category_id)
    if by_since:
        filters.append(outcomes.c.done_on >= bindparam("since"))
    counted = select(func.count(), func.coalesce(
        func.sum(outcomes.c.people), 0)).select_from(source).where(*filters)
    # Page through the index first, then read the page's rows only.
    on_page = (select(outcomes.c.id).select_from(source).where(*filters)
               .order_by(*NEWEST_FIRST)
               .limit(PAGE_SIZE).offset(bindparam("offset", type_=Integer)).subquery())
    return counted, (select(outcomes).join(on_page, on_page.c.id == outcomes.c.id)
                     .order_by(*NEWEST_FIRST))


def outcome_board(engine: Engine, category_slug: str | None = None,
                  since: date | None = None, page: int = 1) -> OutcomePage:
    """Published outcomes, newest first (by the outcome's date)."""
    values: dict[str, Any] = {}
    if category_slug:
        values["category_slug"] = category_slug
    if since is not None:
        values["since"] = since
    counted, paged = _board("category_slug" in values, "since" in values)
    with engine.connect() as conn:
        total, people = conn.execute(counted, values).one()
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 1), pages)
        rows = conn.execute(paged, {**values, "offset": (page - 1) * PAGE_SIZE}).all()
    # The board shows whether an outcome was corrected, not how: no detail queries.
    views = tuple(_view(row, [], []) for row in rows)
    return OutcomePage(views, page, pages, int(total), int(people))


_LATEST = (select(outcomes).where(_published)
           .order_by(outcomes.c.updated_at.desc(), outcomes.c.id)
           .limit(bindparam("limit", type_=Integer)))
_OUTCOME = select(outcomes).where(outcomes.c.id == bindparam("outcome"))
_OF_SUBJECT = select(outcomes).where(outcomes.c.subject_id == bindparam("subject"))
_NOT_WITHDRAWN = select(outcomes).where(outcomes.c.stage != Stage.WITHDRAWN.value)


def latest_outcomes(engine: Engine, limit: int = 50) -> tuple[OutcomeView, ...]:
    """For the feed: the most recently published or corrected first."""
    with engine.connect() as conn:
        rows = conn.execute(_LATEST, {"limit": limit}).all()
        return _views(conn, rows)


def outcome(engine: Engine, outcome_id: UUID) -> OutcomeView | None:
    """Any stage: the web shows drafts to those who may edit them only."""
    with engine.connect() as conn:
        row = conn.execute(_OUTCOME, {"outcome": outcome_id}).first()
        return None if row is None else _views(conn, [row])[0]


def outcome_of_subject(engine: Engine, subject_id: UUID) -> OutcomeView | None:
    """The outcome drafted for this idea or theme, in any stage."""
    with engine.connect() as conn:
        row = conn.execute(_OF_SUBJECT, {"subject": subject_id}).first()
        return None if row is None else _views(conn, [row])[0]


def outcomes_by_subject(engine: Engine) -> dict[UUID, OutcomeView]:
    """Every drafted outcome that is not withdrawn, by its idea or theme (few)."""
    with engine.connect() as conn:
        rows = conn.execute(_NOT_WITHDRAWN).all()
        return {view.subject_id: view for view in _views(conn, rows)}


_PUBLISHED_FOR_IDEA = (
    select(outcomes).join(outcome_ideas, outcome_ideas.c.outcome_id == outcomes.c.id)
    .where(outcome_ideas.c.proposal_id == bindparam("idea"), _published)
    .order_by(*NEWEST_FIRST))


def published_for_idea(engine: Engine, proposal_id: UUID) -> tuple[OutcomeView, ...]:
    """Published outcomes that answer this idea: its own, or its theme's."""
    with engine.connect() as conn:
        rows = conn.execute(_PUBLISHED_FOR_IDEA, {"idea": proposal_id}).all()
        return _views(conn, rows)


_IDEAS_WITH_OUTCOME = (
    select(outcome_ideas.c.proposal_id)
    .join(outcomes, outcomes.c.id == outcome_ideas.c.outcome_id)
    .where(outcome_ideas.c.proposal_id.in_(bindparam("ids", expanding=True)), _published))


def ideas_with_outcome(engine: Engine, proposal_ids: list[UUID]) -> frozenset[UUID]:
    """Which of these ideas (a page of cards) a published outcome answers."""
    with engine.connect() as conn:
        return frozenset(conn.execute(
            _IDEAS_WITH_OUTCOME, {"ids": list(proposal_ids)}).scalars())


_THEME_CATEGORIES = (select(proposals.c.category_id).distinct()
                     .join(theme_members, theme_members.c.proposal_id == proposals.c.id)
                     .where(theme_members.c.theme_id == bindparam("theme")))


def theme_category_ids(engine: Engine, theme_id: UUID) -> tuple[UUID, ...]:
    """The categories of a theme's ideas now: who may answer for the theme."""
    with engine.connect() as conn:
        return tuple(conn.execute(_THEME_CATEGORIES, {"theme": theme_id}).scalars())


_SPANS = (select(outcome_categories.c.outcome_id, outcome_categories.c.category_id)
          .where(outcome_categories.c.outcome_id.in_(bindparam("ids", expanding=True))))
_FIXES = (select(outcome_corrections,
                 func.coalesce(member_profiles.c.display_name, FORMER_MEMBER).label("by_name"))
          .outerjoin(member_profiles, member_profiles.c.id == outcome_corrections.c.corrected_by)
          .where(outcome_corrections.c.outcome_id.in_(bindparam("ids", expanding=True)))
          .order_by(outcome_corrections.c.position))


def _views(conn: Connection, rows: Sequence[Row[Any]]) -> tuple[OutcomeView, ...]:
    ids = {"ids": [row.id for row in rows]}
    spans: dict[UUID, list[UUID]] = defaultdict(list)
    for outcome_id, category_id in conn.execute(_SPANS, ids):
        spans[outcome_id].append(category_id)
    fixes: dict[UUID, list[CorrectionView]] = defaultdict(list)
    for fix in conn.execute(_FIXES, ids):
        fixes[fix.outcome_id].append(
            CorrectionView(fix.at, fix.by_name, fix.note, fix.previous_we_did))
    return tuple(_view(row, spans[row.id], fixes[row.id]) for row in rows)


def _view(row: Row[Any], spans: list[UUID], fixes: list[CorrectionView]) -> OutcomeView:
    values = row._asdict()
    for unused in ("drafted_by", "drafted_at", "published_by", "withdrawn_reason"):
        values.pop(unused)
    values["corrections_made"] = values.pop("corrections")
    values["links"] = tuple(link for link in row.links.split("\n") if link)
    values["quotes"] = tuple(quote for quote in row.quotes.split("\n") if quote)
    return OutcomeView(**values, category_ids=tuple(spans), corrections=tuple(fixes))
