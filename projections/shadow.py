"""Shadow tables: a projection's next version, built beside the live tables.

The shadow has the live tables' names (and its own tracking and version rows) in
a place the pages never read: a separate schema on PostgreSQL, a separate file on
SQLite. The projection code writes there unchanged, through `Shadow.engine`. Once
it has caught up, `swap_in` replaces the live tables in ONE transaction, so a query
sees either the old tables or the new ones, never a half-built one:

- PostgreSQL: drop the live tables, `ALTER TABLE ... SET SCHEMA` the shadow ones in
  (a rename: indexes and keys move along), drop the shadow schema.
- SQLite: a table cannot move between files, so the shadow is attached and copied
  into the main file (tables, rows, then indexes); the file is deleted afterwards.

A projection's side tables (the e-mail outbox) are not replaced: what the shadow
build added to them is merged into the live ones, keys already there kept as they
are, so mail for what happened during the rebuild is not lost and none is doubled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, MetaData, Table, exc, insert, select, text
from sqlalchemy.schema import CreateSchema, CreateTable, DropSchema, DropTable

from projections import tracking as tracking_rows
from projections import versions
from projections.tables import schema_versions, tracking

# Side tables' new rows go into the live ones; keys already there win. The names
# filled in are our own tables' (quoted by the dialect), never input.
MERGE_INTO_LIVE = "INSERT INTO {live} SELECT * FROM {shadow} ON CONFLICT DO NOTHING"
MERGE_INTO_LIVE_SQLITE = 'INSERT OR IGNORE INTO main."{name}" SELECT * FROM rm_next."{name}"'

# Kept with every projection's rows: where it is in the log, which version wrote it.
BOOKKEEPING = (tracking, schema_versions)


class Shadow(Protocol):
    @property
    def engine(self) -> Engine:
        """Writes and reads the shadow tables under the live tables' names."""

    def version(self, projection: str) -> str | None:
        """The version a shadow build in progress is for; None if there is none."""

    def prepare(self, tables: Sequence[Table], projection: str, version: str,
                side: Sequence[Table] = ()) -> None:
        """Empty tables (no secondary indexes yet), tracking at 0, version recorded."""

    def swap_in(self, tables: Sequence[Table], side: Sequence[Table] = ()) -> None:
        """Replace the live tables with the shadow's, and merge the side tables' new
        rows into the live ones, atomically; the shadow is gone."""

    def discard(self) -> None: ...


def _shadowed(tables: Sequence[Table]) -> tuple[Table, ...]:
    return tuple(dict.fromkeys((*tables, *BOOKKEEPING)))


def _create_empty(engine: Engine, tables: Sequence[Table], projection: str,
                  version: str, side: Sequence[Table]) -> None:
    with engine.begin() as conn:
        for table in (*_shadowed(tables), *side):
            conn.execute(CreateTable(table))  # keys only: indexes come at the end
        tracking_rows.ensure_tracked(conn, projection)
        versions.record(conn, projection, version)


class SchemaShadow:
    """PostgreSQL: the shadow tables live in their own schema."""

    def __init__(self, live: Engine, schema: str = "rm_next") -> None:
        self.live, self.schema = live, schema
        self._engine = live.execution_options(schema_translate_map={None: schema})

    @property
    def engine(self) -> Engine:
        return self._engine

    def version(self, projection: str) -> str | None:
        try:
            with self._engine.connect() as conn:
                return versions.recorded(conn, projection)
        except exc.ProgrammingError:  # no shadow schema (or it was just swapped in)
            return None

    def prepare(self, tables: Sequence[Table], projection: str, version: str,
                side: Sequence[Table] = ()) -> None:
        self.discard()
        with self.live.begin() as conn:
            conn.execute(CreateSchema(self.schema))
        _create_empty(self._engine, tables, projection, version, side)

    def swap_in(self, tables: Sequence[Table], side: Sequence[Table] = ()) -> None:
        with self.live.begin() as conn:
            quote = conn.dialect.identifier_preparer.quote
            live_schema = quote(str(conn.execute(text("SELECT current_schema()")).scalar()))
            for table in side:
                name = quote(table.name)
                conn.execute(text(MERGE_INTO_LIVE.format(
                    live=f"{live_schema}.{name}", shadow=f"{quote(self.schema)}.{name}")))
            for table in _shadowed(tables):
                conn.execute(DropTable(table, if_exists=True))
            for table in _shadowed(tables):
                moved = f"{quote(self.schema)}.{quote(table.name)}"
                # -- identifiers of our own tables, quoted by the dialect  # nosec B608
                conn.execute(text(f"ALTER TABLE {moved} SET SCHEMA {live_schema}"))
            conn.execute(DropSchema(self.schema, cascade=True))

    def discard(self) -> None:
        with self.live.begin() as conn:
            conn.execute(DropSchema(self.schema, cascade=True, if_exists=True))


class FileShadow:
    """SQLite: the shadow tables live in their own database file."""

    def __init__(self, live: Engine, path: Path,
                 open_file: Callable[[Path, bool], Engine]) -> None:
        """`open_file(path, writes)`: an engine on the file, for writing or reading."""
        self.live, self.path, self._open_file = live, path, open_file
        self._engine: Engine | None = None
        self._reader: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._open_file(self.path, True)
        return self._engine

    def version(self, projection: str) -> str | None:
        if not self.path.exists():
            return None
        if self._reader is None:  # never waits for the builder's write lock
            self._reader = self._open_file(self.path, False)
        try:
            with self._reader.connect() as conn:
                return versions.recorded(conn, projection)
        except exc.OperationalError:  # no such table, or the file just went
            return None

    def prepare(self, tables: Sequence[Table], projection: str, version: str,
                side: Sequence[Table] = ()) -> None:
        self.discard()
        _create_empty(self.engine, tables, projection, version, side)

    def swap_in(self, tables: Sequence[Table], side: Sequence[Table] = ()) -> None:
        self._close()  # the WAL is checkpointed into the file
        with self.live.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("ATTACH DATABASE ? AS rm_next", (str(self.path),))
            try:
                with conn.begin():
                    for table in side:
                        conn.execute(text(MERGE_INTO_LIVE_SQLITE.format(name=table.name)))
                    attached = MetaData(schema="rm_next")
                    for table in _shadowed(tables):
                        conn.execute(DropTable(table, if_exists=True))
                        conn.execute(CreateTable(table))
                        source = table.to_metadata(attached)
                        conn.execute(insert(table).from_select(
                            list(table.columns.keys()), select(*source.columns)))
                    for table in _shadowed(tables):
                        for index in table.indexes:
                            index.create(conn)
            finally:
                raw.execute("DETACH DATABASE rm_next")
        self.discard()

    def discard(self) -> None:
        self._close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _close(self) -> None:
        for engine in (self._engine, self._reader):
            if engine is not None:
                engine.dispose()
        self._engine = self._reader = None
