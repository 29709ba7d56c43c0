"""PostgreSQL's side of running at scale: advisory-lock leases and LISTEN/NOTIFY.

Channels:
- the event store's own channel (`recorder.channel_name`): eventsourcing's
  PostgreSQL recorder sends `NOTIFY` in every transaction that saves events, so
  the worker wakes as soon as a save commits (the poll stays as a fallback);
- `PROJECTED_CHANNEL`: the projection runner sends `pg_notify` inside each page's
  transaction (so it arrives only once the page is committed), payload
  "<projection>:<position>"; web processes that do not run the projections follow
  it to know when a command's own write has become visible.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, make_url, text

log = logging.getLogger(__name__)

PROJECTED_CHANNEL = "incubator_projected"
RECONNECT_S = 1.0


def libpq_url(url: str) -> str:
    """A SQLAlchemy-style URL as psycopg takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def notify_projected(conn: Connection, projection: str, position: int) -> None:
    """Announce a page, in its own transaction: delivered only if it commits."""
    conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                 {"channel": PROJECTED_CHANNEL, "payload": f"{projection}:{position}"})


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for `name`, the type advisory locks take."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def taking_turns(engine: Engine, key: int) -> Iterator[None]:
    """Run the block while holding a session-level advisory lock, waiting for it:
    processes that reach the block together run it one after another."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


class AdvisoryLease:
    """A session-level advisory lock on a dedicated connection: held while the
    session lives, so it goes with a dead process (or, after TCP keepalives
    notice, a dead host)."""

    def __init__(self, url: str, key: int) -> None:
        self.url, self.key = libpq_url(url), key
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def try_acquire(self) -> bool:
        try:
            self._conn = self._conn or psycopg.connect(
                self.url, autocommit=True, connect_timeout=5,
                keepalives_idle=10, keepalives_interval=5, keepalives_count=3)
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        except psycopg.Error as error:
            log.warning("Lease %s: database unreachable: %s", self.key, error)
            self._drop()
            return False
        return bool(row and row[0])

    def still_held(self) -> bool:
        """The lock lives as long as the session: check the session answers."""
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            self._drop()
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):  # a gone session took the lock along
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Listener:
    """A thread that LISTENs on `channels` and calls `received(channel, payload)`;
    every `timeout_s` without a message it calls `received(None, "")`, which
    callers use as their poll. It reconnects by itself after a lost connection."""

    def __init__(self, url: str, channels: Sequence[str],
                 received: Callable[[str | None, str], None], timeout_s: float = 1.0) -> None:
        self.url, self.channels, self.received = libpq_url(url), channels, received
        self.timeout_s = timeout_s
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self, wait_s: float = 5.0) -> None:
        self._thread.start()
        self._ready.wait(wait_s)  # so no NOTIFY sent after start() is missed

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=self.timeout_s + 2)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception as error:  # database away, or a callback's query failed
                log.warning("LISTEN %s: %s; reconnecting", ",".join(self.channels), error)
                self._stopping.wait(RECONNECT_S)

    def _listen(self) -> None:
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            for channel in self.channels:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self._ready.set()
            self.received(None, "")  # anything missed while (re)connecting
            while not self._stopping.is_set():
                got = False
                for note in conn.notifies(timeout=self.timeout_s):
                    got = True
                    self.received(note.channel, note.payload)
                    if self._stopping.is_set():
                        return
                if not got:
                    self.received(None, "")
