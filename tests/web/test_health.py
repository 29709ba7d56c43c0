"""The probes an orchestrator uses: /healthz and /readyz, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

import psycopg
import pytest
from starlette.testclient import TestClient

from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from tests.helpers import category, settle
from web.app import create_app


@contextmanager
def client_on(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as client:
        yield client


@pytest.fixture
def lagging(backend: Settings) -> Iterator[Services]:
    """Services whose projection does not follow the log until the test says so."""
    services = bootstrap(dataclasses.replace(backend, ready_max_lag=2), follow=False)
    yield services
    services.close()


def test_ready_when_the_read_model_has_caught_up(services: Services) -> None:
    category(services)
    settle(services)
    with client_on(services) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "problems": [],
                               "projections": {"board": {"position": 1, "head": 1, "lag": 0}}}
    assert response.headers["cache-control"] == "no-store"


def test_not_ready_while_a_projection_is_too_far_behind(lagging: Services) -> None:
    category_id = category(lagging)
    for _ in range(2):
        lagging.app.submit_proposal("Quieter printers", "", category_id, uuid4())
    with client_on(lagging) as client:
        behind = client.get("/readyz")
        lagging.runner.catch_up()
        caught_up = client.get("/readyz")

    assert behind.status_code == 503
    assert behind.json()["status"] == "not ready"
    assert behind.json()["problems"] == ["projection board is 3 events behind (bound 2)"]
    assert behind.json()["projections"]["board"] == {"position": 0, "head": 3, "lag": 3}
    assert caught_up.status_code == 200


@contextmanager
def locked_tracking_table(url: str) -> Iterator[None]:
    """Another session holds a lock that makes every read of positions wait."""
    with psycopg.connect(url) as conn:
        conn.execute("LOCK TABLE rm_tracking IN ACCESS EXCLUSIVE MODE")
        yield
        conn.rollback()


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_hanging_database_gives_503_quickly_then_recovers(postgres_url: str,
                                                            services: Services) -> None:
    with client_on(services) as client:
        with locked_tracking_table(postgres_url):
            started = time.monotonic()
            hung = client.get("/readyz")
            waited = time.monotonic() - started
            alive = client.get("/healthz")
        recovered = client.get("/readyz")
        _wait_for_the_abandoned_check(services)

    assert hung.status_code == 503
    assert hung.json()["problems"] == ["database did not answer within 2 s"]
    assert waited < 4
    assert alive.status_code == 200
    assert recovered.status_code == 200


def _wait_for_the_abandoned_check(services: Services) -> None:
    """The check that was given up on goes on in its thread until the lock goes, then
    gives its connection back. Closing the services before that would leave it to the
    garbage collector, which warns (ResourceWarning) in whatever test runs then."""
    deadline = time.monotonic() + 10
    while services.writer.pool.checkedout() and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.01)
    assert not services.writer.pool.checkedout(), "the abandoned check still holds a connection"  # type: ignore[attr-defined]
