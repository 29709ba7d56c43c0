"""executemany of one statement over many rows, with SQLAlchemy's types but without
its per-row parameter handling.

`Connection.execute(statement, rows)` builds and checks a parameter dict for each
row before it converts the values: a third of a rebuild's time went there. Here the
statement is compiled once per shape and dialect, each row becomes a tuple through
the columns' own bind processors (UUID -> hex, datetime -> text on SQLite), and
the rows go to the driver in one `exec_driver_sql` (same transaction, same error
handling). Only for positional drivers (SQLite); on others SQLAlchemy's own
executemany is kept, since it batches INSERTs into multi-row VALUES statements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, SafeUUID

from sqlalchemy import Connection, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import UpdateBase

Row = dict[str, Any]
_Plan = tuple[str, list[tuple[str, Any]]]  # SQL, (bind name, column converter or None)
_plans: dict[tuple[int, str, tuple[str, ...]], tuple[UpdateBase, _Plan]] = {}


def execute_many(conn: Connection, statement: UpdateBase, rows: Sequence[Row]) -> None:
    """Run `statement` once per row (rows with other keys in separate batches)."""
    if not conn.dialect.positional:
        if rows:
            conn.execute(statement, list(rows))
        return
    shapes: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        shapes.setdefault(tuple(row), []).append(row)
    for keys, same in shapes.items():
        _execute_positional(conn, statement, keys, same)


def _execute_positional(
    conn: Connection, statement: UpdateBase, keys: tuple[str, ...], rows: list[Row]
) -> None:
    sql, binds = _plan(conn, statement, keys)
    # Column by column, then zipped into rows: the loops run in C (list comprehension,
    # zip) instead of a generator step per value (1.4 M of them in a rebuild), and the
    # common types are converted inside the comprehension, without a call per value.
    columns = []
    for name, convert in binds:
        values = [row[name] for row in rows]
        columns.append(values if convert is None else convert(values))
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _plan(conn: Connection, statement: UpdateBase, keys: tuple[str, ...]) -> _Plan:
    dialect = conn.dialect
    cache_key = (id(statement), dialect.name, keys)
    cached = _plans.get(cache_key)
    if cached is not None and cached[0] is statement:
        return cached[1]
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    order = compiled.positiontup or []
    binds = [
        (name, _faster(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)))
        for name in order
    ]
    plan = (str(compiled), binds)
    _plans[cache_key] = (statement, plan)  # the statement is kept, so its id stays unique
    return plan


_SAMPLES = (datetime(2026, 11, 26, 9, 5, 7, 42), datetime(2026, 11, 26, 9, 5, 7), datetime(5, 1, 2))
Converter = Callable[[list[Any]], list[Any]]


def _faster(process: Any) -> Converter | None:
    """A bind processor, as a function of a whole column. Where it writes UUIDs as 32
    hex digits, booleans as 1 and 0, or naive datetimes as `isoformat(" ",
    "microseconds")` (as SQLite's DATETIME does, formatting each field in Python),
    those values are converted by C code inside one comprehension: a Python call per
    value was 10 % of a rebuild (866,000 UUIDs, 290,000 datetimes, 260,000 booleans);
    anything else still goes to `process`."""
    if process is None:
        return None
    if _writes_uuid_hex(process):
        def hex_digits(values: list[Any]) -> list[Any]:
            # What UUID.hex does, without its Python frame ("%" is 2.5x faster than
            # an f-string's format spec here).
            return ["%032x" % v.int if type(v) is UUID else process(v)  # noqa: UP031
                    for v in values]

        return hex_digits
    if _writes_bool_as_int(process):
        def zero_one(values: list[Any]) -> list[Any]:
            return [1 if v is True else 0 if v is False else process(v) for v in values]

        return zero_one
    try:
        same = all(process(t) == t.isoformat(" ", "microseconds") for t in _SAMPLES)
    except Exception:  # a processor for another type
        same = False
    if not same:
        return lambda values: list(map(process, values))

    def iso(values: list[Any]) -> list[Any]:
        return [v.isoformat(" ", "microseconds") if type(v) is datetime and v.tzinfo is None
                else process(v) for v in values]

    return iso


def _writes_bool_as_int(process: Any) -> bool:
    try:
        written = process(True), process(False)
    except Exception:  # a processor for another type
        return False
    return type(written[0]) is int and written == (1, 0)


def _writes_uuid_hex(process: Any) -> bool:
    sample = UUID("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5")
    try:
        return bool(process(sample) == sample.hex and process(UUID(int=1)) == UUID(int=1).hex)
    except Exception:  # a processor for another type
        return False


_new, _set, _UNKNOWN = object.__new__, object.__setattr__, SafeUUID.unknown
_known: dict[str, UUID] = {}
_KNOWN_AT_MOST = 100_000  # then the cache starts again: it only saves time


def uuid_of(stored: Any) -> UUID:
    """A UUID column's value as the database gave it without SQLAlchemy's conversion
    (`type_coerce(column, String)`): 32 hex digits on SQLite, a UUID from psycopg.
    `UUID(hex)` checks its text in Python (~8 us; 140,000 rows read in a rebuild);
    this makes the same object, and shares it. Events decode their ids with it too
    (incubator/transcoding.py)."""
    if type(stored) is UUID:
        return stored
    found = _known.get(stored)
    if found is not None:
        return found
    if len(stored) != 32:
        return UUID(stored)
    made = _new(UUID)
    _set(made, "int", int(stored, 16))  # what UUID.__init__ sets, after the same int()
    _set(made, "is_safe", _UNKNOWN)
    if len(_known) >= _KNOWN_AT_MOST:
        _known.clear()
    _known[stored] = made
    return made


def dialect_insert(conn: Connection, table: Table) -> Any:
    """An INSERT that knows ON CONFLICT (both our databases do, in the same words)."""
    return (postgresql.insert(table) if conn.dialect.name == "postgresql"
            else sqlite.insert(table))


def upsert(conn: Connection, table: Table, rows: list[dict[str, Any]],
           keys: tuple[str, ...]) -> None:
    """Insert the rows, or update the columns of those whose `keys` are taken."""
    statement = dialect_insert(conn, table)
    changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed),
                 rows)


# Below this many rows, an INSERT of each row costs less than COPY's extra round
# trips (and a temporary table's catalog rows, where taken keys are skipped): the
# live path's pages are a handful of rows; a rebuild's are tens of thousands.
COPY_FROM_ROWS = 1_000


def insert_rows(conn: Connection, table: Table, rows: Sequence[Row], *,
                skip_taken: bool = False) -> None:
    """Insert `rows` into `table`; with `skip_taken`, leave out those whose key is
    taken (ON CONFLICT DO NOTHING). Many rows on PostgreSQL go in with COPY: psycopg's
    executemany sends them one by one, in Python, and 400,000 rows of a rebuild
    took two thirds of its time that way."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        shapes: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            shapes.setdefault(tuple(row), []).append(row)
        for keys, same in shapes.items():
            _copy_rows(conn, table, keys, same, skip_taken)
        return
    execute_many(conn, _insert_statement(conn, table, skip_taken), rows)


def _copy_rows(conn: Connection, table: Table, keys: tuple[str, ...], rows: list[Row],
               skip_taken: bool) -> None:
    quote = conn.dialect.identifier_preparer
    target = _table_name(conn, table)
    names = ", ".join(quote.quote(key) for key in keys)
    into = f"_incoming_{table.name}" if skip_taken else target
    cursor = conn.connection.cursor()  # the connection's own transaction
    try:
        if skip_taken:  # COPY knows no ON CONFLICT: through a table that goes at commit
            cursor.execute(f"CREATE TEMPORARY TABLE {into} (LIKE {target}) ON COMMIT DROP")
        with cursor.copy(f"COPY {into} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for values in _bound_columns(conn, table, keys, rows):
                write(values)
        if skip_taken:
            keep_new = f"INSERT INTO {target} ({names}) SELECT {names} FROM {into}"  # noqa: S608 -- identifiers of our own tables, quoted by the dialect  # nosec B608
            cursor.execute(f"{keep_new} ON CONFLICT DO NOTHING")
            cursor.execute(f"DROP TABLE {into}")
    finally:
        cursor.close()


def _table_name(conn: Connection, table: Table) -> str:
    """The table's quoted name, in the schema that `conn` puts it in (a new version of
    the read model is built in another: `schema_translate_map`, projections/shadow.py),
    as SQLAlchemy does for the statements it compiles but not for SQL given as text."""
    quote = conn.dialect.identifier_preparer
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(table.schema, table.schema)
    name = quote.quote(table.name)
    return name if schema is None else f"{quote.quote_schema(schema)}.{name}"


def _bound_columns(conn: Connection, table: Table, keys: tuple[str, ...],
                   rows: list[Row]) -> Any:
    """The rows as tuples of what the driver is given (the columns' bind processors)."""
    dialect = conn.dialect
    columns = []
    for key in keys:
        values = [row[key] for row in rows]
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(values if process is None else list(map(process, values)))
    return zip(*columns, strict=True)


_inserts: dict[tuple[str, Table, bool], Any] = {}


def _insert_statement(conn: Connection, table: Table, skip_taken: bool) -> Any:
    """One statement object per shape, so `execute_many` compiles it once."""
    key = (conn.dialect.name, table, skip_taken)
    if key not in _inserts:
        _inserts[key] = (dialect_insert(conn, table).on_conflict_do_nothing() if skip_taken
                         else insert(table))
    return _inserts[key]
