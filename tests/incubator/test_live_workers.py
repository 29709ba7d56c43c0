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
        deadline = time.monotonic() + 120  # two processes start on a shared machine
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


@pytest.mark.browser
def test_two_browsers_on_two_web_processes_see_each_others_vote_and_comment(
        deployment: Deployment) -> None:
    from playwright.sync_api import expect, sync_playwright

    from incubator.identity import Identity
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, EMAIL, PASSWORD, Site
    from tests.browser.test_submit_and_vote import sign_in

    services = deployment.services
    member = Identity(services).create_local_account(EMAIL, PASSWORD, "Dana Diaz").id
    category = services.app.create_category("wifi", "Wi-Fi and network", "").id
    written = services.app.submit_proposal("Guest Wi-Fi in every meeting room", "Room 4.",
                                           category, member)
    services.runner.wait_for(written.position)
    idea_url = f"{deployment.url}/ideas/{written.id}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        viewers = [browser.new_context().new_page() for _ in range(3)]  # spread over both
        for viewer in viewers:
            viewer.goto(idea_url)
        actor = browser.new_context().new_page()
        sign_in(actor, Site(deployment.url, services, member, category))
        actor.goto(idea_url)
        actor.locator(".idea-head .vote-button").click()
        actor.get_by_label("Add a comment").fill("Room 6 drops too.")
        actor.get_by_role("button", name="Post comment").click()
        for viewer in viewers:
            expect(viewer.locator(".idea-head [data-testid=vote-count]")).to_have_text("1")
            expect(viewer.locator(".comment", has_text="Room 6 drops too.")).to_be_visible()
        browser.close()
