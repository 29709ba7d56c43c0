"""The composition root: the only place that names concrete databases."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteApplicationRecorder
from sqlalchemy import Engine, create_engine, event, make_url

from incubator.application import Incubator
from incubator.datadir import hold_shared
from incubator.jobs import ProjectionJob, background_jobs, run_in_threads
from incubator.live import LiveUpdates
from incubator.ml_backend import choose_backend
from incubator.outages import CONNECT_TIMEOUT_S, RECONNECT_GIVE_UP_S
from incubator.pg_notify import (
    PROJECTED_CHANNEL,
    Listener,
    advisory_key,
    notify_projected,
    taking_turns,
)
from incubator.rate_limits import RateLimiter, limits_from
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from incubator.similar import SimilarIdeasIndex
from incubator.transcoding import uuid_from_hex
from incubator.upgrade import Upgrade
from projections.board import BoardProjection
from projections.campaigns import CampaignProjection
from projections.members import MemberProjection, Projections
from projections.notifications import NotificationProjection
from projections.outcomes import OutcomeProjection
from projections.queries import ReadModel
from projections.schema import create_tables
from projections.shadow import FileShadow, SchemaShadow, Shadow

SQLITE_FILE = "incubator.sqlite3"
SHADOW_FILE = "read-models-next.sqlite3"  # only while a new version is being built
log = logging.getLogger(__name__)


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
    upgrade: Upgrade | None = None  # rebuilds a changed projection beside the live one
    ml_backend: str = "tfidf"  # the one running: "semantic" only when installed
    rate_limits: RateLimiter = field(init=False)
    live: LiveUpdates = field(init=False)
    # Stopped first on close: listeners that follow another process's work.
    followers: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rate_limits = RateLimiter(self.writer, limits_from(self.settings))
        self.live = LiveUpdates(self.read_model.engine, self.app, self.runner.position)
        self.runner.watchers.append(self.live.moved_to)

    def close(self) -> None:
        self.live.stop()
        for stop in self.followers:
            stop()
        try:  # the vote counts of this process, kept in memory since the last flush
            self.rate_limits.flush()
        except Exception:  # a lost count only lets a few more votes through: close anyway
            log.warning("Could not save this process's rate-limit counts", exc_info=True)
        self.similar.close()
        if self.upgrade is not None:
            self.upgrade.stop()
        self.runner.stop()
        self.app.close()
        self.read_model.engine.dispose()
        self.writer.dispose()
        if self.in_use is not None:
            self.in_use.close()


def read_models() -> Projections:
    """Every projection, fed the same pages under one tracking name and one version."""
    return Projections(BoardProjection.name, BoardProjection(), MemberProjection(),
                       OutcomeProjection(), CampaignProjection(), NotificationProjection())


def bootstrap(settings: Settings, follow: bool = True,
              projection: Projections | None = None) -> Services:
    """Wire everything; with `follow`, catch up the read model and keep it live (after
    rebuilding it beside the live tables if this code's version of it is new).
    `projection` replaces the read models (tests: a release that changes one)."""
    backend = choose_backend(settings.ml_backend)  # a bad value stops us before any I/O
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    in_use = None
    if settings.uses_postgres:
        env = _postgres_event_store(settings.database_url)
        writer = _postgres_engine(settings.database_url)
        # Reads in autocommit, on the same pool: psycopg would otherwise send BEGIN
        # before a read's first query and ROLLBACK when the pool takes it back, two
        # round trips for nothing (READ COMMITTED gives each statement its own snapshot
        # inside a transaction too). Half of PostgreSQL's CPU per page view went there.
        # So whatever writes goes through `writer`: `engine.begin()` on the reader
        # would commit each statement by itself.
        reader: Engine = writer.execution_options(isolation_level="AUTOCOMMIT")
    else:
        in_use = hold_shared(settings.data_dir)  # a restore waits for us to stop
        path = settings.data_dir / SQLITE_FILE
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path),
               "SQLITE_LOCK_TIMEOUT": "15",
               "APPLICATION_RECORDER_TOPIC": f"{__name__}:{SQLiteRecorder.__qualname__}"}
        reader, writer = _sqlite_engine(path, immediate=False), _sqlite_engine(path, immediate=True)
    projection = projection or read_models()
    # Processes that start together on a new PostgreSQL database (the web container
    # and the worker) make the tables one at a time: two sessions making the same
    # table or type at once fail on a taken key in PostgreSQL's catalog.
    in_turn = (taking_turns(writer, advisory_key("incubator makes the tables"))
               if settings.uses_postgres else nullcontext())
    with in_turn:
        app = Incubator(env=env)  # makes the event store's tables
        create_tables(writer, (projection.name,))
    if settings.uses_postgres:
        app.recorder.datastore.pool.reconnect_timeout = RECONNECT_GIVE_UP_S  # type: ignore[attr-defined]
    runner = ProjectionRunner(app, writer, projection, poll_interval=settings.projection_poll_s,
                              batch_size=settings.projection_batch,
                              reader=reader, write_lock=_event_store_write_lock(app, settings),
                              on_page=notify_projected if settings.uses_postgres else None)
    app.on_recorded.append(runner.notify)
    upgrade = Upgrade(runner, _shadow(settings, writer))
    if not follow:
        # What the caller projects into a new store is this version's: without the
        # record, the next `serve` would take it for an older release's and rebuild.
        upgrade.make_if_empty()
    services = Services(settings, app, ReadModel(reader), writer, runner,
                        SimilarIdeasIndex(app, backend),
                        settings.secret_key or _stored_secret(settings.data_dir), in_use,
                        upgrade=upgrade, ml_backend=backend)
    if follow and settings.external_jobs:
        _follow_the_worker(services)
        services.similar.warm_up()
    elif follow:
        ProjectionJob(runner, upgrade).start()
        services.similar.warm_up()
        # Without `incubator worker` (the embedded default), this process runs them.
        services.followers.append(run_in_threads(settings, background_jobs(services)))
    if follow:
        services.live.start(runner.position)
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
    if services.upgrade is not None:
        runner.rebuilding = services.upgrade.in_progress
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


def _shadow(settings: Settings, writer: Engine) -> Shadow:
    """Where a new version of the read models is built: a schema, or a file beside ours."""
    if settings.uses_postgres:
        return SchemaShadow(writer)
    def open_file(path: Path, writes: bool) -> Engine:
        if writes:
            return _sqlite_engine(path, immediate=True)
        # Read-only: asking for the version never makes the file (it may just be gone).
        return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")

    return FileShadow(writer, settings.data_dir / SHADOW_FILE, open_file)


class SQLiteRecorder(SQLiteApplicationRecorder):
    """The library's recorder, making the ids of the events it reads faster (a
    rebuild reads each event's, ~10 % of its time with `UUID(text)`)."""

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        if self.datastore.originator_id_type == "uuid":
            return uuid_from_hex(originator_id)
        return originator_id


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
        # How long a command waits for a connection (and a connection attempt lasts)
        # before it fails: the library's default, 30 s, times its 10 tries, would hang
        # a request for minutes while the database is away.
        "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT_S),
        "APPLICATION_RECORDER_TOPIC": "incubator.outages:FailFastPostgresRecorder",
    }


def _postgres_engine(url: str) -> Engine:
    # A lost connection invalidates the pool (SQLAlchemy sees the disconnect), so the
    # first request after an outage reconnects; a host that does not answer fails fast.
    return create_engine(make_url(url).set(drivername="postgresql+psycopg"), pool_size=10,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


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
        if immediate:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # may wait for the lock, and fail
        else:
            # A reader's BEGIN cannot fail or wait: straight to the driver, without the
            # statement machinery around it (3 % of the server's time under load).
            conn.connection.dbapi_connection.execute("BEGIN")

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
