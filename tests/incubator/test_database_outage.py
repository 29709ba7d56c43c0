"""PostgreSQL stops under load and comes back: the app says so and heals by itself.

A real `incubator serve` process on a private PostgreSQL cluster (the shared server
is never stopped: see tests/private_postgres.py), members reading pages and voting
from several threads. While the database is down every request gets a quick 503
page that says what is going on (no hang, no traceback, no dropped connection) and
/readyz says "not ready"; once it is back, the same process serves again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest

from bench._common import bench_sessions
from incubator.bootstrap import bootstrap
from incubator.settings import Settings
from tests.private_postgres import PrivateCluster, free_port, missing_reason, private_cluster

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(missing_reason() is not None,
                                 reason=f"a private PostgreSQL cluster: {missing_reason()}")]

NEVER_S = 11.0  # not a hang: at worst a command waits twice for a connection (5 s)
QUICK_S = 1.0  # how long most answers take while the database is down
CLIENTS = 6


@dataclass(frozen=True)
class Answer:
    at: float
    what: str
    status: int | str  # the HTTP status, or the exception's name
    seconds: float
    body: str


@dataclass
class Site:
    cluster: PrivateCluster
    base: str
    server: subprocess.Popen[str]
    ideas: list[UUID]
    sessions: list[dict[str, str]]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with private_cluster() as cluster:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE incubator")
        settings = Settings(data_dir=tmp_path / "data", database_url=cluster.url("incubator"),
                            secret_key="outage-test", rate_limit_votes="100000/hour")
        services = bootstrap(settings)
        try:
            category = services.app.create_category("network", "Network", "").id
            ideas = [services.app.submit_proposal(f"Faster wifi on floor {n}", "Please.",
                                                  category, uuid4()).id for n in range(4)]
            sessions = bench_sessions(services, range(CLIENTS))
        finally:
            services.close()
        port = free_port()
        with (tmp_path / "server.log").open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "incubator.cli", "serve", "--port", str(port),
                 "--database", settings.database_url],
                env={**os.environ, **settings.to_env()}, text=True,
                stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: answers(f"{base}/readyz") == 200, 60, "the server is ready")
            yield Site(cluster, base, server, ideas, sessions)
        finally:
            server.terminate()
            server.wait(timeout=20)
            print((tmp_path / "server.log").read_text()[-3000:])


def answers(url: str) -> int:
    try:
        return httpx.get(url, timeout=10).status_code
    except httpx.HTTPError:
        return 0


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s: {what}"
        time.sleep(0.1)
    return time.monotonic() - started


class Load:
    """Each client reads the board and an idea page and votes, over and over."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.answers: list[Answer] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True)
                        for n in range(CLIENTS)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _client(self, n: int) -> None:
        idea = self.site.ideas[n % len(self.site.ideas)]
        signed_in = self.site.sessions[n]
        steps = [("board", "GET", "/"), ("idea", "GET", f"/ideas/{idea}"),
                 ("vote", "POST", f"/ideas/{idea}/vote"),
                 ("unvote", "POST", f"/ideas/{idea}/unvote")]
        with httpx.Client(base_url=self.site.base, timeout=60, headers=signed_in) as client:
            while not self.stopping.is_set():
                for what, method, path in steps:
                    self._request(client, what, method, path)
                    time.sleep(0.02)

    def _request(self, client: httpx.Client, what: str, method: str, path: str) -> None:
        started = time.monotonic()
        status: int | str
        try:
            response = client.request(method, path, data={"next": "/"} if method == "POST"
                                      else None, headers={"HX-Request": "true"})
            status, body = response.status_code, response.text
        except httpx.HTTPError as error:
            status, body = type(error).__name__, str(error)
        self.answers.append(Answer(started, what, status, time.monotonic() - started, body))

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at and a.at + a.seconds <= end]


def test_postgres_stopped_under_load_gives_quick_503s_and_the_app_recovers_by_itself(
    site: Site,
) -> None:
    with Load(site) as load:
        time.sleep(2)
        stopped = time.monotonic()
        site.cluster.stop()
        time.sleep(1)  # the requests in flight at the stop have answered by now
        down_from = time.monotonic()
        started = time.monotonic()
        ready = httpx.get(f"{site.base}/readyz", timeout=30)
        ready_took = time.monotonic() - started
        time.sleep(3)
        down_until = time.monotonic()
        site.cluster.start()
        restarted = time.monotonic()
        recovered_in = wait_until(
            lambda: all(a.status in (200, 204) for a in load.answers[-2 * CLIENTS:])
            and answers(f"{site.base}/readyz") == 200, 20, "pages answer again")
        time.sleep(1)
        after = time.monotonic()
    print(f"recovered {recovered_in:.1f} s after PostgreSQL was back; readyz took "
          f"{ready_took:.2f} s while it was down; {len(load.answers)} requests")

    assert site.server.poll() is None, "the same server process serves throughout"
    assert ready.status_code == 503 and ready.json()["status"] == "not ready"
    assert ready_took < 4  # the probe gives up after 2 s

    everything = load.between(stopped, after + 60)
    assert not [a for a in everything if isinstance(a.status, str)], (
        "every request gets an answer: no reset connection, no timeout")
    assert not [a for a in everything if a.status == 500 or "Traceback" in a.body]
    slow = [(a.what, a.status, round(a.seconds, 1)) for a in everything if a.seconds > NEVER_S]
    assert not slow, f"requests that hung while the database was away: {slow}"

    down = load.between(down_from, down_until)
    assert len(down) >= CLIENTS, "the clients kept asking while the database was down"
    assert {a.status for a in down} == {503}, {(a.what, a.status) for a in down}
    assert all("The database is not answering" in a.body for a in down)
    assert sorted(a.seconds for a in down)[len(down) // 2] < QUICK_S, "503s come at once"

    back = load.between(restarted + recovered_in, after)
    assert back and {a.status for a in back} <= {200, 204}
    assert {a.what for a in back} == {"board", "idea", "vote", "unvote"}
