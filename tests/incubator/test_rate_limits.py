"""Rate limits live in the database: every engine, thread and process shares them
(votes after a flush of each process's in-memory counts, about every second)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select, update

from incubator.bootstrap import Services, bootstrap
from incubator.rate_limits import (
    FLUSH_EVERY_S,
    SIGN_IN_ACCOUNT,
    VOTES,
    Limit,
    RateLimiter,
    RateLimitSettingError,
    Verdict,
    account_key,
    limits_from,
)
from incubator.settings import Settings
from projections.tables import rate_limits

HOUR = 3_600
T0 = 1_800_000_000.0  # a moment on a window boundary for hour-long windows


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_limits_are_written_as_hits_per_period() -> None:
    assert Limit.parse("20/hour") == Limit(20, HOUR)
    assert Limit.parse("10/15 minutes") == Limit(10, 900)
    assert Limit.parse(" 5 / second ") == Limit(5, 1)
    assert Limit.parse("100/2days") == Limit(100, 172_800)
    for bad in ("20", "20/fortnight", "0/hour", "ten/hour", "5/0 minutes", ""):
        with pytest.raises(RateLimitSettingError, match="is not a rate limit"):
            Limit.parse(bad)


def test_the_defaults_parse_and_are_set_from_the_environment() -> None:
    settings = Settings.from_env({"INCUBATOR_RATE_LIMIT_VOTES": "7/minute"})
    limits = limits_from(settings)
    assert limits["votes"] == Limit(7, 60)
    assert limits["ideas"] == Limit(20, HOUR)
    assert Settings.from_env(settings.to_env()).rate_limit_votes == "7/minute"


def limiter(services: Services, clock: Clock, hits: int = 3) -> RateLimiter:
    return RateLimiter(services.writer, {"try": Limit(hits, HOUR)}, clock=clock)


def test_the_hit_after_the_limit_is_refused_until_the_window_ends(services: Services) -> None:
    clock = Clock(T0 + 600)
    limits = limiter(services, clock)
    assert [limits.hit("try", "ann").allowed for _ in range(4)] == [True, True, True, False]
    refused = limits.hit("try", "ann")
    assert not refused.allowed and refused.retry_after == HOUR - 600
    assert refused.wait_text == "50 minutes"
    assert limits.hit("try", "bob").allowed, "another subject has its own count"
    clock.now = T0 + HOUR
    assert limits.hit("try", "ann").allowed, "a new window starts a new count"


def test_a_late_hit_from_an_older_window_does_not_rewind_the_count(services: Services) -> None:
    clock = Clock(T0 + HOUR)
    limits = limiter(services, clock, hits=2)
    limits.hit("try", "ann")
    limits.hit("try", "ann")
    clock.now = T0 + HOUR - 1  # a worker whose request started a moment earlier
    assert not limits.hit("try", "ann").allowed
    clock.now = T0 + HOUR + 1
    assert not limits.hit("try", "ann").allowed


def test_expired_windows_are_purged(services: Services) -> None:
    clock = Clock()
    limits = limiter(services, clock)
    for subject in ("ann", "bob", "cleo"):
        limits.hit("try", subject)
    clock.now = T0 + 2 * HOUR
    limits.hit("try", "dan")
    with services.writer.connect() as conn:
        assert conn.execute(select(func.count()).select_from(rate_limits)).scalar() == 1


def test_threads_of_two_service_instances_share_one_limit(backend: Settings) -> None:
    first, second = bootstrap(backend, follow=False), bootstrap(backend, follow=False)
    try:
        clock = Clock()
        limiters = [limiter(first, clock, hits=25), limiter(second, clock, hits=25)]
        with ThreadPoolExecutor(8) as pool:
            verdicts = list(pool.map(lambda i: limiters[i % 2].hit("try", "ann"), range(60)))
        assert sum(v.allowed for v in verdicts) == 25
    finally:
        first.close()
        second.close()


def _hits_in_a_process(settings: Settings, count: int) -> int:
    services = bootstrap(settings, follow=False)
    try:
        limits = limiter(services, Clock(), hits=30)
        return sum(limits.hit("try", "ann").allowed for _ in range(count))
    finally:
        services.close()


def test_two_processes_share_one_limit(backend: Settings) -> None:
    bootstrap(backend, follow=False).close()  # create the tables once
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        allowed = pool.starmap(_hits_in_a_process, [(backend, 25), (backend, 25)])
    assert sum(allowed) == 30 and min(allowed) >= 5


def test_password_logins_count_failures_per_account(services: Services) -> None:
    """The pattern the sign-in page uses: check, verify, count a failure, reset on success."""
    clock = Clock(T0 + 60)
    limits = RateLimiter(services.writer, limits_from(Settings()), clock=clock)
    account = account_key("  Ann.Archer@Example.org ")
    assert account == account_key("ann.archer@example.org")
    for _ in range(10):
        assert limits.check(SIGN_IN_ACCOUNT, account).allowed
        limits.hit(SIGN_IN_ACCOUNT, account)  # a wrong password
    refused = limits.check(SIGN_IN_ACCOUNT, account)
    assert not refused.allowed and refused.retry_after == 900 - 60
    assert limits.check(SIGN_IN_ACCOUNT, account_key("bob@example.org")).allowed
    clock.now = T0 + 900
    assert limits.check(SIGN_IN_ACCOUNT, account).allowed
    limits.hit(SIGN_IN_ACCOUNT, account)
    limits.reset(SIGN_IN_ACCOUNT, account)  # the right password
    with services.writer.connect() as conn:
        assert conn.execute(select(func.count()).select_from(rate_limits)).scalar() == 0


def vote_limiter(services: Services, clock: Clock, hits: int = 10) -> RateLimiter:
    return RateLimiter(services.writer, {VOTES: Limit(hits, HOUR)}, clock=clock)


def row_count(services: Services) -> int:
    with services.writer.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(rate_limits)).scalar_one())


def test_votes_are_limited_exactly_in_one_process_without_a_write_per_vote(
        services: Services) -> None:
    clock = Clock(T0 + 600)
    limits = vote_limiter(services, clock, hits=5)
    verdicts = [limits.hit(VOTES, "ann") for _ in range(7)]
    assert [v.allowed for v in verdicts] == [True] * 5 + [False] * 2
    assert verdicts[-1].retry_after == HOUR - 600
    assert limits.hit_without_io(VOTES, "bob") == Verdict(True, 0)
    assert row_count(services) == 0, "no flush within the first second"
    clock.now += FLUSH_EVERY_S
    assert not limits.hit(VOTES, "ann").allowed  # flushes, then counts
    assert limits.check(VOTES, "ann").retry_after == HOUR - 601
    clock.now = T0 + HOUR
    assert limits.hit(VOTES, "ann").allowed, "a new window starts a new count"


def test_worker_processes_share_the_vote_limit_within_a_second(backend: Settings) -> None:
    """Two service instances stand for two worker processes."""
    first, second = bootstrap(backend, follow=False), bootstrap(backend, follow=False)
    try:
        clock = Clock(T0 + 60)
        one, two = vote_limiter(first, clock), vote_limiter(second, clock)
        assert all(one.hit(VOTES, "ann").allowed for _ in range(6))
        clock.now += FLUSH_EVERY_S
        one.flush()
        assert all(two.hit(VOTES, "ann").allowed for _ in range(4)), "not learnt yet"
        clock.now += FLUSH_EVERY_S
        assert not two.hit(VOTES, "ann").allowed, "learnt at its flush: 6 + 4 is the limit"
        # At worst (no flush in between) each process lets the limit through once.
        clock.now = T0 + HOUR + 60
        allowed = sum(limiter.hit(VOTES, "bob").allowed for limiter in (one, two) * 15)
        assert 10 <= allowed <= 20
        clock.now += FLUSH_EVERY_S
        assert not one.hit(VOTES, "bob").allowed and not two.hit(VOTES, "bob").allowed
    finally:
        first.close()
        second.close()


def test_closing_saves_the_vote_counts(backend: Settings) -> None:
    services = bootstrap(backend, follow=False)
    clock = Clock(T0 + 60)
    services.rate_limits = vote_limiter(services, clock, hits=3)
    for _ in range(4):
        services.rate_limits.hit(VOTES, "ann")
    services.close()
    restarted = bootstrap(backend, follow=False)
    try:
        assert not vote_limiter(restarted, clock, hits=3).check(VOTES, "ann").allowed
    finally:
        restarted.close()


def test_two_processes_flushing_the_same_members_at_once_do_not_deadlock(
        backend: Settings) -> None:
    """Two web processes flush counts of the same voters, counted in opposite orders.
    Written in that order, each flush would hold rows the other one waits for, and
    PostgreSQL would end one of them with a deadlock (a vote answered with a 503)."""
    first, second = bootstrap(backend, follow=False), bootstrap(backend, follow=False)
    try:
        clock = Clock(T0 + 60)
        one, two = vote_limiter(first, clock, hits=1_000), vote_limiter(second, clock, hits=1_000)
        members = [f"member-{n:03d}" for n in range(60)]
        rounds = 15
        one.flush(), two.flush()  # then they count locally until the clock moves on
        for _ in range(rounds):
            for member in members:
                one.hit_without_io(VOTES, member)
            for member in reversed(members):
                two.hit_without_io(VOTES, member)
            clock.now += FLUSH_EVERY_S
            both_ready = threading.Barrier(2)
            with ThreadPoolExecutor(2) as pool:
                for done in [pool.submit(_flush_together, limits, both_ready)
                             for limits in (one, two)]:
                    done.result()
        for member in (members[0], members[-1]):
            # Every hit of both processes is counted: a limit of one more still allows.
            assert vote_limiter(first, clock, hits=2 * rounds + 1).check(VOTES, member).allowed
            assert not vote_limiter(first, clock, hits=2 * rounds).check(VOTES, member).allowed
    finally:
        first.close()
        second.close()


def _flush_together(limits: RateLimiter, both_ready: threading.Barrier) -> None:
    both_ready.wait()
    limits.flush()


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_purging_expired_windows_beside_a_flush_that_counts_in_them_does_not_deadlock(
        backend: Settings) -> None:
    """A flush locks its rows in key order; so must the purge, which deletes them in
    whatever order the table holds them (here "b" before "a")."""
    services = bootstrap(backend, follow=False)
    try:
        with services.writer.begin() as conn:
            conn.execute(insert(rate_limits), [
                {"key": key, "resets_at": int(T0), "hits": 1} for key in ("votes:b", "votes:a")])
        limits = vote_limiter(services, Clock(T0 + 2 * HOUR))
        with services.writer.connect() as flushing, ThreadPoolExecutor(1) as pool:
            count = update(rate_limits).values(hits=rate_limits.c.hits + 1)
            with flushing.begin():
                flushing.execute(count.where(rate_limits.c.key == "votes:a"))
                purged = pool.submit(limits.flush)  # purges; waits for "votes:a"
                time.sleep(0.5)
                flushing.execute(count.where(rate_limits.c.key == "votes:b"))
            purged.result(timeout=10)
        assert row_count(services) == 0
    finally:
        services.close()
