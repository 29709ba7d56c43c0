"""A web process killed with `kill -9` in the middle of a vote burst loses no vote
it confirmed and records none twice.

Real processes on the real PostgreSQL: `incubator worker` projects, `incubator serve
--workers 2` answers many members voting at once over HTTP, and one of its two web
processes is killed mid-burst (uvicorn starts a new one). Then:
- every vote whose request got a 2xx is in the event store exactly once, and in the
  read model (the member's vote, and the idea's count);
- a vote whose request failed is recorded once or not at all, and the test says which;
  voting again (as the member would) leaves exactly one vote either way;
- every idea's count in the read model equals the votes in the event store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from bench._common import bench_sessions, member_id
from domain.vote import Vote
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from tests.conftest import _empty_database
from tests.incubator.test_workers import Worker, until
from tests.private_postgres import free_port

pytestmark = pytest.mark.postgres

MEMBERS, IDEAS, CLIENTS = 24, 12, 16
KILL_AFTER = 0.25  # of the burst's votes answered


@dataclass(frozen=True)
class Attempt:
    member: int
    idea: UUID
    status: int | str  # the HTTP status, or the exception's name

    @property
    def confirmed(self) -> bool:
        return isinstance(self.status, int) and 200 <= self.status < 300


@dataclass
class Site:
    settings: Settings
    base: str
    server: subprocess.Popen[str]
    ideas: list[UUID]
    sessions: list[dict[str, str]]


@pytest.fixture
def site(postgres_url: str, tmp_path: Path) -> Iterator[Site]:
    _empty_database(postgres_url)
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url,
                        secret_key="kill-test", rate_limit_votes="100000/hour")
    services = bootstrap(settings)  # schema, seed, sessions; projects in-process once
    try:
        category = services.app.create_category("laptops", "Laptops", "").id
        ideas = [services.app.submit_proposal(f"Second monitor for desk {n}", "Please.",
                                              category, uuid4()).id for n in range(IDEAS)]
        sessions = bench_sessions(services, range(MEMBERS))
    finally:
        services.close()
    worker = Worker(settings)
    port = free_port()
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "incubator.cli", "serve", "--workers", "2", "--port",
             str(port), "--database", postgres_url],
            env={**os.environ, **settings.to_env()}, text=True, stdout=log, stderr=log,
            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        until(lambda: worker.active, 60, "the worker projects")
        until(lambda: len(web_processes(server.pid)) == 2 and answers(f"{base}/readyz"), 60,
              "both web processes answer")
        yield Site(settings, base, server, ideas, sessions)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        worker.stop()


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def web_processes(parent: int) -> dict[int, float]:
    """uvicorn's worker processes under `parent`, with the CPU seconds each has used."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields[1] == str(parent) and b"spawn_main" in cmdline:
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / 100
    return found


def vote(client: httpx.Client, idea: UUID) -> int | str:
    try:
        response = client.post(f"/ideas/{idea}/vote", data={"next": "/"},
                               headers={"HX-Request": "true"})
    except httpx.HTTPError as error:  # the process answering it died
        return type(error).__name__
    return response.status_code


def burst(site: Site, kill: threading.Event) -> list[Attempt]:
    """Every member votes for every idea, CLIENTS at a time; `kill` is set once
    KILL_AFTER of the votes have been answered."""
    todo = [(m, idea) for idea in site.ideas for m in range(MEMBERS)]
    attempts: list[Attempt] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        mine = todo[n::CLIENTS]
        with httpx.Client(base_url=site.base, timeout=30) as http:
            for member, idea in mine:
                http.headers.update(site.sessions[member])
                status = vote(http, idea)
                with lock:
                    attempts.append(Attempt(member, idea, status))
                    if len(attempts) >= KILL_AFTER * len(todo):
                        kill.set()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return attempts


def recorded(services: Services, idea: UUID, member: int) -> list[str]:
    """The vote's events in the event store, by class name."""
    stored = services.app.recorder.select_events(Vote.id_for(idea, member_id(member)))
    return [event.topic.rsplit(".", 1)[-1] for event in stored]


def test_a_web_process_killed_mid_burst_loses_no_confirmed_vote_and_doubles_none(
    site: Site,
) -> None:
    kill = threading.Event()
    killed: list[int] = []

    def killer() -> None:
        kill.wait(60)
        processes = web_processes(site.server.pid)
        busiest = max(processes, key=processes.__getitem__)  # surely mid-request
        os.kill(busiest, signal.SIGKILL)
        killed.append(busiest)

    threading.Thread(target=killer, daemon=True).start()
    attempts = burst(site, kill)
    assert killed, "a web process was killed"
    until(lambda: len(web_processes(site.server.pid)) == 2, 30, "uvicorn replaced it")

    services = bootstrap(site.settings)  # reads the store; follows the worker
    try:
        confirmed = [a for a in attempts if a.confirmed]
        failed = [a for a in attempts if not a.confirmed]
        kept = [a for a in failed if recorded(services, a.idea, a.member)]
        print(f"{len(attempts)} votes: {len(confirmed)} confirmed, {len(failed)} failed "
              f"({len(kept)} of those recorded anyway, {len(failed) - len(kept)} not): "
              f"{Counter(str(a.status) for a in failed)}")
        assert len(attempts) == MEMBERS * IDEAS
        assert failed, "the killed process was answering votes"
        assert len(confirmed) > len(attempts) * KILL_AFTER, "the other process went on"
        assert not {a.status for a in failed if isinstance(a.status, int)}, (
            "a failed vote is a dropped connection, never an error page")
        for a in confirmed:
            assert recorded(services, a.idea, a.member) == ["Cast"], a
        for a in failed:
            assert recorded(services, a.idea, a.member) in ([], ["Cast"]), a

        # The members whose vote failed vote again, as they would: one vote each.
        with httpx.Client(base_url=site.base, timeout=30) as http:
            for a in failed:
                http.headers.update(site.sessions[a.member])
                assert vote(http, a.idea) == 200
        for a in failed:
            assert recorded(services, a.idea, a.member) == ["Cast"], a

        head = services.app.recorder.max_notification_id() or 0
        until(lambda: services.read_model.position("board") == head, 20, "projected")
        votes_in_store = Counter(
            n.originator_id for n in services.app.recorder.select_notifications(
                start=1, limit=100_000) if n.topic.endswith("Vote.Cast"))
        assert set(votes_in_store.values()) == {1}, "no vote aggregate twice"
        assert len(votes_in_store) == MEMBERS * IDEAS
        for idea in site.ideas:
            tally = services.read_model.vote_tally(idea)
            assert tally is not None and tally.votes == MEMBERS
        for a in attempts:
            assert services.read_model.has_voted(a.idea, member_id(a.member)), a
    finally:
        services.close()
