"""Fixtures shared by every test folder: a throw-away PostgreSQL database per run,
a `backend` (SQLite or PostgreSQL settings) and the `services` bootstrapped on it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings

SERVER_URL = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test run (one per xdist worker), dropped at the end."""
    name = f"incubator_test_{secrets.token_hex(6)}"
    _on_server(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield f"{SERVER_URL}/{name}"
    _on_server(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _on_server(statement: sql.Composed) -> None:
    try:
        connection = psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({error}). "
            "Start the server (e.g. `pg_ctlcluster 15 main start`) and run the tests again.",
            pytrace=False,
        )
    with connection:
        connection.execute(statement)


def _empty_database(url: str) -> None:
    """Every PostgreSQL test shares the run's database: start each one from no tables."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data")
    url: str = request.getfixturevalue("postgres_url")
    _empty_database(url)
    return Settings(data_dir=tmp_path / "data", database_url=url)


@pytest.fixture
def services(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend)
    yield services
    services.close()
