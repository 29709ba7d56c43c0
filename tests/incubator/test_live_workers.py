"""Live updates with `serve --workers 2` and `incubator worker` on PostgreSQL: a change
reaches the streams open on every web process (the worker's NOTIFY after each page)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from bench.lag import free_port, status
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from tests.conftest import _empty_database
from tests.web.test_live import Stream, stream

pytestmark = pytest.mark.postgres


@dataclasses.dataclass
class Deployment:
    services: Services  # a third process: where the commands come from
    url: str
    web: subprocess.Popen[bytes]


@pytest.fixture
def deployment(postgres_url: str, tmp_path: Path) -> Iterator[Deployment]:
    _empty_database(postgres_url)
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, external_jobs=True,
                        secret_key="test")
    bootstrap(dataclasses.replace(settings, external_jobs=False)).close()  # the schema
    port, env = free_port(), {**os.environ, **settings.to_env()}
    cli = [sys.executable, "-m", "incubator.cli"]
    processes = [
        subprocess.Popen([*cli, "worker", "--database", postgres_url], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([*cli, "serve", "--workers", "2", "--port", str(port),
                          "--database", postgres_url], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    services = bootstrap(settings)  # a third process: where the commands come from
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while status(f"{base}/healthz") != 200:
            assert time.monotonic() < deadline, "the web processes did not start"
            time.sleep(0.1)
        yield Deployment(services, base, processes[1])
    finally:
        services.close()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def test_a_vote_reaches_the_streams_of_every_web_process(deployment: Deployment) -> None:
    services, base = deployment.services, deployment.url
    app = services.app
    category = app.create_category("wifi", "Wi-Fi", "").id
    written = app.submit_proposal("Guest Wi-Fi in every meeting room", "Room 4.", category,
                                  app.register_member("local", "Ann").id)
    services.runner.wait_for(written.position)
    with ExitStack() as open_streams:
        # Six connections: the two processes accept them as they come, so both get some.
        streams: list[Stream] = [open_streams.enter_context(
            stream(f"{base}/live/ideas/{written.id}")) for _ in range(6)]
        time.sleep(0.3)
        voted = time.monotonic()
        app.cast_vote(written.id, app.register_member("local", "Bob").id)
        for events in streams:
            assert events.next_event(timeout=5)[0] == "votes"
        assert time.monotonic() - voted < 2


def test_the_web_processes_stop_promptly_with_streams_open(deployment: Deployment) -> None:
    with ExitStack() as open_streams:
        streams = [open_streams.enter_context(stream(f"{deployment.url}/live/board"))
                   for _ in range(4)]
        started = time.monotonic()
        deployment.web.terminate()
        for events in streams:
            assert events.next_event(timeout=5)[0] == "<end>"
        deployment.web.wait(timeout=10)
        assert time.monotonic() - started < 5
