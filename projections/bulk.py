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

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.dml import UpdateBase

Row = dict[str, Any]
_Plan = tuple[str, list[tuple[str, Any]]]  # SQL, (bind name, bind processor or None)
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
    processors = [process for _, process in binds]
    names = [name for name, _ in binds]
    if all(process is None for process in processors):
        params = [tuple(row[name] for name in names) for row in rows]
    else:
        pairs = list(zip(names, processors, strict=True))
        params = [
            tuple(row[name] if process is None else process(row[name])
                  for name, process in pairs)
            for row in rows
        ]
    conn.exec_driver_sql(sql, params)


def _plan(conn: Connection, statement: UpdateBase, keys: tuple[str, ...]) -> _Plan:
    dialect = conn.dialect
    cache_key = (id(statement), dialect.name, keys)
    cached = _plans.get(cache_key)
    if cached is not None and cached[0] is statement:
        return cached[1]
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    order = compiled.positiontup or []
    binds = [
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in order
    ]
    plan = (str(compiled), binds)
    _plans[cache_key] = (statement, plan)  # the statement is kept, so its id stays unique
    return plan
