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
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from incubator.settings import Settings
from projections.tables import rate_limits

# The names routes use; each has a setting (see `Settings.rate_limit_*`).
IDEAS, COMMENTS, VOTES, SIGN_IN_IP, SIGN_IN_ACCOUNT = (
    "ideas", "comments", "votes", "sign_in", "sign_in_account")

_UNITS = {"second": 1, "minute": 60, "hour": 3_600, "day": 86_400}
_FORMAT = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$")
# Expired rows are deleted by whichever process notices first, at most this often.
PURGE_EVERY_S = 600


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
        dialect = postgresql if self._postgres else sqlite
        self._insert = dialect.insert
        self._purged_at = 0.0

    def hit(self, name: str, subject: str) -> Verdict:
        """Count an attempt of `subject` (a member id, an IP, an e-mail) against `name`."""
        limit = self.limits[name]
        now = self.clock()
        resets_at = (int(now) // limit.seconds + 1) * limit.seconds
        hits, row_resets_at = self._count(_key(name, subject), resets_at)
        self._purge_now_and_then(now)
        if hits <= limit.hits:
            return Verdict(True, 0)
        return Verdict(False, max(1, math.ceil(row_resets_at - now)))

    def check(self, name: str, subject: str) -> Verdict:
        """Whether `subject` is over the limit now, without counting an attempt."""
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

    def _count(self, key: str, resets_at: int) -> tuple[int, int]:
        table = rate_limits.c
        upsert = self._insert(rate_limits).values(key=key, resets_at=resets_at, hits=1)
        # A hit from a newer window restarts the count; a late one from an older
        # window (a slow worker) counts against the current window, never rewinds it.
        newer = upsert.excluded.resets_at > table.resets_at
        upsert = upsert.on_conflict_do_update(
            index_elements=[table.key],
            set_={"hits": case((newer, 1), else_=table.hits + 1),
                  "resets_at": case((newer, upsert.excluded.resets_at), else_=table.resets_at)},
        ).returning(table.hits, table.resets_at)
        with self.engine.begin() as conn:
            if self._postgres:
                # A counter lost in a crash is harmless: don't wait for the WAL flush.
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            hits, row_resets_at = conn.execute(upsert).one()
        return int(hits), int(row_resets_at)

    def _purge_now_and_then(self, now: float) -> None:
        if now - self._purged_at < PURGE_EVERY_S:
            return
        self._purged_at = now
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limits).where(rate_limits.c.resets_at <= int(now)))


def account_key(email: str) -> str:
    """One count per account however the address is typed. A digest: the table then
    holds no e-mail address, and any bytes typed (a NUL, say) make a valid key."""
    return hashlib.sha256(email.strip().casefold().encode("utf-8", "replace")).hexdigest()


def _key(name: str, subject: str) -> str:
    return f"{name}:{subject}"[:200]
