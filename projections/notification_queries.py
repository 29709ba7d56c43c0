"""Reading notices, follows and preferences; marking notices read (a mutable table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import BindParameter, ColumnElement, Engine, Integer, and_, bindparam, func, select

from projections.bulk import insert_rows
from projections.notifications import followers_of, parse_channels
from projections.tables import follows, notification_preferences, notification_reads, notifications

INBOX_PAGE = 50


@dataclass(frozen=True)
class Notice:
    position: int
    kind: str
    subject_id: UUID
    title: str
    detail: str
    link: str
    at: datetime
    read: bool


@dataclass(frozen=True)
class Preferences:
    channels: dict[str, str]
    digest: bool


def _read_join(member_id: UUID | ColumnElement[UUID]) -> ColumnElement[bool]:
    return and_(notification_reads.c.member_id == member_id,
                notification_reads.c.position == notifications.c.position)


# Built once, values bound (projections/queries.py says why): every page's bell.
_member: BindParameter[UUID] = bindparam("member")
_UNREAD_COUNT = (select(func.count()).select_from(notifications)
                 .outerjoin(notification_reads, _read_join(_member))
                 .where(notifications.c.member_id == _member,
                        notification_reads.c.position.is_(None)))
_INBOX = (select(notifications, notification_reads.c.position.is_not(None).label("read"))
          .outerjoin(notification_reads, _read_join(_member))
          .where(notifications.c.member_id == _member)
          .order_by(notifications.c.position.desc())
          .limit(bindparam("limit", type_=Integer)))
_IS_FOLLOWING = select(follows.c.following).where(follows.c.target_id == bindparam("target"),
                                                  follows.c.member_id == _member)


def unread_count(engine: Engine, member_id: UUID) -> int:
    with engine.connect() as conn:
        return int(conn.execute(_UNREAD_COUNT, {"member": member_id}).scalar_one())


def inbox(engine: Engine, member_id: UUID, limit: int = INBOX_PAGE) -> list[Notice]:
    """The member's latest notices, newest first."""
    with engine.connect() as conn:
        return [Notice(row.position, row.kind, row.subject_id, row.title, row.detail,
                       row.link, row.at, bool(row.read))
                for row in conn.execute(_INBOX, {"member": member_id, "limit": limit})]


def mark_read(engine: Engine, member_id: UUID, positions: list[int] | None = None) -> None:
    """Mark these notices (or, with None, every one) read for the member."""
    # In position order: two tabs marking the same notices at once insert the same
    # keys in the same order, so neither holds one the other waits for (deadlock).
    query = (select(notifications.c.position).where(notifications.c.member_id == member_id)
             .order_by(notifications.c.position))
    if positions is not None:
        query = query.where(notifications.c.position.in_(positions))
    with engine.begin() as conn:
        rows = [{"member_id": member_id, "position": p} for p in conn.execute(query).scalars()]
        if rows:
            insert_rows(conn, notification_reads, rows, skip_taken=True)  # marked before: kept


def is_following(engine: Engine, target_id: UUID, member_id: UUID) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(
            _IS_FOLLOWING, {"target": target_id, "member": member_id}).scalar())


def followers(engine: Engine, target_ids: list[UUID]) -> list[UUID]:
    with engine.connect() as conn:
        return sorted(followers_of(conn, target_ids), key=str)


def preferences(engine: Engine, member_id: UUID) -> Preferences:
    query = select(notification_preferences).where(
        notification_preferences.c.member_id == member_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return Preferences(parse_channels(""), False)
    return Preferences(parse_channels(row.channels), bool(row.digest))
