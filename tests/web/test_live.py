"""Live updates: a page's stream names what changed, for whoever has the page open.

The streams run on a real uvicorn server (a TestClient waits for a response's end),
read with httpx as a browser's EventSource would.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from domain.proposal import Status
from incubator.bootstrap import Services
from incubator.settings import Settings
from tests.browser.conftest import serving
from tests.web.conftest import World, make_world
from web import live


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[World, str]]:
    for world in make_world(Settings(data_dir=tmp_path, secret_key="test")):
        with serving(world.services) as url:
            yield world, url


@pytest.fixture(autouse=True)
def frequent_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    """So the reading thread wakes often enough to notice that the test is done."""
    monkeypatch.setattr(live, "HEARTBEAT_S", 0.2)


@dataclass
class Stream:
    """Server-sent events read in a thread: (event, id) pairs, heartbeats as ':'."""

    got: queue.Queue[tuple[str, str]]

    def next_event(self, timeout: float = 5.0) -> tuple[str, str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.got.get(timeout=left)
            except queue.Empty:
                break
            if event[0] != ":":
                return event
        raise AssertionError("no event came")

    def events_within(self, seconds: float) -> set[str]:
        names, deadline = set(), time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                names.add(self.got.get(timeout=left)[0])
            except queue.Empty:
                break
        return names


@contextmanager
def stream(url: str, headers: dict[str, str] | None = None) -> Iterator[Stream]:
    """Like a browser's EventSource; the connection closes when the block ends."""
    got: queue.Queue[tuple[str, str]] = queue.Queue()
    opened, done = threading.Event(), threading.Event()

    def read() -> None:
        name, last_id = "", ""
        try:
            with httpx.Client(timeout=httpx.Timeout(10, read=None)) as client, \
                    client.stream("GET", url, headers=headers) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                opened.set()
                for line in response.iter_lines():
                    if done.is_set():  # noticed at the next line (a heartbeat at the latest)
                        return
                    if line.startswith(":"):
                        got.put((":", ""))
                    elif line.startswith(("event: ", "id: ")):
                        field, _, value = line.partition(": ")
                        name, last_id = (value, last_id) if field == "event" else (name, value)
                    elif line == "" and name:
                        got.put((name, last_id))
                        name = ""
        except httpx.HTTPError:  # the server went away mid-stream
            pass
        got.put(("<end>", last_id))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert opened.wait(5), "the stream did not open"
    try:
        yield Stream(got)
    finally:
        done.set()  # the thread (a daemon) closes the connection when it notices
        reader.join(timeout=1)


def wait_for_subscribers(services: Services, count: int) -> None:
    deadline = time.monotonic() + 5
    while services.live.subscribers != count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert services.live.subscribers == count


def test_an_open_idea_page_hears_of_votes_comments_and_status(
        served: tuple[World, str]) -> None:
    world, url = served
    app, idea = world.services.app, world.idea()
    with stream(f"{url}/live/ideas/{idea}") as events:
        wait_for_subscribers(world.services, 1)
        app.cast_vote(idea, world.bob)
        assert events.next_event()[0] == "votes"
        app.post_comment(idea, world.cleo, "Room 4 too")
        assert events.next_event()[0] == "comments"
        app.change_status(idea, Status.UNDER_REVIEW, world.bob, "We are looking at it.")
        assert events.next_event()[0] == "status"


def test_a_stream_hears_only_its_own_idea(served: tuple[World, str]) -> None:
    world, url = served
    mine, other = world.idea("Guest Wi-Fi"), world.idea("Faster printers")
    with stream(f"{url}/live/ideas/{mine}") as events:
        wait_for_subscribers(world.services, 1)
        world.services.app.cast_vote(other, world.bob)
        world.settle()
        assert "votes" not in events.events_within(0.5)
        world.services.app.cast_vote(mine, world.bob)
        assert events.next_event()[0] == "votes"


