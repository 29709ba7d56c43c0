"""Server-side sessions and local accounts: mutable tables, not projections.

Only a SHA-256 of each session token is stored, so a copy of the database does not
let anyone act as a member. Deleting the rows ends sessions at once, for every
worker process, because every request looks its session up here.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Engine, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.member import Role
from projections.member_views import SignedInMember
from projections.queries import FORMER_MEMBER
from projections.tables import (
    email_outbox,
    member_accounts,
    member_profiles,
    member_roles,
    member_sessions,
    members,
    notification_reads,
)


def add_session(engine: Engine, token_hash: str, member_id: UUID, now: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(insert(member_sessions).values(
            token_hash=token_hash, member_id=member_id, created_at=now, last_seen_at=now))


# Every request runs this: built once (see projections/queries.py for why).
_SESSION_MEMBER = (
    select(member_sessions.c.member_id, member_sessions.c.created_at,
           member_sessions.c.last_seen_at, member_profiles.c.display_name,
           member_roles.c.role, member_roles.c.category_id)
    .join(members, members.c.id == member_sessions.c.member_id)
    .outerjoin(member_profiles, member_profiles.c.id == member_sessions.c.member_id)
    .outerjoin(member_roles, member_roles.c.member_id == member_sessions.c.member_id)
    .where(member_sessions.c.token_hash == bindparam("token"), members.c.status == "active")
)


def session_member(engine: Engine, token_hash: str) -> SignedInMember | None:
    """The active member behind a session, with their roles; None if there is none."""
    with engine.connect() as conn:
        rows = conn.execute(_SESSION_MEMBER, {"token": token_hash}).all()
    if not rows:
        return None
    first = rows[0]
    roles = frozenset(Role(r.role) for r in rows if r.role)
    owned = frozenset(r.category_id for r in rows if r.role == Role.OWNER and r.category_id)
    return SignedInMember(first.member_id, first.display_name or FORMER_MEMBER, roles, owned,
                          first.created_at, first.last_seen_at)


def touch_session(engine: Engine, token_hash: str, now: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(update(member_sessions).where(member_sessions.c.token_hash == token_hash)
                     .values(last_seen_at=now))


def delete_session(engine: Engine, token_hash: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(member_sessions).where(member_sessions.c.token_hash == token_hash))


def delete_member_sessions(engine: Engine, member_id: UUID) -> int:
    with engine.begin() as conn:
        ended = conn.execute(
            delete(member_sessions).where(member_sessions.c.member_id == member_id))
    return int(ended.rowcount)


def delete_expired_sessions(engine: Engine, idle_before: datetime,
                            started_before: datetime) -> int:
    with engine.begin() as conn:
        ended = conn.execute(delete(member_sessions).where(
            (member_sessions.c.last_seen_at < idle_before)
            | (member_sessions.c.created_at < started_before)))
    return int(ended.rowcount)


def add_account(engine: Engine, member_id: UUID, email: str, password_hash: str,
                now: datetime) -> bool:
    """False when another account already has this e-mail (the unique key decides)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(member_accounts).values(
                member_id=member_id, email=email, password_hash=password_hash,
                created_at=now))
    except IntegrityError:
        return False
    return True


def erase_personal_data(engine: Engine, member_id: UUID) -> None:
    """Forget a member: profile, account and sessions go; events keep only the id.
    Their e-mails and read marks go too (the notification projection drops their
    notices and follows when it sees `Member.Forgotten`)."""
    with engine.begin() as conn:
        for table, key in ((email_outbox, email_outbox.c.member_id),
                           (notification_reads, notification_reads.c.member_id),
                           (member_sessions, member_sessions.c.member_id),
                           (member_accounts, member_accounts.c.member_id),
                           (member_profiles, member_profiles.c.id)):
            conn.execute(delete(table).where(key == member_id))


def account_by_email(engine: Engine, email: str) -> tuple[UUID, str] | None:
    """(member id, password hash) of the local account with this (normalised) e-mail."""
    query = select(member_accounts.c.member_id, member_accounts.c.password_hash).where(
        member_accounts.c.email == email)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else (row.member_id, row.password_hash)


def account_of(engine: Engine, member_id: UUID) -> tuple[str, str] | None:
    """(e-mail, password hash) of a member's local account, if they have one."""
    query = select(member_accounts.c.email, member_accounts.c.password_hash).where(
        member_accounts.c.member_id == member_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else (row.email, row.password_hash)


def end_other_sessions(engine: Engine, member_id: UUID, keep_hash: str) -> int:
    with engine.begin() as conn:
        ended = conn.execute(delete(member_sessions).where(
            member_sessions.c.member_id == member_id, member_sessions.c.token_hash != keep_hash))
    return int(ended.rowcount)


def set_password_hash(engine: Engine, member_id: UUID, password_hash: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(member_accounts).where(member_accounts.c.member_id == member_id)
                     .values(password_hash=password_hash))


def member_status(engine: Engine, member_id: UUID) -> str | None:
    query = select(members.c.status).where(members.c.id == member_id)
    with engine.connect() as conn:
        found = conn.execute(query).scalar()
    return None if found is None else str(found)
