"""Questions about members: the admins' list, and who owns what."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Row, Select, func, select

from domain.member import Role
from projections.member_views import Grant, MemberPage, MemberSummary
from projections.queries import FORMER_MEMBER
from projections.tables import (
    categories,
    comments,
    follows,
    member_accounts,
    member_profiles,
    member_roles,
    members,
    notification_preferences,
    proposals,
    votes,
)

MEMBERS_PAGE = 50


def _summaries() -> Select[Any]:
    return (
        select(members.c.id, members.c.issuer, members.c.status, members.c.registered_at,
               member_profiles.c.display_name, member_accounts.c.email)
        .outerjoin(member_profiles, member_profiles.c.id == members.c.id)
        .outerjoin(member_accounts, member_accounts.c.member_id == members.c.id)
    )


def member_summaries(engine: Engine, member_id: UUID | None = None) -> tuple[MemberSummary, ...]:
    """Every member (or one), by name, with e-mail (local accounts) and roles."""
    query = _summaries().order_by(member_profiles.c.display_name, members.c.id)
    if member_id is not None:
        query = query.where(members.c.id == member_id)
    with engine.connect() as conn:
        return _with_grants(conn, conn.execute(query).all())


def member_page(engine: Engine, search: str = "", page: int = 1) -> MemberPage:
    """One page of members by name; `search` matches names and e-mail addresses."""
    query = _summaries()
    if search:
        wanted = search.lower()
        query = query.where(
            func.lower(member_profiles.c.display_name).contains(wanted, autoescape=True)
            | member_accounts.c.email.contains(wanted, autoescape=True))
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(query.subquery()))
                    .scalar_one())
        pages = max(1, math.ceil(total / MEMBERS_PAGE))
        page = min(max(page, 1), pages)
        rows = conn.execute(query.order_by(member_profiles.c.display_name, members.c.id)
                            .limit(MEMBERS_PAGE).offset((page - 1) * MEMBERS_PAGE)).all()
        return MemberPage(_with_grants(conn, rows), page, pages, total)


def _with_grants(conn: Connection, rows: Sequence[Row[Any]]) -> tuple[MemberSummary, ...]:
    ids = [r.id for r in rows]
    grants: dict[UUID, list[Grant]] = defaultdict(list)
    query = (
        select(member_roles.c.member_id, member_roles.c.role, member_roles.c.category_id,
               categories.c.name)
        .outerjoin(categories, categories.c.id == member_roles.c.category_id)
        .where(member_roles.c.member_id.in_(ids))
        .order_by(member_roles.c.role, categories.c.name)
    )
    for g in conn.execute(query):
        grants[g.member_id].append(Grant(Role(g.role), g.category_id, g.name or ""))
    return tuple(
        MemberSummary(r.id, r.display_name or FORMER_MEMBER, r.email, r.issuer, r.status,
                      r.registered_at, tuple(grants[r.id]))
        for r in rows
    )


def member_summary(engine: Engine, member_id: UUID) -> MemberSummary | None:
    found = member_summaries(engine, member_id)
    return found[0] if found else None


def admins(engine: Engine) -> tuple[UUID, ...]:
    query = (select(member_roles.c.member_id)
             .join(members, members.c.id == member_roles.c.member_id)
             .where(member_roles.c.role == Role.ADMIN.value, members.c.status == "active"))
    with engine.connect() as conn:
        return tuple(conn.execute(query).scalars())


def member_data(engine: Engine, member_id: UUID) -> dict[str, Any]:
    """Everything the site holds about a member, as JSON-ready values ("download my data")."""
    with engine.connect() as conn:
        profile = conn.execute(select(member_profiles.c.display_name)
                               .where(member_profiles.c.id == member_id)).scalar()
        email = conn.execute(select(member_accounts.c.email)
                             .where(member_accounts.c.member_id == member_id)).scalar()
        ideas = conn.execute(
            select(proposals.c.id, proposals.c.title, proposals.c.description,
                   proposals.c.status, proposals.c.created_at)
            .where(proposals.c.author_id == member_id).order_by(proposals.c.created_at)).all()
        voted = conn.execute(
            select(votes.c.proposal_id, proposals.c.title, votes.c.cast_at)
            .join(proposals, proposals.c.id == votes.c.proposal_id)
            .where(votes.c.member_id == member_id, votes.c.is_active)
            .order_by(votes.c.cast_at)).all()
        said = conn.execute(
            select(comments.c.id, comments.c.proposal_id, comments.c.text, comments.c.posted_at,
                   comments.c.edited_at)
            .where(comments.c.author_id == member_id).order_by(comments.c.posted_at)).all()
        followed = conn.execute(
            select(follows.c.target_kind, follows.c.target_id, follows.c.following,
                   follows.c.chosen)
            .where(follows.c.member_id == member_id).order_by(follows.c.target_id)).all()
        prefs = conn.execute(select(notification_preferences.c.channels,
                                    notification_preferences.c.digest)
                             .where(notification_preferences.c.member_id == member_id)).first()
    summary = member_summary(engine, member_id)
    return {
        "member_id": str(member_id),
        "profile": {"display_name": profile, "email": email},
        "roles": [{"role": g.role.value, "category": g.category_name or None}
                  for g in (summary.grants if summary else ())],
        "ideas": [_jsonable(r._asdict()) for r in ideas],
        "votes": [_jsonable(r._asdict()) for r in voted],
        "comments": [_jsonable(r._asdict()) for r in said],
        "follows": [_jsonable(r._asdict()) for r in followed],
        "notification_preferences": None if prefs is None else {
            "channels": prefs.channels, "digest": prefs.digest},
    }


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {key: (value.isoformat() + "Z" if isinstance(value, datetime)
                  else str(value) if isinstance(value, UUID) else value)
            for key, value in row.items()}
