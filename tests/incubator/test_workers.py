"""Running at scale, with real processes on the real PostgreSQL: `incubator worker`
takes the projection job under an advisory lock, a standby takes over when the
active one is killed, and a worker killed mid-rebuild leaves nothing wrong behind.
Every check ends by comparing every projected table with a from-scratch rebuild."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest

from incubator.bootstrap import Services, bootstrap
from incubator.jobs import lease_key
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from projections.schema import empty_projected_tables
from tests.conftest import _empty_database
from tests.helpers import category, submit
from tests.projections.test_board_projection import busy_history, snapshot

pytestmark = pytest.mark.postgres

ACTIVE = "Job projection-board: active"


class Worker:
    """`python -m incubator.cli worker` in a child process, its log collected."""

    def __init__(self, settings: Settings, *command: str) -> None:
        argv = [sys.executable, "-m", "incubator.cli", *(command or ("worker",)),
                "--database", settings.database_url]
        env = {**os.environ, **settings.to_env()}
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=env)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def active(self) -> bool:
        return any(ACTIVE in line for line in self.lines)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self._ended(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self._ended(15)

    def _ended(self, seconds: float) -> None:
        self.process.wait(timeout=seconds)
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def settings(postgres_url: str, tmp_path: Path) -> Settings:
    _empty_database(postgres_url)
    return Settings(data_dir=tmp_path / "data", database_url=postgres_url)


@pytest.fixture
def web(settings: Settings) -> Iterator[Services]:
    """A web process's services that leave the projections to `incubator worker`."""
    services = bootstrap(dataclasses.replace(settings, external_jobs=True))
    yield services
    services.close()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def until(condition: Callable[[], Any], seconds: float, what: str) -> float:
    """Wait for `condition`; return how long it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s: {what}"
        time.sleep(0.05)
    return time.monotonic() - started


def lock_holders(url: str) -> int:
    key = lease_key("projection-board")
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1"
            # pg_locks spans the cluster: a parallel test's worker in another database
            # holds the same key.
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
        ).fetchone()
    return int(row[0]) if row else 0


def rebuilt_from_scratch(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    empty_projected_tables(services.writer, "board")
    ProjectionRunner(services.app, services.writer, services.runner.projection).catch_up()
    return snapshot(services)


def head(services: Services) -> int:
    return services.app.recorder.max_notification_id() or 0


def test_two_workers_race_one_projects_and_the_standby_takes_over_when_it_dies(
    settings: Settings, web: Services, workers: list[Worker]
) -> None:
    first = Worker(settings)
    workers.append(first)
    until(lambda: first.active, 20, "the first worker takes the job")
    second = Worker(settings)
    workers.append(second)
    until(lambda: any("worker on" in line for line in second.lines), 20, "second starts")
    time.sleep(2)  # two of its lease tries
    assert not second.active, "the second worker must stand by while the first is alive"
    assert lock_holders(settings.database_url) == 1

    busy_history(web)  # commands from a web process wait for the worker's pages
    idea = submit(web, category(web, "wifi"))
    assert web.runner.wait_for(web.app.cast_vote(idea, uuid4()).position)

    first.kill()
    voted = web.app.cast_vote(idea, uuid4())
    took_over = until(lambda: second.active, 5, "the standby takes over")
    assert web.runner.wait_for(voted.position, timeout=5)
    detail = web.read_model.proposal(idea)
    assert detail is not None and detail.votes == 2
    assert lock_holders(settings.database_url) == 1
    second.stop()
    print(f"standby took over {took_over:.2f} s after kill -9")

    projected = snapshot(web)
    assert web.read_model.position("board") == head(web)
    assert projected == rebuilt_from_scratch(web)


def test_a_worker_killed_mid_rebuild_leaves_read_models_equal_to_a_rebuild(
    settings: Settings, workers: list[Worker]
) -> None:
    writing = bootstrap(settings)
    busy_history(writing)
    idea = submit(writing, category(writing, "wifi"))
    for _ in range(150):
        writing.app.cast_vote(idea, uuid4())
    writing.close()
    services = bootstrap(settings, follow=False)  # reads; no runner of its own
    try:
        end = head(services)
        small_pages = dataclasses.replace(settings, projection_batch=3)
        rebuild = Worker(small_pages, "projections", "rebuild")
        workers.append(rebuild)
        position = lambda: services.read_model.position("board")  # noqa: E731
        until(lambda: rebuild.process.poll() is None and 0 < position() < end / 2, 20,
              "the rebuild is half-way")
        rebuild.kill()
        assert 0 < position() < end, "killed mid-rebuild"

        worker = Worker(small_pages)
        workers.append(worker)
        # (its theme job may add events: the ideas after the history's run get placed)
        until(lambda: worker.active and position() == head(services) >= end, 20,
              "the restarted worker catches up")
        worker.stop()  # lets the catch-up finish (indexes, caught-up hooks)
        assert worker.process.returncode == 0, "".join(worker.lines)
        # Its theme job may have placed ideas after the projection's last page (seen:
        # 5 events on a slow machine). A stopped worker leaves them to the next one;
        # apply them here as it would, so both sides cover the same log.
        services.runner.catch_up()
        assert position() == head(services)
        assert snapshot(services) == rebuilt_from_scratch(services)
    finally:
        services.close()


def test_processes_that_start_together_on_a_new_database_all_start(
    postgres_url: str, tmp_path: Path
) -> None:
    """The compose file starts the web container and the worker at the same moment on
    a new database. Each makes the tables it needs, and PostgreSQL does not let two
    sessions make the same table or type at once (a taken key in its catalog): they
    take turns, and every one starts."""
    for _ in range(3):
        _empty_database(postgres_url)
        settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
        all_ready = threading.Barrier(3)

        def start(settings: Settings = settings, all_ready: threading.Barrier = all_ready,
                  ) -> None:
            all_ready.wait()
            bootstrap(settings, follow=False).close()

        with ThreadPoolExecutor(3) as pool:
            for started in [pool.submit(start) for _ in range(3)]:
                started.result()
