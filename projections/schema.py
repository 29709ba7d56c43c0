"""Creating the read-model tables and emptying them for a rebuild."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from uuid import UUID

from sqlalchemy import Connection, Engine, Table, delete, insert, select, update

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
    with engine.begin() as conn, freed_pages_not_zeroed(conn):
        for table in reversed(PROJECTED_TABLES):
            conn.execute(delete(table))
            for index in table.indexes:
                index.drop(conn, checkfirst=True)
        tracking.reset(conn, projection)


@contextmanager
def freed_pages_not_zeroed(conn: Connection) -> Iterator[None]:
    """Emptying every projected table without zeroing each page it frees.

    SQLite as Debian builds it (3.40.1 here) has SECURE_DELETE on: deleting the rows
    of 100,000 events wrote 120 MB of zeros to the WAL (1.4 s, then the same again at
    the checkpoint; 0.15 s and 0.5 MB without). FAST still zeroes deleted content on the pages it
    writes anyway; only whole freed pages keep their old bytes until reused, which
    the rebuild that follows does at once. Those bytes are read-model rows, derived
    from the event log in the same file (personal data lives in tables that are never
    emptied), so they hold nothing the file does not. The setting is the
    connection's: it is put back before the connection returns to the pool."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA secure_delete").scalar()
    conn.exec_driver_sql("PRAGMA secure_delete=FAST")
    try:
        yield
    finally:
        # 2 is how SQLite reports FAST, which it only takes by name.
        conn.exec_driver_sql(f"PRAGMA secure_delete={'FAST' if before == 2 else int(bool(before))}")


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
