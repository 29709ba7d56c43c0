"""A projection's position in the event log, kept beside its rows."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, insert, select, update

from projections.tables import tracking

# Built once, values bound (projections/queries.py says why): every projected batch
# reads and moves its position. The names are no column's, so `update` won't SET them.
_POSITION = select(tracking.c.position).where(tracking.c.projection == bindparam("name"))
_ADVANCE = (
    update(tracking)
    .where(tracking.c.projection == bindparam("name"), tracking.c.position == bindparam("start"))
    .values(position=bindparam("end"))
)


def position_of(conn: Connection, projection: str) -> int:
    found = conn.execute(_POSITION, {"name": projection}).scalar()
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
    moved = conn.execute(_ADVANCE, {"name": projection, "start": start, "end": end})
    if moved.rowcount != 1:
        raise TrackingConflictError(f"{projection} is no longer at position {start}.")


class TrackingConflictError(Exception):
    pass
