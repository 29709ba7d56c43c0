"""Questions about members: the admins' list, and who owns what."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from sqlalchemy import Engine, select

from domain.member import Role
from projections.member_views import Grant, MemberSummary
from projections.queries import FORMER_MEMBER
from projections.tables import categories, member_accounts, member_profiles, member_roles, members


def member_summaries(engine: Engine, member_id: UUID | None = None) -> tuple[MemberSummary, ...]:
    """Every member (or one), by name, with e-mail (local accounts) and roles."""
    query = (
        select(members.c.id, members.c.issuer, members.c.status, members.c.registered_at,
               member_profiles.c.display_name, member_accounts.c.email)
        .outerjoin(member_profiles, member_profiles.c.id == members.c.id)
        .outerjoin(member_accounts, member_accounts.c.member_id == members.c.id)
        .order_by(member_profiles.c.display_name, members.c.id)
    )
    grants_query = (
        select(member_roles.c.member_id, member_roles.c.role, member_roles.c.category_id,
               categories.c.name)
        .outerjoin(categories, categories.c.id == member_roles.c.category_id)
        .order_by(member_roles.c.role, categories.c.name)
    )
    if member_id is not None:
        query = query.where(members.c.id == member_id)
        grants_query = grants_query.where(member_roles.c.member_id == member_id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        grants: dict[UUID, list[Grant]] = defaultdict(list)
        for g in conn.execute(grants_query):
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
