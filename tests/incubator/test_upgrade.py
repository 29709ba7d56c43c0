"""A release that changes a projection, on SQLite and PostgreSQL: the next start
rebuilds it beside the live tables, which keep answering the pages until the new
ones have caught up and are swapped in; a crash mid-way goes on from where the
rebuild was; a start with unchanged code rebuilds nothing."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    update,
)
from starlette.testclient import TestClient

from domain.member import Member
from incubator.bootstrap import Services, bootstrap, read_models
from incubator.identity import Identity, SignInError
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from incubator.upgrade import rebuild_in_place
from projections import bulk, versions
from projections.board import BoardProjection
from projections.members import MemberProjection, Projections
from projections.outcomes import OutcomeProjection
from projections.tables import email_outbox, member_roles, members, schema_versions
from projections.tracking import position_of
from tests.conftest import _empty_database
from tests.helpers import category, settle, submit
from tests.incubator.test_workers import Worker
from web.app import create_app

# Release 2 adds a column to the members' table and fills it.
wider_members = Table("rm_members", MetaData(), *(c._copy() for c in members.columns),
                      Column("issuer_host", String(200), nullable=True))


class WiderMembers(MemberProjection):
    version = 2
    tables = (wider_members, member_roles)

    def __init__(self, gate: Callable[[], None] = lambda: None) -> None:
        self.gate = gate  # called before each page: the tests hold or break the build

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        self.gate()
        super().apply(conn, events)
        for event, _position in events:
            if isinstance(event, Member.Registered):
                host = event.issuer.split("://")[-1].split("/")[0]
                conn.execute(update(wider_members).where(wider_members.c.id == event.originator_id)
                             .values(issuer_host=host))


def release_2(gate: Callable[[], None] = lambda: None) -> Projections:
    """Today's read models, with the members' projection changed."""
    return Projections(BoardProjection.name, *(
        WiderMembers(gate) if isinstance(part, MemberProjection) else part
        for part in read_models().parts))


def snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the running code's projection fills."""
    with services.writer.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in services.runner.projection.tables}  # type: ignore[attr-defined]


