"""The demo's story happens over months, not in the second it takes to seed it.

The library stamps every event with `create_timestamp()`. While the demo is seeded,
`backdated` puts a hand-moved clock in its place, so ideas have ages, answers come
days after the ideas and "done in 23 days" on /outcomes means something. Only the
demo seeding uses it, in one thread, before the app serves anyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from eventsourcing.domain import CanCreateTimestamp


class DemoClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.current = now

    def set(self, moment: datetime) -> datetime:
        """Move to `moment`, but never into the future."""
        self.current = min(moment, self.now - timedelta(minutes=1))
        return self.current

    def days_ago(self, days: float) -> datetime:
        return self.set(self.now - timedelta(days=days))

    def read(self) -> datetime:
        return self.current


@contextmanager
def backdated(clock: DemoClock) -> Iterator[DemoClock]:
    original = CanCreateTimestamp.__dict__["create_timestamp"]
    CanCreateTimestamp.create_timestamp = staticmethod(clock.read)  # type: ignore[method-assign]
    try:
        yield clock
    finally:
        CanCreateTimestamp.create_timestamp = original  # type: ignore[method-assign]


def demo_clock() -> DemoClock:
    return DemoClock(datetime.now(UTC))
