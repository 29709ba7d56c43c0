"""Group commit: the events of commands that reach the event store at the same
moment are saved in ONE transaction.

Each save is a transaction that the database makes durable (an fsync on SQLite)
while every other writer waits for its lock. Under a burst of votes, the threads
that queue up behind a save are instead committed together by whichever of them
gets the lock next (the "leader"): one transaction, one fsync, for all of them.
A single command alone saves exactly as before.

If the shared transaction fails on a unique key (a lost optimistic-concurrency
race, or the second creation of a vote), it is rolled back whole and each
command's events are saved again on their own, so that only the command that
lost gets the `IntegrityError` (and retries, see `retry_on_conflict`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Recording

log = logging.getLogger(__name__)


class _Pending:
    def __init__(self, events: Sequence[Any]) -> None:
        self.events = events
        self.done = False
        self.recordings: list[Recording[Any]] = []
        self.error: BaseException | None = None

    def outcome(self) -> list[Recording[Any]]:
        if self.error is not None:
            raise self.error
        return self.recordings


class GroupCommit:
    def __init__(self, app: Application[Any]) -> None:
        self.app = app
        self._changed = threading.Condition()
        self._queue: list[_Pending] = []
        self._saving = False

    def save(self, events: Sequence[Any]) -> list[Recording[Any]]:
        """Save `events` (of one command) atomically; return their recordings."""
        pending = _Pending(events)
        with self._changed:
            self._queue.append(pending)
            while self._saving and not pending.done:
                self._changed.wait()
            if pending.done:  # a leader saved it meanwhile
                return pending.outcome()
            self._saving = True  # this thread leads: it saves everything queued
            batch, self._queue = self._queue, []
        try:
            self._commit(batch)
        finally:
            with self._changed:
                for item in batch:
                    if not item.done:  # e.g. KeyboardInterrupt in the middle
                        item.error, item.done = RuntimeError("The save was interrupted."), True
                self._saving = False
                self._changed.notify_all()
        return pending.outcome()

    def _commit(self, batch: list[_Pending]) -> None:
        if len(batch) > 1 and self._commit_together(batch):
            return
        for item in batch:
            try:
                item.recordings = self.app.save(*item.events)
            except Exception as error:  # the command's own thread raises it
                item.error = error
            item.done = True

    def _commit_together(self, batch: list[_Pending]) -> bool:
        try:
            recordings = self.app.save(*(e for item in batch for e in item.events))
        except Exception:  # e.g. one of them lost a race: all of it was rolled back
            log.debug("Group commit of %d failed; saving one by one", len(batch), exc_info=True)
            return False
        for item in batch:
            count = len(item.events)
            item.recordings, recordings = recordings[:count], recordings[count:]
            item.done = True
        return True