def test_the_board_hears_which_card_changed_and_new_ideas(served: tuple[World, str]) -> None:
    world, url = served
    idea = world.idea()
    with stream(f"{url}/live/board") as events:
        wait_for_subscribers(world.services, 1)
        world.services.app.cast_vote(idea, world.bob)
        assert events.next_event()[0] == f"idea-{idea}"
        world.idea("Printers on every floor")
        assert events.next_event()[0] == "ideas"


def test_changes_made_before_the_stream_opened_are_sent_from_the_page_position(
        served: tuple[World, str]) -> None:
    world, url = served
    idea = world.idea()
    read_at = world.services.runner.position  # the page was read here
    world.services.app.cast_vote(idea, world.bob)
    world.settle()
    with stream(f"{url}/live/ideas/{idea}?since={read_at}") as events:
        name, event_id = events.next_event()
        assert name == "votes" and int(event_id) == world.services.runner.position


def test_a_reconnect_gets_what_it_missed_from_its_last_event_id(
        served: tuple[World, str]) -> None:
    world, url = served
    idea = world.idea()
    with stream(f"{url}/live/ideas/{idea}") as events:
        wait_for_subscribers(world.services, 1)
        world.services.app.cast_vote(idea, world.bob)
        _, last_id = events.next_event()
    wait_for_subscribers(world.services, 0)  # the disconnect freed the subscriber
    world.services.app.post_comment(idea, world.cleo, "While you were away")
    world.settle()
    with stream(f"{url}/live/ideas/{idea}", {"Last-Event-ID": last_id}) as events:
        assert events.next_event()[0] == "comments"
        assert "votes" not in events.events_within(0.3)


def test_an_idle_stream_sends_heartbeats(served: tuple[World, str]) -> None:
    _world, url = served
    with stream(f"{url}/live/board") as events:
        assert ":" in events.events_within(0.5)


def test_stopping_ends_open_streams_at_once(served: tuple[World, str]) -> None:
    world, url = served
    with stream(f"{url}/live/board") as events:
        wait_for_subscribers(world.services, 1)
        started = time.monotonic()
        world.services.live.drain()
        assert events.next_event(timeout=2)[0] == "<end>"
        assert time.monotonic() - started < 1


def test_a_member_stream_carries_the_members_own_events(served: tuple[World, str]) -> None:
    world, url = served
    session = _session_cookie(world, world.ann)
    with stream(f"{url}/live/me", {"Cookie": session}) as events:
        wait_for_subscribers(world.services, 1)
        world.services.live.publish({f"member:{world.bob}"})
        world.services.live.publish({f"member:{world.ann}"})
        assert events.next_event()[0] == "member"
        assert events.events_within(0.3) <= {":"}


def _session_cookie(world: World, member: UUID) -> str:
    from incubator.identity import Identity
    from web.identity import COOKIE

    return f"{COOKIE}={Identity(world.services).start_session(member)}"


def test_serve_stops_promptly_with_a_stream_open(tmp_path: Path) -> None:
    """uvicorn waits for open responses before it stops: the streams end on SIGTERM."""
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "incubator.cli", "serve", "--port", str(port),
         "--data-dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with stream(f"{url}/live/board") as events:
            server.send_signal(signal.SIGTERM)
            started = time.monotonic()
            assert events.next_event(timeout=5)[0] == "<end>"
            server.wait(timeout=5)
            assert time.monotonic() - started < 3
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_stream_left_behind_by_a_stopped_server_is_dropped(
        served: tuple[World, str]) -> None:
    import asyncio

    from incubator.live import Subscriber

    world, url = served
    loop = asyncio.new_event_loop()
    left_behind = Subscriber(lambda topic: "votes", frozenset(), loop)
    loop.close()
    world.services.live.subscribe(left_behind)
    world.services.live.publish({"idea:x:votes"})  # would raise: its loop is closed
    assert world.services.live.subscribers == 0
    idea = world.idea()
    world.services.app.cast_vote(idea, world.bob)  # the live thread still publishes
    world.settle()
    with stream(f"{url}/live/ideas/{idea}?since=0") as events:
        assert events.next_event()[0] == "votes"
