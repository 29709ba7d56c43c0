"""Follows the event log into the read model: batched catch-up, then live.

The library's `ProjectionRunner` needs `recorder.subscribe()`, which SQLite
recorders lack, and commits one event per transaction. This runner reads the log
in pages, applies each page in ONE read-model transaction together with the
tracking position (so every event is applied exactly once, even with several
runners), and then sleeps until a save in this process wakes it or a short poll
interval passes (saves in other processes).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, NamedTuple, Protocol

from eventsourcing.application import Application
from sqlalchemy import Connection, Engine

from incubator.metrics import JOB_RUNS
from incubator.outages import TRANSIENT_ERRORS
from projections.tracking import TrackingConflictError, advance, position_of

log = logging.getLogger(__name__)

# A lost connection (database restarted, failover: TRANSIENT_ERRORS) is waited out
# and retried: the page is applied later, never skipped. Any other error stops the
# projection.
RETRY_AFTER_S = 0.5
# How often `wait_for` re-reads the tracking row when another process projects,
# in case a notification was missed (normally one arrives first).
EXTERNAL_RECHECK_S = 0.25


class Projection(Protocol):
    name: str

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None: ...

    def caught_up(self, engine: Engine) -> None:
        """Called when a catch-up reached the end of the log."""


class Page(NamedTuple):
    """Decoded (event, position) pairs that follow `start`, up to `end`."""

    start: int
    end: int
    events: list[tuple[Any, int]]


class ProjectionRunner:
    def __init__(
        self, app: Application[Any], engine: Engine, projection: Projection,
        batch_size: int = 20_000, poll_interval: float = 0.1,
        reader: Engine | None = None,
        write_lock: Callable[[], AbstractContextManager[Any]] | None = None,
        on_page: Callable[[Connection, str, int], None] | None = None,
    ) -> None:
        """`reader` reads the position without taking SQLite's write lock; `write_lock`
        is held around each write transaction (see `bootstrap`); `on_page` runs inside
        each page's transaction (PostgreSQL: NOTIFY the web processes)."""
        self.app, self.engine, self.projection = app, engine, projection
        self.reader = reader or engine
        self.write_lock = write_lock or nullcontext
        self.batch_size, self.poll_interval = batch_size, poll_interval
        self.position = 0
        self.error: BaseException | None = None
        self._moved = threading.Condition()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.on_page = on_page
        # Where the next page starts, as this runner left it. `advance` checks it
        # against the tracking row in the page's own transaction, so it is only
        # re-read after another runner moved first: one query less a page (13 % of
        # a single vote's server time went to reading it).
        self._next_start: int | None = None
        # Set when another process (`incubator worker`) applies the pages: `wait_for`
        # then re-reads the tracking row, besides being told by `moved_to`.
        self.external = False
        # Set while a new version of the projection is built beside the live tables
        # (incubator/upgrade.py): they keep serving as they are, and `wait_for` does
        # not wait for positions they will not reach.
        self.frozen = False
        # With `external`: whether the worker is building a new version (asked after
        # the first re-check, so a write that is applied at once costs no query).
        self.rebuilding: Callable[[], bool] = lambda: False
        # Told each time the position moves on (live updates), in the mover's thread.
        self.watchers: list[Callable[[int], None]] = []

    def process_batch(self, ahead: Page | None = None) -> int:
        """Apply the next page of events (`ahead`, if it was read from the right
        position); return how many there were."""
        start = self._next_start
        remembered = start is not None
        if start is None:
            start = self._stored_position()
        page = ahead if ahead is not None and ahead.start == start else self.read_page(start)
        if page.events:
            try:
                with self.write_lock(), self.engine.begin() as conn:
                    # Claim the page first: a runner that lost the race then fails here
                    # with TrackingConflictError, before writing a duplicate row.
                    advance(conn, self.projection.name, start, page.end)
                    self.projection.apply(conn, page.events)
                    if self.on_page is not None:
                        self.on_page(conn, self.projection.name, page.end)
            except TrackingConflictError:
                self._next_start = None
                if remembered:  # someone else moved it: once more, from the tracking row
                    return self.process_batch()
                raise
            JOB_RUNS.labels(f"projection:{self.projection.name}", "applied").inc()
        self._next_start = page.end
        self._moved_to(page.end)
        return len(page.events)

    def read_page(self, start: int) -> Page:
        """The events after `start`, decoded, at most `batch_size` of them."""
        notifications = self.app.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        events = [(self.app.mapper.to_domain_event(n), n.id) for n in notifications]
        return Page(start, events[-1][1] if events else start, events)

    def catch_up(self, until: threading.Event | None = None) -> int:
        """Apply everything in the log (or stop after the page during which `until`
        was set, without the caught-up step). The next page is read and decoded in
        another thread while this one is written: SQLite and psycopg release the GIL
        while they write, so on a free core the reading overlaps the writing."""
        total, until = 0, until or threading.Event()
        self._next_start = None  # e.g. after a swap: the tables came from elsewhere
        with _cyclic_gc_paused(), ThreadPoolExecutor(1, thread_name_prefix="read-ahead") as reader:
            page = self.read_page(self._stored_position())
            while page.events and not until.is_set():
                ahead = reader.submit(self.read_page, page.end)
                total += self._process_or_yield(page)
                page = ahead.result()
        while not until.is_set() and (processed := self._process_or_yield()):
            total += processed  # whatever came since, if anything
        if not until.is_set():
            self.projection.caught_up(self.engine)
        return total

    def notify(self, position: int) -> None:
        """Called after a save in this process: there is something to apply."""
        self._wake.set()

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Block until the read model includes `position` (read-your-writes)."""
        if self.frozen:
            return self.position >= position
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            with self._moved:
                if self._moved.wait_for(
                    lambda: self.position >= position or self.error is not None,
                    min(remaining, EXTERNAL_RECHECK_S) if self.external else remaining,
                ):
                    break
            if self.external:
                if self.rebuilding():
                    break  # the worker's tables are frozen until its swap
                self.refresh()  # a missed notification costs one re-check, no more
        if self.error is not None:
            raise ProjectionStoppedError(self.projection.name) from self.error
        return self.position >= position

    def refresh(self) -> None:
        """Learn the position from the tracking row (another process applies pages)."""
        self.moved_to(self._stored_position())

    def _stored_position(self) -> int:
        with self.reader.connect() as conn:
            return position_of(conn, self.projection.name)

    def moved_to(self, position: int) -> None:
        """Told by another process (NOTIFY) that the read model reached `position`."""
        self._moved_to(position)

    def start(self) -> None:
        self._stopping.clear()  # a worker that lost its lease may start again
        self._next_start = None  # and others may have moved on meanwhile
        name = f"projection-{self.projection.name}"
        self._thread = threading.Thread(target=self._follow, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _follow(self) -> None:
        try:
            while not self._stopping.is_set():
                self._wake.clear()  # before reading, so no save's wake-up is lost
                if not self._process_or_wait_out_outage():
                    self._wake.wait(self.poll_interval)
        except BaseException as error:  # a failing projection stops; it never skips
            log.exception("Projection %s stopped", self.projection.name)
            with self._moved:
                self.error = error
                self._moved.notify_all()

    def _process_or_wait_out_outage(self) -> int:
        try:
            return self._process_or_yield()
        except TRANSIENT_ERRORS as error:
            JOB_RUNS.labels(f"projection:{self.projection.name}", "database_error").inc()
            log.warning("Projection %s waits for the database: %s", self.projection.name, error)
            self._stopping.wait(RETRY_AFTER_S)
            return 0

    def _process_or_yield(self, ahead: Page | None = None) -> int:
        try:
            return self.process_batch(ahead)
        except TrackingConflictError:
            return 1  # another runner applied this page first: read on from there

    def _moved_to(self, position: int) -> None:
        with self._moved:
            moved = position > self.position
            self.position = max(self.position, position)
            self._moved.notify_all()
        if moved:
            for watcher in self.watchers:
                watcher(position)


class ProjectionStoppedError(RuntimeError):
    pass


_gc_pauses = 0
_gc_pause_lock = threading.Lock()
_gc_was_enabled = False


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while catching up. A page of 20,000 decoded events
    is hundreds of thousands of new objects, so the collector ran often, each time
    over the whole heap (scikit-learn's modules included): 30 % of a rebuild's CPU.
    Events and rows make no reference cycles (reference counting frees them); other
    threads' cycles wait until the end. Nested and concurrent catch-ups share one pause."""
    global _gc_pauses, _gc_was_enabled
    with _gc_pause_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_pause_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()
