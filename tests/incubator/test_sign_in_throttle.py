"""Password sign-ins are throttled per account, in the database, on both databases:
failures count, a success forgets them, and a throttled attempt checks no password."""

from __future__ import annotations

import pytest

from incubator import passwords
from incubator.bootstrap import Services, bootstrap
from incubator.identity import Identity, SignInError, SignInThrottled
from incubator.rate_limits import SIGN_IN_ACCOUNT, Limit, RateLimiter
from incubator.settings import Settings

PASSWORD = "a long pass phrase with spaces"
WRONG = "not the pass phrase at all"
WINDOW = 900
T0 = 1_800_000_000.0  # on a window boundary: the first window ends at T0 + WINDOW


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def three_tries(services: Services, clock: Clock) -> Identity:
    """Three failed sign-ins per account per 15 minutes, on a clock the test moves."""
    services.rate_limits = RateLimiter(services.writer, {SIGN_IN_ACCOUNT: Limit(3, WINDOW)},
                                       clock=clock)
    return Identity(services)


def fail(identity: Identity, email: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(SignInError, match="don't match an account"):
            identity.authenticate(email, WRONG)


def test_failures_throttle_the_account_until_the_window_ends(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(T0 + 60)
    identity = three_tries(services, clock)
    ann = identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer").id
    identity.create_local_account("bob@example.org", PASSWORD, "Bob Baker")
    fail(identity, "ann@example.org", times=2)
    fail(identity, " ANN@example.org ")  # however it is typed, it is one account
    checked: list[str] = []
    monkeypatch.setattr(passwords, "verify",
                        lambda stored, typed: checked.append(typed) or False)
    with pytest.raises(SignInThrottled) as refused:
        identity.authenticate("ann@example.org", PASSWORD)  # even the right password
    assert refused.value.verdict.retry_after == WINDOW - 60
    assert checked == [], "a throttled attempt costs no password hashing"
    monkeypatch.undo()
    assert identity.authenticate("bob@example.org", PASSWORD), "other accounts sign in"
    clock.now = T0 + WINDOW
    assert identity.authenticate("ann@example.org", PASSWORD) == ann


def test_a_successful_sign_in_forgets_the_failures(services: Services) -> None:
    identity = three_tries(services, Clock())
    ann = identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer").id
    fail(identity, "ann@example.org", times=2)
    assert identity.authenticate("ann@example.org", PASSWORD) == ann
    fail(identity, "ann@example.org", times=2)
    assert identity.authenticate("ann@example.org", PASSWORD) == ann


def test_guesses_at_an_address_without_an_account_are_throttled_alike(
        services: Services) -> None:
    """Otherwise the throttle would tell which addresses have accounts."""
    identity = three_tries(services, Clock())
    fail(identity, "nobody@example.org", times=3)
    with pytest.raises(SignInThrottled):
        identity.authenticate("nobody@example.org", WRONG)


def test_an_address_with_control_characters_is_counted_not_a_database_error(
        services: Services) -> None:
    identity = three_tries(services, Clock())
    identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer")
    fail(identity, "ann\x00@example.org", times=3)
    with pytest.raises(SignInThrottled):
        identity.authenticate("ann\x00@example.org", PASSWORD)
    assert identity.authenticate("ann@example.org", PASSWORD), "not the same account"


def test_every_app_instance_on_the_database_sees_the_same_failures(
        services: Services, backend: Settings) -> None:
    clock = Clock()
    identity = three_tries(services, clock)
    identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer")
    other = bootstrap(backend, follow=False)
    try:
        elsewhere = three_tries(other, clock)
        fail(identity, "ann@example.org", times=2)
        fail(elsewhere, "ann@example.org")
        for anywhere in (identity, elsewhere):
            with pytest.raises(SignInThrottled):
                anywhere.authenticate("ann@example.org", PASSWORD)
    finally:
        other.close()
