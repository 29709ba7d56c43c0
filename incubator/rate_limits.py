"""Rate limits kept in the database, so every worker process and host shares them.

A fixed window per (limit, subject): one atomic UPSERT per hit counts it and returns
the count, on SQLite and PostgreSQL alike. The `limits` library was the first choice,
but its storages are memory, Redis, Memcached and MongoDB; none is SQL, and this app's
only shared store is its database.

Per-account throttling of password logins (count failures only, so a stranger cannot
lock a person out by guessing fast; the per-IP limit on the sign-in POST covers that):

    if not limiter.check(SIGN_IN_ACCOUNT, account_key(email)).allowed: refuse (429)
    ...verify the password...
    on failure: limiter.hit(SIGN_IN_ACCOUNT, account_key(email))
    on success: limiter.reset(SIGN_IN_ACCOUNT, account_key(email))

Votes are counted in each process's memory instead (see `_LocalCounts`): a member
votes often, and an UPSERT per vote in its own write transaction was 14 % of a vote's
server time on SQLite, where every write queues behind the event store's.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, bindparam, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert

from incubator.settings import Settings
from projections.tables import rate_limits

# The names routes use; each has a setting (see `Settings.rate_limit_*`).
IDEAS, COMMENTS, VOTES, SIGN_IN_IP, SIGN_IN_ACCOUNT = (
    "ideas", "comments", "votes", "sign_in", "sign_in_account")

_UNITS = {"second": 1, "minute": 60, "hour": 3_600, "day": 86_400}
_FORMAT = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$")
# Expired rows are deleted by whichever process notices first, at most this often.
PURGE_EVERY_S = 600
# Limits counted in memory and added to the shared rows about this often (at the
# first hit after it, and at close). Within one process the count is exact. Across W
# worker processes a member can get a little more: a process learns the others'
# counts when it flushes, so the excess is what the others let through in about a
# second, and never more than W x the limit in a window (each process refuses on its
# own count alone). Sign-in limits guard passwords: they stay exact, one write a hit.
LOCALLY_COUNTED = frozenset({VOTES})
FLUSH_EVERY_S = 1.0


class RateLimitSettingError(ValueError):
    pass


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'20/hour', '10/15 minutes', '5/second'."""
        found = _FORMAT.match(text.lower())
        if not found or int(found.group(1)) < 1 or int(found.group(2) or 1) < 1:
            raise RateLimitSettingError(
                f"{text!r} is not a rate limit: write hits/period, e.g. '20/hour' "
                "or '10/15 minutes'.")
        return cls(int(found.group(1)), int(found.group(2) or 1) * _UNITS[found.group(3)])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets; 0 when allowed

    @property
    def wait_text(self) -> str:
        """'3 minutes', for the message a limited person reads."""
        if self.retry_after < 90:
            return f"{self.retry_after} seconds"
        minutes = math.ceil(self.retry_after / 60)
        return f"{minutes} minutes" if minutes < 90 else f"{math.ceil(minutes / 60)} hours"


def limits_from(settings: Settings) -> dict[str, Limit]:
    return {
        IDEAS: Limit.parse(settings.rate_limit_ideas),
        COMMENTS: Limit.parse(settings.rate_limit_comments),
        VOTES: Limit.parse(settings.rate_limit_votes),
        SIGN_IN_IP: Limit.parse(settings.rate_limit_sign_in),
        SIGN_IN_ACCOUNT: Limit.parse(settings.rate_limit_sign_in_account),
    }