def from_scratch(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    assert services.upgrade is not None
    rebuild_in_place(services.runner, services.upgrade.shadow)
    ProjectionRunner(services.app, services.writer, services.runner.projection).catch_up()
    return snapshot(services)


def until(condition: Callable[[], Any], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.02)


def upgraded(services: Services) -> bool:
    return services.upgrade is not None and not services.upgrade.running


def history(services: Services) -> UUID:
    """Release 1's log: members, ideas, votes. Returns an idea with 3 votes."""
    app = services.app
    for n in range(4):
        app.register_member(f"https://login.example.org/tenant-{n}", f"subject-{n}")
    category_id = category(services, "network")
    idea = submit(services, category_id)
    for _ in range(3):
        app.cast_vote(idea, uuid4())
    for _ in range(5):
        submit(services, category_id)
    assert services.runner.wait_for(app.recorder.max_notification_id() or 0, timeout=5)
    return idea


def votes_of(services: Services, idea: UUID) -> int:
    detail = services.read_model.proposal(idea)
    assert detail is not None
    return detail.votes


def has_column(services: Services, table: str, column: str) -> bool:
    with services.writer.connect() as conn:
        return column in {c["name"] for c in inspect(conn).get_columns(table)}


@pytest.fixture
def release_1(backend: Settings) -> Iterator[tuple[Settings, UUID]]:
    """A deployment that ran release 1 and stopped; yields its settings and an idea."""
    services = bootstrap(backend)
    idea = history(services)
    services.close()
    yield backend, idea


def test_old_tables_serve_while_the_new_version_builds_then_it_swaps_in(
    release_1: tuple[Settings, UUID],
) -> None:
    settings, idea = release_1
    held, hold = threading.Event(), threading.Event()

    def gate() -> None:
        held.set()
        assert hold.wait(20), "the test never let the rebuild go on"

    services = bootstrap(settings, projection=release_2(gate))
    try:
        until(held.is_set, 10, "the rebuild starts")
        # The pages read release 1's tables: answers, and without the new column.
        assert votes_of(services, idea) == 3
        assert services.read_model.board().total == 6
        assert not has_column(services, "rm_members", "issuer_host")
        # A vote now is recorded; the frozen tables show it after the swap, and the
        # request that cast it does not wait for it.
        started = time.monotonic()
        voted = services.app.cast_vote(idea, uuid4())
        assert services.runner.wait_for(voted.position) is False
        assert time.monotonic() - started < 2
        assert votes_of(services, idea) == 3
        # Someone signing in for the first time is not in the frozen tables yet.
        with pytest.raises(SignInError, match="being set up"):
            Identity(services).register_external("https://login.example.org/x", "new", "Ny")

        with TestClient(create_app(services=services)) as client:
            ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text  # the old tables serve on purpose
        assert ready.json()["projections"]["board"]["rebuilding"] is True

        hold.set()
        until(lambda: upgraded(services), 20, "the new version is swapped in")
        assert services.runner.wait_for(voted.position, timeout=5)
        assert votes_of(services, idea) == 4
        assert has_column(services, "rm_members", "issuer_host")
        with services.writer.connect() as conn:  # the board's sorts have their indexes
            indexes = {i["name"] for i in inspect(conn).get_indexes("rm_proposals")}
        assert {"rm_proposals_top", "rm_proposals_status_hot"} <= indexes
        with services.writer.connect() as conn:
            hosts = conn.execute(select(wider_members.c.issuer_host)).scalars().all()
            recorded = versions.recorded(conn, "board")
        assert sorted(hosts) == ["login.example.org"] * 5  # with the one who came meanwhile
        assert recorded == services.runner.projection.version  # type: ignore[attr-defined]
        assert services.upgrade is not None and services.upgrade.error is None
        built = snapshot(services)
        assert built == from_scratch(services)
    finally:
        hold.set()
        services.close()


def test_a_rebuild_that_crashed_mid_way_goes_on_at_the_next_start(
    release_1: tuple[Settings, UUID],
) -> None:
    settings, idea = release_1
    settings = dataclasses.replace(settings, projection_batch=3)  # 7 pages of the log
    pages = 0

    def crash_on_the_fourth_page() -> None:
        nonlocal pages
        pages += 1
        if pages == 4:
            raise RuntimeError("killed mid-rebuild")

    crashing = bootstrap(settings, projection=release_2(crash_on_the_fourth_page))
    try:
        until(lambda: upgraded(crashing), 20, "the rebuild crashes")
        assert crashing.upgrade is not None and crashing.upgrade.error is not None
        shadow = crashing.upgrade.shadow
        assert shadow.version("board") == crashing.runner.projection.version  # type: ignore[attr-defined]
        with shadow.engine.connect() as conn:
            reached = position_of(conn, "board")
        assert reached == 9, "three pages of three events were built before the crash"
        # Never half-built: the pages still read release 1's tables, all of them.
        assert votes_of(crashing, idea) == 3
        assert not has_column(crashing, "rm_members", "issuer_host")
    finally:
        crashing.close()

    built: list[int] = []
    restarted = bootstrap(settings, projection=release_2(lambda: built.append(1)))
    try:
        until(lambda: upgraded(restarted), 20, "the restarted rebuild swaps in")
        assert restarted.upgrade is not None and restarted.upgrade.error is None
        head = restarted.app.recorder.max_notification_id() or 0
        assert len(built) == -(-(head - 9) // 3), "it went on from the crash's last page"
        assert has_column(restarted, "rm_members", "issuer_host")
        assert restarted.upgrade.shadow.version("board") is None, "the shadow is gone"
        assert snapshot(restarted) == from_scratch(restarted)
    finally:
        restarted.close()


def test_a_start_with_unchanged_code_rebuilds_nothing(
    release_1: tuple[Settings, UUID],
) -> None:
    settings, idea = release_1
    services = bootstrap(settings)
    try:
        assert services.upgrade is not None and not services.upgrade.running
        assert services.upgrade.seconds is None, "no rebuild ran"
        assert services.upgrade.shadow.version("board") is None
        assert services.runner.frozen is False
        assert services.runner.wait_for(services.app.cast_vote(idea, uuid4()).position)
        assert votes_of(services, idea) == 4
    finally:
        services.close()


def test_tables_without_a_recorded_version_are_rebuilt_once(
    release_1: tuple[Settings, UUID], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deployment from before versions were recorded: rebuilt at its first start.
    Its rows are written as a real log's big pages are (COPY, on PostgreSQL), and they
    go into the new tables, not the live ones."""
    monkeypatch.setattr(bulk, "COPY_FROM_ROWS", 1)
    settings, idea = release_1
    stopped = bootstrap(settings, follow=False)
    with stopped.writer.begin() as conn:
        conn.execute(schema_versions.delete())
    stopped.close()

    first = bootstrap(settings)
    try:
        until(lambda: upgraded(first), 20, "the rebuild swaps in")
        assert first.upgrade is not None and first.upgrade.seconds is not None
        assert first.upgrade.error is None
        assert votes_of(first, idea) == 3
        assert snapshot(first) == from_scratch(first)
    finally:
        first.close()
    second = bootstrap(settings)
    try:
        assert second.upgrade is not None and second.upgrade.seconds is None
    finally:
        second.close()


def test_a_new_store_projected_by_a_command_is_taken_as_it_is_by_the_next_start(
    backend: Settings,
) -> None:
    """A store seeded and projected without a served start (a script, a benchmark,
    `projections rebuild`) records this version: `serve` then rebuilds nothing."""
    seeded = bootstrap(backend, follow=False)
    try:
        idea = submit(seeded, category(seeded))
        for _ in range(3):
            seeded.app.cast_vote(idea, uuid4())
        seeded.runner.catch_up()
    finally:
        seeded.close()
    services = bootstrap(backend)
    try:
        assert services.upgrade is not None and not services.upgrade.running
        assert services.runner.frozen is False, "no rebuild started"
        assert services.upgrade.shadow.version("board") is None
        assert votes_of(services, idea) == 3
    finally:
        services.close()


def test_two_processes_starting_on_a_new_store_record_its_version_once(
    backend: Settings,
) -> None:
    """Two `incubator worker`s (or a worker and a script) starting at the same moment
    both find the read models empty and unversioned: one records the version, the
    other waits for it and finds it recorded, instead of failing on a taken key."""
    first, second = bootstrap(backend, follow=False), bootstrap(backend, follow=False)
    try:
        for _ in range(20):
            with first.writer.begin() as conn:
                conn.execute(schema_versions.delete())  # as in a new store
            both_ready = threading.Barrier(2)

            def settle(services: Services, both_ready: threading.Barrier = both_ready,
                       ) -> tuple[str | None, bool]:
                assert services.upgrade is not None
                both_ready.wait()
                return services.upgrade.make_if_empty()

            with ThreadPoolExecutor(2) as pool:
                settled = list(pool.map(settle, (first, second)))
            # One found none recorded and recorded it; the other found it recorded.
            assert {live for live, _ in settled} == {None, first.runner.projection.version}
            with first.writer.connect() as conn:
                assert versions.recorded(conn, "board") == first.runner.projection.version
    finally:
        first.close()
        second.close()


def test_the_version_changes_with_a_handler_bump_or_a_table_change() -> None:
    current = read_models().version
    assert read_models().version == current, "stable from one start to the next"
    assert release_2().version != current

    class Bumped(OutcomeProjection):
        version = 2

    bumped = Projections("board", *(Bumped() if isinstance(part, OutcomeProjection) else part
                                     for part in read_models().parts))
    assert bumped.version != current
    assert bumped.version.split(";")[1] == current.split(";")[1], "same tables"


@pytest.mark.postgres
def test_a_worker_killed_mid_upgrade_goes_on_and_web_processes_keep_serving(
    postgres_url: str, tmp_path: Path,
) -> None:
    """The real `incubator worker` in a child process, killed with SIGKILL half-way
    through rebuilding a read model whose recorded version is not the code's."""
    _empty_database(postgres_url)
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    writing = bootstrap(settings)
    idea = history(writing)
    for _ in range(600):
        writing.app.cast_vote(idea, uuid4())
    settle(writing)
    with writing.writer.begin() as conn:
        versions.record(conn, "board", "board=0;tables=from-an-older-release")
    writing.close()

    web = bootstrap(dataclasses.replace(settings, external_jobs=True))
    workers: list[Worker] = []
    try:
        assert web.upgrade is not None
        shadow = web.upgrade.shadow
        small_pages = dataclasses.replace(settings, projection_batch=3)

        def built() -> int:
            if shadow.version("board") is None:
                return 0
            with shadow.engine.connect() as conn:
                return position_of(conn, "board")

        end = web.app.recorder.max_notification_id() or 0
        first = Worker(small_pages)
        workers.append(first)
        until(lambda: 0 < built() < end / 2, 60, "the rebuild is under way")
        first.kill()
        assert 0 < built() < end, "killed mid-rebuild"
        # Web processes read the old tables meanwhile, never the half-built ones, and
        # a write waits no more than one re-check for tables that are frozen.
        assert votes_of(web, idea) == 603
        started = time.monotonic()
        assert web.runner.wait_for(web.app.cast_vote(idea, uuid4()).position) is False
        assert time.monotonic() - started < 2

        second = Worker(small_pages)
        workers.append(second)
        until(lambda: shadow.version("board") is None, 180, "the restarted worker swaps in")
        assert any("going on with the rebuild" in line for line in second.lines)
        assert web.runner.wait_for(web.app.recorder.max_notification_id() or 0, timeout=10)
        assert votes_of(web, idea) == 604
        second.stop()
        assert second.process.returncode == 0, "".join(second.lines)
        with web.writer.connect() as conn:
            assert versions.recorded(conn, "board") == read_models().version
        assert snapshot(web) == from_scratch(web)
    finally:
        for worker in workers:
            worker.stop()
        web.close()


def test_a_swap_keeps_the_e_mail_outbox_and_adds_what_the_rebuild_queued(
    backend: Settings,
) -> None:
    """Mail is not a read model: sent messages stay sent, and mail queued by the
    shadow build for what happened during it is not lost."""
    services = bootstrap(backend, follow=False)
    try:
        assert services.upgrade is not None
        shadow, tables = services.upgrade.shadow, read_models().tables
        shadow.prepare(tables, "board", "next", side=(email_outbox,))
        with services.writer.begin() as conn:
            conn.execute(insert(email_outbox).values(_message("told-before", "sent")))
        with shadow.engine.begin() as conn:
            conn.execute(insert(email_outbox).values(_message("told-before", "pending")))
            conn.execute(insert(email_outbox).values(_message("during-rebuild", "pending")))
        shadow.swap_in(tables, side=(email_outbox,))
        with services.writer.connect() as conn:
            states = dict(conn.execute(select(email_outbox.c.key, email_outbox.c.state)).all())
        assert states == {"told-before": "sent", "during-rebuild": "pending"}
        assert shadow.version("board") is None
    finally:
        services.close()


def _message(key: str, state: str) -> dict[str, Any]:
    now = datetime.now(UTC).replace(tzinfo=None)
    return {"key": key, "member_id": uuid4(), "kind": "reply", "subject": "A reply",
            "body": "Someone replied.", "event_at": now, "digest": False, "state": state,
            "attempts": 0, "next_attempt_at": now, "last_error": ""}
