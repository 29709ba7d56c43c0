"""Lost optimistic-concurrency races are retried; one that keeps losing is explained."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from incubator.application import ConcurrentChangeError, retry_on_conflict


def test_a_command_that_lost_a_race_is_run_again() -> None:
    attempts: list[int] = []

    @retry_on_conflict
    def command() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise IntegrityError("duplicate key")
        return "saved"

    assert command() == "saved"
    assert len(attempts) == 3


def test_a_command_that_keeps_losing_says_so() -> None:
    attempts: list[int] = []

    @retry_on_conflict
    def command() -> None:
        attempts.append(1)
        raise IntegrityError("duplicate key")

    with pytest.raises(ConcurrentChangeError, match="Someone else changed this"):
        command()
    assert len(attempts) == 12


def test_business_rule_errors_are_never_retried() -> None:
    attempts: list[int] = []

    @retry_on_conflict
    def command() -> None:
        attempts.append(1)
        raise ValueError("title too short")

    with pytest.raises(ValueError, match="title too short"):
        command()
    assert attempts == [1]
