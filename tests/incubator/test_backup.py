"""Backup while the app writes, restore into a fresh place, and nothing differs.

The backup is taken mid-burst, so the restored log is a prefix of the source's.
To compare every projected table with the source row by row, the test then ships
the events written after the backup into the restored store (as a log-shipping
replica would) and lets its projection catch up.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, select

from domain.proposal import Status
from incubator.bootstrap import SQLITE_FILE, Services, bootstrap
from incubator.cli import main
from incubator.settings import Settings
from projections.schema import save_member_profile
from projections.tables import PROJECTED_TABLES, member_profiles
from tests.conftest import SERVER_URL
from tests.helpers import category, settle

Rows = dict[str, list[tuple[Any, ...]]]


def table_rows(engine: Engine) -> Rows:
    with engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in (*PROJECTED_TABLES, member_profiles)}


def stored_events(services: Services, upto: int | None = None) -> list[tuple[Any, ...]]:
    upto = upto or services.app.recorder.max_notification_id() or 0
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in services.app.recorder.select_notifications(start=1, limit=upto)]


def head(services: Services) -> int:
    return services.app.recorder.max_notification_id() or 0


@contextmanager
def writing(services: Services) -> Iterator[list[BaseException]]:
    """A member's day in a loop until the block ends: ideas, votes, comments, answers."""
    desk, network = category(services, "service-desk"), category(services, "network")
    people = [uuid4() for _ in range(8)]
    for n, member_id in enumerate(people):
        save_member_profile(services.writer, member_id, f"Member {n}")
    stop, rng, app = threading.Event(), random.Random(6), services.app
    errors: list[BaseException] = []

    def work() -> None:
        ideas = []
        try:
            while not stop.is_set():
                author = rng.choice(people)
                ideas.append(app.submit_proposal(f"Idea number {len(ideas)}", "Why not.",
                                                 rng.choice((desk, network)), author).id)
                idea = rng.choice(ideas)
                app.cast_vote(idea, rng.choice(people))
                app.post_comment(idea, author, "Seconded.")
                if len(ideas) % 5 == 0:
                    app.withdraw_vote(idea, rng.choice(people))
                    app.change_status(idea, Status.UNDER_REVIEW, people[0], "Looking.")
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        yield errors
    finally:
        stop.set()
        thread.join()
    assert not errors


def wait_until_head_passes(services: Services, position: int,
                           errors: list[BaseException]) -> None:
    deadline = time.monotonic() + 30
    while head(services) <= position:
        assert not errors, f"the writer failed: {errors[0]!r}"
        assert time.monotonic() < deadline, f"the writer did not pass {position}"
        time.sleep(0.02)


def backup_mid_burst(source: Services, where: list[str], path: Path) -> int:
    """Back up while writes go on; return the log head seen just before."""
    with writing(source) as errors:
        wait_until_head_passes(source, 60, errors)
        before = head(source)
        main(["backup", str(path), *where])
        wait_until_head_passes(source, head(source) + 20, errors)  # writes go on after it
    settle(source)
    return before


def test_sqlite_backup_while_writing_restores_every_projection(tmp_path: Path) -> None:
    source = bootstrap(Settings(data_dir=tmp_path / "source"))
    backup_file = tmp_path / "incubator.backup"
    before = backup_mid_burst(source, ["--data-dir", str(tmp_path / "source")], backup_file)

    main(["restore", str(backup_file), "--data-dir", str(tmp_path / "fresh")])

    restored = bootstrap(Settings(data_dir=tmp_path / "fresh"), follow=False)
    copied = head(restored)
    # A loaded machine may not schedule the writer during the backup itself; the
    # writes before and after it are what make this a backup of a live app.
    assert before <= copied < head(source), "the backup was taken while writes went on"
    assert stored_events(restored) == stored_events(source, copied)
    assert table_rows(restored.writer) != table_rows(source.writer)
    with closing(sqlite3.connect(tmp_path / "fresh" / SQLITE_FILE)) as conn, conn:
        conn.execute("ATTACH DATABASE ? AS source", (str(tmp_path / "source" / SQLITE_FILE),))
        conn.execute("INSERT INTO stored_events (rowid, originator_id, originator_version, "
                     "topic, state) SELECT rowid, * FROM source.stored_events "
                     "WHERE rowid > ?", (copied,))
    restored.runner.catch_up()
    assert table_rows(restored.writer) == table_rows(source.writer)
    restored.close()
    source.close()


