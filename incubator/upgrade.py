"""Rebuilding a projection whose code changed, while its old tables keep serving.

At start, the process that runs the projection (the `ProjectionJob`'s lease holder)
compares the version recorded beside the live tables (projections/versions.py) with
the code's. The same: nothing to do. Different: the new version is built from the
event log into shadow tables (projections/shadow.py) in the background, while the
pages keep reading the live tables as they were (the runner is `frozen`: events
recorded meanwhile show after the swap). When the shadow reaches the log's head,
it replaces the live tables in one transaction and the runner follows live again.

A crash or a stop mid-way leaves the shadow (its pages committed with its tracking
row): the next start goes on from there if it is for the same version, and starts
it again if not. The live tables are never touched before the swap.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from sqlalchemy import Table, text
from sqlalchemy.schema import CreateTable, DropTable

from incubator.outages import TRANSIENT_ERRORS
from incubator.pg_notify import advisory_key
from incubator.runner import RETRY_AFTER_S, ProjectionRunner
from projections import tracking, versions
from projections.schema import freed_pages_not_zeroed
from projections.shadow import Shadow

log = logging.getLogger(__name__)


class VersionedProjection(Protocol):
    name: str
    version: str
    tables: tuple[Table, ...]
    side_tables: tuple[Table, ...]  # written too, but kept by a rebuild (projections/shadow.py)


class Upgrade:
    def __init__(self, runner: ProjectionRunner, shadow: Shadow) -> None:
        self.runner, self.shadow = runner, shadow
        projection: Any = runner.projection
        self.projection: VersionedProjection = projection
        self.error: BaseException | None = None
        self.seconds: float | None = None  # how long the last rebuild-and-swap took
        self.swap_seconds: float | None = None  # of which the swap (writes wait for it)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def in_progress(self) -> bool:
        """Whether a new version is being built (here or in another process)."""
        return self.shadow.version(self.projection.name) is not None

    def needed(self) -> bool:
        """Whether the live tables were built by another version and hold rows.

        Settles the other cases on the way: a live version equal to the code's
        drops any shadow left over (a crash after a swap); live tables with nothing
        projected yet are (re)made for this version and built in place."""
        name, code = self.projection.name, self.projection.version
        live, empty = self.make_if_empty()
        if live == code or empty:
            self.shadow.discard()
            return False
        log.info("Projection %s: the live tables are version %s, the code is %s",
                 name, live, code)
        return True

    def make_if_empty(self) -> tuple[str | None, bool]:
        """Live tables with nothing projected yet are (re)made for this version and
        recorded as such, so what is projected into them next counts as this
        version's. Returns the version that was recorded before, and whether the
        tables were empty. Leaves any shadow alone (a newer release may be building
        one)."""
        name, code = self.projection.name, self.projection.version
        with self.runner.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Processes that start together take turns (SQLite's writer takes
                # the write lock up front): the second finds the version recorded.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": advisory_key(f"incubator settles {name}")})
            live = versions.recorded(conn, name)
            empty = tracking.position_of(conn, name) == 0
            if live != code and empty:
                for table in self.projection.tables:
                    if live is not None:  # made by another version: maybe other columns
                        conn.execute(DropTable(table, if_exists=True))
                    table.create(conn, checkfirst=True)
                tracking.ensure_tracked(conn, name)
                versions.record(conn, name, code)
        return live, empty

    def start(self) -> None:
        """Freeze the live tables and build the new version in a background thread."""
        self._stopping.clear()
        self.error = None
        self.runner.frozen = True
        self.runner.refresh()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"upgrade-{self.projection.name}")
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._build_and_swap()
                return
            except TRANSIENT_ERRORS as error:
                log.warning("Projection %s upgrade waits for the database: %s",
                            self.projection.name, error)
                self._stopping.wait(RETRY_AFTER_S)
            except BaseException as error:  # never half-swapped: the old tables stay
                log.exception("Projection %s: the upgrade stopped", self.projection.name)
                self.error = error
                return

    def _build_and_swap(self) -> None:
        name, code = self.projection.name, self.projection.version
        started = time.perf_counter()
        if self.shadow.version(name) == code:
            log.info("Projection %s: going on with the rebuild of version %s", name, code)
        else:
            self.shadow.prepare(self.projection.tables, name, code,
                                side=self.projection.side_tables)
            log.info("Projection %s: rebuilding version %s beside the live tables", name, code)
        builder = ProjectionRunner(self.runner.app, self.shadow.engine, self.runner.projection,
                                   batch_size=self.runner.batch_size)
        events = builder.catch_up(until=self._stopping)
        if self._stopping.is_set():
            return
        swapping = time.perf_counter()
        with self.runner.write_lock():
            self.shadow.swap_in(self.projection.tables, side=self.projection.side_tables)
        self.seconds = time.perf_counter() - started
        self.swap_seconds = time.perf_counter() - swapping
        log.info("Projection %s: version %s swapped in (%d events in %.1f s, the swap "
                 "itself %.2f s)", name, code, events, self.seconds, self.swap_seconds)
        self.runner.frozen = False
        self.runner.catch_up()  # what was recorded since the shadow's last page
        self.runner.start()


def rebuild_in_place(runner: ProjectionRunner, shadow: Shadow) -> None:
    """Empty tables of the code's version for `projections rebuild` (app stopped)."""
    projection: Any = runner.projection
    with runner.engine.begin() as conn, freed_pages_not_zeroed(conn):
        for table in projection.tables:
            conn.execute(DropTable(table, if_exists=True))
            conn.execute(CreateTable(table))  # indexes come when the catch-up ends
        tracking.ensure_tracked(conn, projection.name)
        tracking.reset(conn, projection.name)
        versions.record(conn, projection.name, projection.version)
    shadow.discard()