class RateLimiter:
    """`hit(name, subject)` counts one attempt and says whether it is allowed."""

    def __init__(self, engine: Engine, limits: dict[str, Limit],
                 clock: Callable[[], float] = time.time) -> None:
        self.engine, self.limits, self.clock = engine, limits, clock
        self._postgres = engine.dialect.name == "postgresql"
        self._upsert = _upsert(postgresql.insert if self._postgres else sqlite.insert)
        self._purged_at = 0.0
        self._local = _LocalCounts()

    def hit(self, name: str, subject: str) -> Verdict:
        """Count an attempt of `subject` (a member id, an IP, an e-mail) against `name`."""
        if name in LOCALLY_COUNTED:
            if self._local.flush_due(self.clock()):
                self.flush()
            return self._hit_locally(name, subject)
        limit = self.limits[name]
        now = self.clock()
        resets_at = (int(now) // limit.seconds + 1) * limit.seconds
        with self.engine.begin() as conn:
            if self._postgres:
                # A counter lost in a crash is harmless: don't wait for the WAL flush.
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            hits, row_resets_at = self._count(conn, _key(name, subject), resets_at, 1)
        self._purge_now_and_then(now)
        return _verdict(limit, hits, row_resets_at, now)

    def hit_without_io(self, name: str, subject: str) -> Verdict | None:
        """`hit`, if it needs no database round trip now (a locally counted limit between
        flushes); else None. Lets a route count a vote without a worker-thread hop."""
        if name not in LOCALLY_COUNTED or self._local.flush_due(self.clock()):
            return None
        return self._hit_locally(name, subject)

    def _hit_locally(self, name: str, subject: str) -> Verdict:
        limit, now = self.limits[name], self.clock()
        resets_at = (int(now) // limit.seconds + 1) * limit.seconds
        hits, row_resets_at = self._local.count(_key(name, subject), resets_at)
        return _verdict(limit, hits, row_resets_at, now)

    def flush(self) -> None:
        """Add this process's locally counted hits to the shared rows, in one
        transaction, and learn the totals that every process has written."""
        now = self.clock()
        batch = self._local.take(now)
        if batch is None:
            return  # another thread is flushing
        totals: dict[str, tuple[int, int]] = {}
        try:
            if batch:
                with self.engine.begin() as conn:
                    if self._postgres:
                        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                    # In key order, as every process writes them: in the order
                    # counted, two processes' flushes would each hold a row the other
                    # waits for, and PostgreSQL would end one with a deadlock.
                    for key, (resets_at, hits) in sorted(batch.items()):
                        totals[key] = self._count(conn, key, resets_at, hits)
        finally:
            self._local.learn(totals, now)  # on failure, the hits in flight are dropped
        self._purge_now_and_then(now)

    def check(self, name: str, subject: str) -> Verdict:
        """Whether `subject` is over the limit now, without counting an attempt."""
        if name in LOCALLY_COUNTED:
            self.flush()
        limit, now = self.limits[name], self.clock()
        with self.engine.connect() as conn:
            row = conn.execute(select(rate_limits.c.hits, rate_limits.c.resets_at)
                               .where(rate_limits.c.key == _key(name, subject))).first()
        if row is None or row.resets_at <= now or row.hits < limit.hits:
            return Verdict(True, 0)
        return Verdict(False, max(1, math.ceil(row.resets_at - now)))

    def reset(self, name: str, subject: str) -> None:
        """Forget `subject`'s count (e.g. after a successful password login)."""
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limits).where(rate_limits.c.key == _key(name, subject)))
        self._local.forget(_key(name, subject))

    def _count(self, conn: Connection, key: str, resets_at: int, hits: int) -> tuple[int, int]:
        """Add `hits` to the row of `key`; return its count and when its window ends."""
        count, row_resets_at = conn.execute(
            self._upsert, {"k": key, "window_end": resets_at, "n": hits}).one()
        return int(count), int(row_resets_at)

    def _purge_now_and_then(self, now: float) -> None:
        if now - self._purged_at < PURGE_EVERY_S:
            return
        self._purged_at = now
        # The expired rows are locked in key order, as flushes lock theirs (a flush
        # may be counting a new window in one of them): no deadlock between the two.
        expired = (select(rate_limits.c.key).where(rate_limits.c.resets_at <= int(now))
                   .order_by(rate_limits.c.key).with_for_update())
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limits).where(
                rate_limits.c.key.in_(expired.scalar_subquery())))