@pytest.fixture
def second_database() -> Iterator[str]:
    name = f"incubator_restore_{secrets.token_hex(6)}"
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield f"{SERVER_URL}/{name}"
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


def ship_postgres_tail(source_url: str, target_url: str, after: int) -> None:
    with psycopg.connect(source_url) as source, psycopg.connect(target_url) as target:
        rows = source.execute("SELECT originator_id, originator_version, topic, state, "
                              "notification_id FROM incubator_events WHERE "
                              "notification_id > %s ORDER BY notification_id", (after,))
        with target.cursor() as cursor:
            cursor.executemany("INSERT INTO incubator_events VALUES (%s, %s, %s, %s, %s)",
                               rows.fetchall())


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgres_dump_while_writing_restores_every_projection(
        services: Services, postgres_url: str, second_database: str, tmp_path: Path) -> None:
    dump = tmp_path / "incubator.dump"
    before = backup_mid_burst(services, ["--database", postgres_url], dump)

    main(["restore", str(dump), "--database", second_database])

    restored = bootstrap(Settings(data_dir=tmp_path, database_url=second_database),
                         follow=False)
    copied = head(restored)
    assert before < copied < head(services), "the dump was taken while writes went on"
    assert stored_events(restored) == stored_events(services, copied)
    ship_postgres_tail(postgres_url, second_database, copied)
    restored.runner.catch_up()
    assert table_rows(restored.writer) == table_rows(services.writer)
    restored.close()


def test_restore_refuses_a_running_or_non_empty_data_dir(tmp_path: Path) -> None:
    source = bootstrap(Settings(data_dir=tmp_path / "source"))
    category(source)
    main(["backup", str(tmp_path / "one.backup"), "--data-dir", str(tmp_path / "source")])
    restore = ["restore", str(tmp_path / "one.backup"), "--data-dir", str(tmp_path / "source")]

    with pytest.raises(SystemExit, match="in use by a running Incubator; stop it first"):
        main([*restore, "--force"])
    source.close()
    with pytest.raises(SystemExit, match="already holds events; add --force"):
        main(restore)
    main([*restore, "--force"])

    again = bootstrap(Settings(data_dir=tmp_path / "source"))
    assert [c.slug for c in again.read_model.categories()] == ["service-desk"]
    again.close()


def test_backup_refuses_to_overwrite_and_restore_checks_its_input(tmp_path: Path,
                                                                  capsys: Any) -> None:
    services = bootstrap(Settings(data_dir=tmp_path / "data"))
    services.close()
    target = tmp_path / "kept.backup"
    target.write_text("yesterday's backup")
    where = ["--data-dir", str(tmp_path / "data")]

    with pytest.raises(SystemExit, match="exists; choose another name or add --force"):
        main(["backup", str(target), *where])
    assert target.read_text() == "yesterday's backup"
    with pytest.raises(SystemExit, match="is not a SQLite database"):
        main(["restore", str(target), "--data-dir", str(tmp_path / "other")])
    with pytest.raises(SystemExit, match="There is no backup file at"):
        main(["restore", str(tmp_path / "missing"), "--data-dir", str(tmp_path / "other")])
    main(["backup", str(target), "--force", *where])
    assert '"backup"' in capsys.readouterr().out


def test_postgres_backup_without_pg_dump_prints_the_way(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump anywhere
    with pytest.raises(SystemExit) as stopped:
        main(["backup", str(tmp_path / "x.dump"), "--database", f"{SERVER_URL}/nothing"])
    assert "pg_dump is not installed here" in str(stopped.value)
    assert "pg_dump --format=custom" in str(stopped.value)
    assert "pg_restore --no-owner" in str(stopped.value)


@pytest.mark.postgres
def test_restore_into_a_database_that_does_not_exist_says_so(tmp_path: Path) -> None:
    dump = tmp_path / "incubator.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(SystemExit, match="Cannot connect to the target database"):
        main(["restore", str(dump), "--database", f"{SERVER_URL}/no_such_database_here"])
