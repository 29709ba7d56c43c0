"""Creating the read-model tables and emptying them for a rebuild."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Engine, Table, delete, insert, select, update

from projections import tracking
from projections.tables import PROJECTED_TABLES, member_profiles, metadata


def create_tables(engine: Engine, projections: tuple[str, ...]) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        for name in projections:
            tracking.ensure_tracked(conn, name)


def empty_projected_tables(engine: Engine, projection: str) -> None:
    """Delete every row a projection wrote and send it back to the log's start.

    The secondary indexes are dropped too, and made again by `create_missing_indexes`
    when the catch-up that follows reaches the end of the log: building an index
    once over all rows is much cheaper than keeping it sorted through 100,000
    random inserts. If the rebuild stops half-way, the next catch-up (every start
    of the app does one) makes them."""
    with engine.begin() as conn:
        for table in reversed(PROJECTED_TABLES):
            conn.execute(delete(table))
            for index in table.indexes:
                index.drop(conn, checkfirst=True)
        tracking.reset(conn, projection)


def create_missing_indexes(engine: Engine, tables: Sequence[Table]) -> None:
    with engine.begin() as conn:
        for table in tables:
            for index in table.indexes:
                index.create(conn, checkfirst=True)


def save_member_profile(engine: Engine, member_id: UUID, display_name: str) -> None:
    with engine.begin() as conn:
        exists = conn.execute(
            select(member_profiles.c.id).where(member_profiles.c.id == member_id)
        ).first()
        if exists:
            conn.execute(
                update(member_profiles).where(member_profiles.c.id == member_id)
                .values(display_name=display_name)
            )
        else:
            conn.execute(insert(member_profiles).values(id=member_id, display_name=display_name))
