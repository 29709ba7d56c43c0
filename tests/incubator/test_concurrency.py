"""Votes under contention: every distinct vote counts, a repeated vote counts once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from domain.vote import Vote
from incubator.application import Written
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from tests.helpers import category, event_names, settle, submit


def run_at_once(calls: list[Callable[[], Written]]) -> list[Written]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda call: call(), calls))


def assert_counted(services: Services, idea_id: UUID, expected: int) -> None:
    settle(services)
    assert event_names(services).count("Vote.Cast") == expected
    detail = services.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == expected
    (card,) = services.read_model.board().cards
    assert card.votes == expected


def test_200_members_voting_at_once_make_200_votes(services: Services) -> None:
    idea_id = submit(services, category(services))
    members = [uuid4() for _ in range(200)]

    written = run_at_once([lambda m=m: services.app.cast_vote(idea_id, m) for m in members])

    assert len({w.id for w in written}) == 200
    assert_counted(services, idea_id, 200)


def test_one_member_voting_20_times_at_once_counts_once(services: Services) -> None:
    idea_id, member_id = submit(services, category(services)), uuid4()

    written = run_at_once([lambda: services.app.cast_vote(idea_id, member_id)] * 20)

    assert {w.id for w in written} == {Vote.id_for(idea_id, member_id)}
    assert sum(w.position > 0 for w in written) == 1  # one command saved, the rest no-ops
    assert_counted(services, idea_id, 1)
    assert services.read_model.has_voted(idea_id, member_id)


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    """Two Services on one SQLite data directory behave like two server processes."""
    settings = Settings(data_dir=tmp_path / "data")
    first = bootstrap(settings)
    second = bootstrap(settings)
    yield first, second
    second.close()
    first.close()


def test_one_member_voting_through_two_processes_counts_once(
    two_processes: tuple[Services, Services],
) -> None:
    first, second = two_processes
    idea_id, member_id = submit(first, category(first)), uuid4()

    run_at_once([lambda s=s: s.app.cast_vote(idea_id, member_id)
                 for s in [first, second] * 10])

    for services in two_processes:
        assert_counted(services, idea_id, 1)


def _vote_repeatedly(data_dir: str, idea_id: UUID, member_id: UUID, times: int) -> int:
    """Runs in another OS process: its own Application, its own connections."""
    services = bootstrap(Settings(data_dir=Path(data_dir)), follow=False)
    try:
        return sum(bool(services.app.cast_vote(idea_id, member_id).position)
                   for _ in range(times))
    finally:
        services.close()


def test_one_member_voting_from_two_processes_counts_once(tmp_path: Path) -> None:
    import multiprocessing

    services = bootstrap(Settings(data_dir=tmp_path))
    idea_id, member = submit(services, category(services)), uuid4()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        writes = pool.starmap(_vote_repeatedly, [(str(tmp_path), idea_id, member, 10)] * 2)
    assert sum(writes) == 1
    assert_counted(services, idea_id, 1)
    services.close()
