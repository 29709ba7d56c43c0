"""`incubator backup PATH` and `incubator restore PATH`.

SQLite: the backup is one SQLite file made with SQLite's online backup API in a
single step, i.e. inside one read transaction: a consistent snapshot of the events
and the read models, taken while the app goes on writing (WAL lets it). Never
`VACUUM INTO`: it may renumber rowids, and a SQLite event's rowid is its position
in the log. A restore needs the data directory to itself (see `datadir`).

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot too) and
`pg_restore`, run for you when they are installed.

After a restore the read models are rebuilt from the restored events, so they are
right for this release whatever release made the backup.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import subprocess  # -- only pg_dump and pg_restore, see _run  # nosec B404
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg

from incubator.bootstrap import SQLITE_FILE, bootstrap
from incubator.datadir import exclusive
from incubator.settings import Settings
from incubator.upgrade import rebuild_in_place

PG_GUIDANCE = """\
PostgreSQL is backed up with its own tools (the same major version as the server):
  pg_dump --format=custom --file=incubator.dump "$INCUBATOR_DATABASE_URL"
and restored into a new, empty database with:
  pg_restore --no-owner --no-privileges --dbname="$NEW_DATABASE_URL" incubator.dump
  incubator projections rebuild --database "$NEW_DATABASE_URL"
"""


class BackupError(RuntimeError):
    """Something an operator must fix; the message says what."""


def backup(settings: Settings, target: Path, force: bool = False) -> dict[str, Any]:
    if target.exists() and not force:
        raise BackupError(f"{target} exists; choose another name or add --force.")
    started = time.perf_counter()
    if settings.uses_postgres:
        _pg_dump(settings.database_url, target)
    else:
        _sqlite_backup(settings.data_dir / SQLITE_FILE, target)
    return {"backup": str(target), "bytes": target.stat().st_size,
            "seconds": round(time.perf_counter() - started, 3)}


def restore(settings: Settings, source: Path, force: bool = False) -> dict[str, Any]:
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    started = time.perf_counter()
    if settings.uses_postgres:
        _pg_restore(settings.database_url, source, force)
    else:
        _sqlite_restore(settings.data_dir, source, force)
    rebuilt = rebuild_read_models(settings)
    return {"restored": str(source), **rebuilt,
            "seconds": round(time.perf_counter() - started, 3)}


def rebuild_read_models(settings: Settings) -> dict[str, int]:
    services = bootstrap(dataclasses.replace(settings, demo=False), follow=False)
    try:
        assert services.upgrade is not None
        rebuild_in_place(services.runner, services.upgrade.shadow)
        events = services.runner.catch_up()
        head = services.app.recorder.max_notification_id() or 0
        position = services.read_model.position(services.runner.projection.name)
    finally:
        services.close()
    if position != head:
        raise BackupError(f"The read models reached {position} of {head} events.")
    return {"events": events}


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"There is no Incubator database at {database}.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as source, \
            closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)  # pages=-1: every page in one step, one snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    _check_sqlite(partial)
    partial.replace(target)


def _sqlite_restore(data_dir: Path, source: Path, force: bool) -> None:
    _check_sqlite(source)
    database = data_dir / SQLITE_FILE
    with exclusive(data_dir):
        if _sqlite_events(database) and not force:
            raise BackupError(f"{database} already holds events; add --force to replace them.")
        incoming = database.with_name(SQLITE_FILE + ".restoring")
        shutil.copyfile(source, incoming)
        for stale in (database, *_sqlite_sidecars(database)):
            stale.unlink(missing_ok=True)  # a stale -wal would be replayed onto the copy
        incoming.replace(database)


def _check_sqlite(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error}).") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")
    if "stored_events" not in tables:
        raise BackupError(f"{path} is not an Incubator backup (it has no events).")


def _sqlite_events(database: Path) -> int:
    if not database.is_file():
        return 0
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM stored_events").fetchone()[0])
        except sqlite3.OperationalError:  # no such table: an empty database
            return 0


def _sqlite_sidecars(database: Path) -> tuple[Path, ...]:
    return tuple(database.with_name(database.name + end) for end in ("-wal", "-shm", "-journal"))


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed here.\n\n{PG_GUIDANCE}")
    return found


def _pg_dump(url: str, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    _run([_pg_tool("pg_dump"), "--format=custom", f"--file={partial}", f"--dbname={url}"])
    partial.replace(target)


def _pg_restore(url: str, source: Path, force: bool) -> None:
    others, events = _pg_target(url)
    if others:
        raise BackupError(f"{others} other sessions use this database; stop the app first.")
    if events and not force:
        raise BackupError("The database already holds events; add --force to replace them.")
    clean = ["--clean", "--if-exists"] if force else []
    _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
          *clean, f"--dbname={url}", str(source)])


def _pg_target(url: str) -> tuple[int, int]:
    """How many other sessions use the database, and how many events it holds."""
    try:
        conn = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise BackupError(f"Cannot connect to the target database: {error}") from None
    with conn:
        others = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                              "current_database() AND pid <> pg_backend_pid()").fetchone()
        table = conn.execute("SELECT to_regclass('incubator_events')").fetchone()
        events = (conn.execute("SELECT count(*) FROM incubator_events").fetchone()
                  if table and table[0] else (0,))
    return int(others[0] if others else 0), int(events[0] if events else 0)


def _run(command: list[str]) -> None:
    # An argument list naming pg_dump or pg_restore, never a shell.
    result = subprocess.run(  # noqa: S603 -- fixed programs  # nosec B603
        command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
