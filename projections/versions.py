"""Which version of a projection built its tables, so a release that changes one
rebuilds it (incubator/upgrade.py) instead of reading rows another version wrote.

A projection's version has two halves: each part's explicit `version` (bumped by
hand when a handler's logic changes) and a fingerprint of its tables' definitions
(columns, types, keys, indexes), so a changed table needs no bump to be noticed.
It is recorded in `rm_schema_versions`, a table of the projected set: a shadow build
records its own version beside its own rows, and the swap moves both together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import Connection, Table, delete, insert, select

from projections.tables import schema_versions


class Versioned(Protocol):
    name: str
    version: int


def table_fingerprint(tables: Iterable[Table]) -> str:
    """Twelve hex digits that change with any column, type, key or index."""
    lines = []
    for table in sorted(tables, key=lambda t: t.name):
        lines.append(f"table {table.name}")
        for column in table.columns:
            lines.append(f"  {column.name} {column.type!r} null={column.nullable} "
                         f"pk={column.primary_key} unique={column.unique}")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            lines.append(f"  index {index.name} {[c.name for c in index.columns]} "
                         f"unique={index.unique}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]


def version_of(parts: Iterable[Versioned], tables: Iterable[Table]) -> str:
    """E.g. `board=1,members=1,outcomes=1;tables=0123456789ab`."""
    handlers = ",".join(f"{part.name}={part.version}" for part in parts)
    return f"{handlers};tables={table_fingerprint(tables)}"


def recorded(conn: Connection, projection: str) -> str | None:
    found = conn.execute(select(schema_versions.c.version)
                         .where(schema_versions.c.projection == projection)).scalar()
    return None if found is None else str(found)


def record(conn: Connection, projection: str, version: str) -> None:
    conn.execute(delete(schema_versions).where(schema_versions.c.projection == projection))
    conn.execute(insert(schema_versions).values(projection=projection, version=version))
