"""The composition root: the only place that names concrete databases."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, create_engine, event, make_url

from incubator.application import Incubator
from incubator.datadir import hold_shared
from incubator.ml_backend import choose_backend
from incubator.pg_notify import PROJECTED_CHANNEL, Listener, notify_projected
from incubator.rate_limits import RateLimiter, limits_from
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from incubator.similar import SimilarIdeasIndex
from projections.board import BoardProjection
from projections.members import MemberProjection, Projections
from projections.outcomes import OutcomeProjection
from projections.queries import ReadModel
from projections.schema import create_tables

SQLITE_FILE = "incubator.sqlite3"


@dataclass
class Services:
    settings: Settings
    app: Incubator
    read_model: ReadModel
    writer: Engine
    runner: ProjectionRunner
    similar: SimilarIdeasIndex
    secret_key: str
    in_use: IO[bytes] | None = None  # the SQLite data directory's shared lock
    ml_backend: str = "tfidf"  # the one running: "semantic" only when installed
    rate_limits: RateLimiter = field(init=False)
    # Stopped first on close: listeners that follow another process's work.
    followers: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rate_limits = RateLimiter(self.writer, limits_from(self.settings))

    def close(self) -> None:
        for stop in self.followers:
            stop()
        self.similar.close()
        self.runner.stop()
        self.app.close()
        self.read_model.engine.dispose()
        self.writer.dispose()
        if self.in_use is not None:
            self.in_use.close()


def bootstrap(settings: Settings, follow: bool = True) -> Services:
    """Wire everything; with `follow`, catch up the read model and keep it live."""
    backend = choose_backend(settings.ml_backend)  # a bad value stops us before any I/O
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    in_use = None
    if settings.uses_postgres:
        env = _postgres_event_store(settings.database_url)
        reader = writer = _postgres_engine(settings.database_url)
    else:
        in_use = hold_shared(settings.data_dir)  # a restore waits for us to stop
        path = settings.data_dir / SQLITE_FILE
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path),
               "SQLITE_LOCK_TIMEOUT": "15"}
        reader, writer = _sqlite_engine(path, immediate=False), _sqlite_engine(path, immediate=True)
    app = Incubator(env=env)
    projection = Projections(BoardProjection.name, BoardProjection(), MemberProjection(),
                             OutcomeProjection())
    create_tables(writer, (projection.name,))
    runner = ProjectionRunner(app, writer, projection, poll_interval=settings.projection_poll_s,
                              batch_size=settings.projection_batch,
                              reader=reader, write_lock=_event_store_write_lock(app, settings),
                              on_page=notify_projected if settings.uses_postgres else None)
    app.on_recorded.append(runner.notify)
    services = Services(settings, app, ReadModel(reader), writer, runner,
                        SimilarIdeasIndex(app, backend),
                        settings.secret_key or _stored_secret(settings.data_dir), in_use,
                        backend)
    if follow and settings.external_jobs:
        _follow_the_worker(services)
        services.similar.warm_up()
    elif follow:
        runner.catch_up()
        runner.start()
        services.similar.warm_up()
    if settings.demo:
        from incubator.demo import seed_demo  # the demo data set loads only when asked

        seed_demo(services)
    return services


def _follow_the_worker(services: Services) -> None:
    """`incubator worker` applies the pages; this process only learns how far it got:
    from NOTIFYs on PostgreSQL, else (and as a fallback) from the tracking row."""
    runner, settings = services.runner, services.settings
    runner.external = True
    runner.refresh()
    if not settings.uses_postgres:
        return

    def received(channel: str | None, payload: str) -> None:
        name, _, position = payload.rpartition(":")
        if channel is None:
            runner.refresh()
        elif name == runner.projection.name:
            runner.moved_to(int(position))

    listener = Listener(settings.database_url, [PROJECTED_CHANNEL], received)
    listener.start()
    services.followers.append(listener.stop)


def _postgres_event_store(url: str) -> dict[str, str]:
    parsed = make_url(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parsed.database or "postgres",
        "POSTGRES_HOST": parsed.host or "127.0.0.1",
        "POSTGRES_PORT": str(parsed.port or 5432),
        "POSTGRES_USER": parsed.username or "postgres",
        "POSTGRES_PASSWORD": parsed.password or "",
        # Off on purpose: the stored function skips the table lock that keeps
        # notification ids committing in order, and projections would miss events.
        "POSTGRES_ENABLE_DB_FUNCTIONS": "",
    }


def _postgres_engine(url: str) -> Engine:
    return create_engine(make_url(url).set(drivername="postgresql+psycopg"), pool_size=10)


def _sqlite_engine(path: Path, immediate: bool) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" decide
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache (default 2 MB): a catch-up page of 20,000 events
        # dirties more than 2 MB, which SQLite would otherwise spill mid-transaction.
        # (synchronous stays NORMAL: OFF would make a rebuild faster, but the events
        # live in the same file and a checkpoint without fsync can corrupt them on
        # power loss.)
        dbapi_connection.execute("PRAGMA cache_size=-65536")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the lock up front: a deferred transaction that read first
        # fails at once when another connection wrote in between (WAL snapshot).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _event_store_write_lock(
    app: Incubator, settings: Settings
) -> Callable[[], AbstractContextManager[Any]] | None:
    """On SQLite, the runner's write transactions queue behind this process's event
    saves on the event store's writer lock, in Python. Without it the two fight over
    SQLite's file lock, whose busy handler sleeps 1, 2, 5 ... 100 ms between tries:
    under a stream of votes the runner starved and votes waited ~60 ms for it."""
    if settings.uses_postgres:
        return None  # row locks, no sleeping busy handler
    datastore = app.recorder.datastore  # type: ignore[attr-defined]
    return lambda: datastore.get_connection(commit=True)


def _stored_secret(data_dir: Path) -> str:
    """A random key made once per data directory, so sign-ins survive restarts."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
