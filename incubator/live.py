"""Live updates: tell the pages people have open that what they show has changed.

One `LiveUpdates` per process. It follows the projection runner's position, which
moves in every process: after each page it applies (SQLite, or PostgreSQL with the
projections in process) or when `incubator worker` announces a page with NOTIFY
(`serve --workers N`, see bootstrap's `_follow_the_worker`). One thread then reads
what the new positions changed (`projections.live_changes`, one query for every
open page of the process) and hands topic names to the subscribers: the
server-sent-event streams of web/live.py, which run on the event loop and hold no
database connection.

A generic hook: `publish({"member:<id>"})` reaches the streams of that member's
pages as the event `member` (e.g. a notification bell listens for it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Engine

from domain.outcome import Outcome
from projections.live_changes import changed_topics, outcome_topics

log = logging.getLogger(__name__)

EVERYTHING = "*"  # too much changed at once: every page refreshes what it shows
MAX_SPAN = 5_000  # positions read per change; beyond that, EVERYTHING
OUTCOME_TOPICS = [get_topic(cls) for cls in (
    Outcome.Drafted, Outcome.Edited, Outcome.Published, Outcome.Corrected, Outcome.Withdrawn)]


@dataclass(eq=False)
class Subscriber:
    """One open stream: which topics it wants (as event names), and what came since
    it last looked. Lives on the event loop; filled from other threads."""

    name_for: Callable[[str], str | None]
    everything: frozenset[str]
    loop: asyncio.AbstractEventLoop
    pending: dict[str, int] = field(default_factory=dict)  # event name -> position
    closed: bool = False
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def deliver(self, topics: Iterable[str], position: int) -> None:
        """Called in any thread."""
        names: set[str] = set()
        for topic in topics:
            if topic == EVERYTHING:
                names.update(self.everything)
            elif (name := self.name_for(topic)) is not None:
                names.add(name)
        if names:
            self.loop.call_soon_threadsafe(self._add, names, position)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self._close)

    async def next(self, timeout: float) -> dict[str, int] | None:
        """The events since the last call (empty after `timeout`: time for a
        heartbeat), or None once the stream should end."""
        if not self.pending and not self.closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), timeout)
        self.ready.clear()
        if self.closed:
            return None
        got, self.pending = self.pending, {}
        return got

    def _add(self, names: set[str], position: int) -> None:
        for name in names:
            self.pending[name] = position
        self.ready.set()

    def _close(self) -> None:
        self.closed = True
        self.ready.set()


class LiveUpdates:
    def __init__(self, engine: Engine, app: Any, start_at: int) -> None:
        self.engine, self.app = engine, app
        self.seen = start_at  # changes up to here were published
        self.draining = False
        self._target = start_at
        self._lock = threading.Lock()
        self._subscribers: set[Subscriber] = set()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-updates", daemon=True)

    # ---- the runner's side ------------------------------------------------------------

    def moved_to(self, position: int) -> None:
        """The read model reached `position` (called from the runner, any thread)."""
        with self._lock:
            self._target = max(self._target, position)
        self._wake.set()

    def start(self, position: int) -> None:
        """Publish the changes after `position` (the read model's, caught up)."""
        with self._lock:
            self.seen = self._target = max(self._target, position)
        self._thread.start()

    def stop(self) -> None:
        self.drain()
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    # ---- the streams' side -------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> int:
        """Add a stream; returns the position its page is known to include at most."""
        with self._lock:
            if self.draining:
                subscriber.close()
            self._subscribers.add(subscriber)
            return self.seen

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def publish(self, topics: Iterable[str], position: int | None = None) -> None:
        topics = set(topics)
        with self._lock:
            subscribers = list(self._subscribers)
            at = self.seen if position is None else position
        for subscriber in subscribers:
            try:
                subscriber.deliver(topics, at)
            except RuntimeError:  # its event loop is closed: the server has stopped
                self.unsubscribe(subscriber)

    def drain(self) -> None:
        """End every stream now and refuse new ones: the server is stopping, and
        it would otherwise wait for the open streams to end."""
        with self._lock:
            self.draining = True
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            with contextlib.suppress(RuntimeError):  # a closed loop has no streams left
                subscriber.close()

    def changes_between(self, after: int, upto: int) -> set[str]:
        """The topics changed by positions after `after` up to `upto`."""
        if upto <= after:
            return set()
        if upto - after > MAX_SPAN:
            return {EVERYTHING}
        with self.engine.connect() as conn:
            topics = changed_topics(conn, after, upto)
        outcome_ids = {n.originator_id for n in self.app.recorder.select_notifications(
            start=after, limit=MAX_SPAN, stop=upto, topics=OUTCOME_TOPICS,
            inclusive_of_start=False)}
        if outcome_ids:
            with self.engine.connect() as conn:
                topics |= outcome_topics(conn, outcome_ids)
        return topics

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                after, upto = self.seen, self._target
                if not self._subscribers:
                    # Nobody to tell: skip reading the changes (9 % of a vote's server
                    # time). A stream that opens later catches up from its page's
                    # position itself (web/live.py), so nothing is lost.
                    self.seen = upto
                    continue
            if upto <= after:
                continue
            try:
                topics = self.changes_between(after, upto)
            except Exception:  # the database away: say "everything" once it is back
                log.warning("Live updates could not read the changes", exc_info=True)
                topics = {EVERYTHING}
            with self._lock:
                self.seen = upto
            self.publish(topics, upto)


def member_topic(member_id: UUID) -> str:
    return f"member:{member_id}"