class _LocalCounts:
    """This process's counts of the locally counted limits, by key: the shared total
    learnt at the last flush (ours included) plus the hits counted since."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shared: dict[str, tuple[int, int]] = {}  # key -> (resets_at, hits)
        self._pending: dict[str, tuple[int, int]] = {}  # not yet written
        self._in_flight: dict[str, tuple[int, int]] = {}  # being written by a flush
        self._flushed_at = -math.inf
        self._flushing = False

    def flush_due(self, now: float) -> bool:
        return not self._flushing and now - self._flushed_at >= FLUSH_EVERY_S

    def count(self, key: str, resets_at: int) -> tuple[int, int]:
        """Count one hit of a window ending at `resets_at`; return the count and the
        end of the window it was counted in (a late hit counts in the newer one)."""
        with self._lock:
            resets, hits = self._pending.get(key, (resets_at, 0))
            if resets < resets_at:  # a new window: the old one's hits are done with
                resets, hits = resets_at, 0
            self._pending[key] = (resets, hits + 1)
            total = hits + 1
            for known in (self._shared, self._in_flight):
                known_resets, known_hits = known.get(key, (0, 0))
                if known_resets >= resets_at:  # this window's, or a newer one's
                    total += known_hits
                    resets = max(resets, known_resets)
            return total, resets

    def take(self, now: float) -> dict[str, tuple[int, int]] | None:
        """The hits to write (they still count while in flight); None if a flush runs."""
        with self._lock:
            if self._flushing:
                return None
            self._flushing, self._flushed_at = True, now
            self._in_flight, self._pending = self._pending, {}
            return self._in_flight

    def learn(self, totals: dict[str, tuple[int, int]], now: float) -> None:
        """The rows' totals after a flush (they include the hits that were in flight)."""
        with self._lock:
            self._shared = {key: (resets, hits) for key, (hits, resets) in totals.items()
                            if resets > now} | {
                key: value for key, value in self._shared.items()
                if key not in totals and value[0] > now}
            self._in_flight, self._flushing = {}, False

    def forget(self, key: str) -> None:
        with self._lock:
            for known in (self._shared, self._pending, self._in_flight):
                known.pop(key, None)


def _upsert(dialect_insert: Callable[[Table], postgresql.Insert | sqlite.Insert],
            ) -> ReturningInsert[int, int]:
    """The counting UPSERT, built once per limiter with its values bound: building it
    per hit cost more than running it (a hit's transaction on SQLite: 860-935 us built
    per hit, 260 us prebuilt; see projections/queries.py)."""
    table = rate_limits.c
    upsert = dialect_insert(rate_limits).values(
        key=bindparam("k"), resets_at=bindparam("window_end"), hits=bindparam("n"))
    # A hit from a newer window restarts the count; a late one from an older
    # window (a slow worker) counts against the current window, never rewinds it.
    newer = upsert.excluded.resets_at > table.resets_at
    return upsert.on_conflict_do_update(
        index_elements=[table.key],
        set_={"hits": case((newer, upsert.excluded.hits),
                           else_=table.hits + upsert.excluded.hits),
              "resets_at": case((newer, upsert.excluded.resets_at), else_=table.resets_at)},
    ).returning(table.hits, table.resets_at)


def _verdict(limit: Limit, hits: int, resets_at: int, now: float) -> Verdict:
    if hits <= limit.hits:
        return Verdict(True, 0)
    return Verdict(False, max(1, math.ceil(resets_at - now)))


def account_key(email: str) -> str:
    """One count per account however the address is typed. A digest: the table then
    holds no e-mail address, and any bytes typed (a NUL, say) make a valid key."""
    return hashlib.sha256(email.strip().casefold().encode("utf-8", "replace")).hexdigest()


def _key(name: str, subject: str) -> str:
    return f"{name}:{subject}"[:200]
