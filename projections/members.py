"""MemberProjection: each member's standing and roles, for access decisions and admins.

Member events are rare (registrations, grants), so they are written one statement
per event rather than batched like the board's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatchmethod
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy import Connection, Engine, Table, delete, insert, update

from domain.member import Member, Role
from projections.board import utc_naive
from projections.dispatch import Handlers
from projections.schema import create_missing_indexes
from projections.tables import MEMBER_TABLES, member_roles, members
from projections.versions import version_of


def grant_id(member_id: UUID, role: str, category_id: UUID | None) -> UUID:
    return uuid5(NAMESPACE_URL, f"/members/{member_id}/roles/{role}/{category_id or ''}")


class MemberProjection:
    name = "members"
    version = 1  # bump when a handler's logic changes: the next start rebuilds
    tables = MEMBER_TABLES

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        for handler, event, _position in _handlers.applicable(events):  # dispatch.py
            handler(self, event, conn)

    def caught_up(self, engine: Engine) -> None:
        """Nothing: the board's `caught_up` remakes every projected table's indexes."""

    @singledispatchmethod
    def process_event(self, event: Any, conn: Connection) -> None:
        """Events that don't concern members are skipped."""

    @process_event.register
    def _(self, event: Member.Registered, conn: Connection) -> None:
        at = utc_naive(event.timestamp)
        conn.execute(insert(members).values(
            id=event.originator_id, issuer=event.issuer, status="active", registered_at=at))
        _grant(conn, event.originator_id, Role.STAFF.value, None, event.originator_id, at)

    @process_event.register
    def _(self, event: Member.RoleGranted, conn: Connection) -> None:
        _grant(conn, event.originator_id, event.role, event.category_id, event.granted_by,
               utc_naive(event.timestamp))

    @process_event.register
    def _(self, event: Member.RoleRevoked, conn: Connection) -> None:
        conn.execute(delete(member_roles).where(
            member_roles.c.id == grant_id(event.originator_id, event.role, event.category_id)))

    @process_event.register
    def _(self, event: Member.Disabled, conn: Connection) -> None:
        _set_status(conn, event.originator_id, "disabled")

    @process_event.register
    def _(self, event: Member.Enabled, conn: Connection) -> None:
        _set_status(conn, event.originator_id, "active")

    @process_event.register
    def _(self, event: Member.Forgotten, conn: Connection) -> None:
        _set_status(conn, event.originator_id, "forgotten")
        conn.execute(delete(member_roles).where(member_roles.c.member_id == event.originator_id))


def _grant(conn: Connection, member_id: UUID, role: str, category_id: UUID | None,
           granted_by: UUID, at: Any) -> None:
    conn.execute(insert(member_roles).values(
        id=grant_id(member_id, role, category_id), member_id=member_id, role=role,
        category_id=category_id, granted_by=granted_by, granted_at=at))


def _set_status(conn: Connection, member_id: UUID, status: str) -> None:
    conn.execute(update(members).where(members.c.id == member_id).values(status=status))


class Projection(Protocol):
    name: str
    version: int
    tables: tuple[Table, ...]

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None: ...

    def caught_up(self, engine: Engine) -> None: ...


_handlers = Handlers(MemberProjection)


class Projections:
    """Several projections fed the same pages in ONE transaction, under one tracking
    name: they stay in step and a rebuild replays them together."""

    def __init__(self, name: str, *parts: Projection) -> None:
        self.name = name
        self.parts = parts
        self.tables = tuple(dict.fromkeys(t for part in parts for t in part.tables))
        self.version = version_of(parts, self.tables)
        # Tables a part also writes that a rebuild keeps (the e-mail outbox): optional.
        self.side_tables = tuple(dict.fromkeys(
            t for part in parts for t in getattr(part, "side_tables", ())))

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        for part in self.parts:
            part.apply(conn, events)

    def caught_up(self, engine: Engine) -> None:
        for part in self.parts:
            part.caught_up(engine)
        create_missing_indexes(engine, self.tables)
