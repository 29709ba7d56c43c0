"""A projection's position in the event log, kept beside its rows."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from projections.tables import tracking


def position_of(conn: Connection, projection: str) -> int:
    found = conn.execute(
        select(tracking.c.position).where(tracking.c.projection == projection)
    ).scalar()
    return int(found or 0)


def ensure_tracked(conn: Connection, projection: str) -> None:
    """Give a new projection its row at position 0, so `advance` only updates."""
    if conn.execute(select(tracking).where(tracking.c.projection == projection)).first() is None:
        conn.execute(insert(tracking).values(projection=projection, position=0))


def reset(conn: Connection, projection: str) -> None:
    conn.execute(
        update(tracking).where(tracking.c.projection == projection).values(position=0)
    )


def advance(conn: Connection, projection: str, start: int, end: int) -> None:
    """Move from `start` to `end` in the caller's transaction, or raise if someone
    else moved first: the caller rolls back, so each event is applied once."""
    moved = conn.execute(
        update(tracking)
        .where(tracking.c.projection == projection, tracking.c.position == start)
        .values(position=end)
    )
    if moved.rowcount != 1:
        raise TrackingConflictError(f"{projection} is no longer at position {start}.")


class TrackingConflictError(Exception):
    pass
