"""Statements are built once and reused (see projections/queries.py): each call must
bind its own values, and an empty list of ids must still work, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from projections.live_changes import changed_topics
from projections.notification_queries import inbox, unread_count
from projections.outcome_queries import ideas_with_outcome
from tests.helpers import category, submit


@pytest.fixture
def services(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def test_empty_id_lists_find_nothing(services: Services) -> None:
    submit(services, category(services))
    services.runner.catch_up()
    engine, read_model = services.read_model.engine, services.read_model

    assert read_model.vote_tallies([]) == {}
    assert read_model.voted_among(uuid4(), []) == frozenset()
    assert ideas_with_outcome(engine, []) == frozenset()


def test_each_call_binds_its_own_values(services: Services) -> None:
    category_id = category(services)
    first, second = submit(services, category_id), submit(services, category_id)
    ada, bob = uuid4(), uuid4()
    services.app.cast_vote(first, ada)
    services.app.cast_vote(second, bob)
    services.runner.catch_up()
    read_model = services.read_model

    assert read_model.voted_among(ada, [first, second]) == {first}
    assert read_model.voted_among(bob, [first, second]) == {second}
    assert (read_model.has_voted(first, ada), read_model.has_voted(first, bob)) == (True, False)
    assert set(read_model.vote_tallies([second])) == {second}
    assert set(read_model.vote_tallies([first, second])) == {first, second}
    assert [read_model.proposal(idea).id for idea in (first, second)] == [first, second]


def test_limits_and_ranges_are_bound_per_call(services: Services) -> None:
    category_id = category(services)
    author = uuid4()
    idea = submit(services, category_id, author)
    for _ in range(3):
        services.app.post_comment(idea, uuid4(), "Agreed.")  # the author gets notices
    services.runner.catch_up()
    engine = services.read_model.engine

    assert [len(inbox(engine, author, limit)) for limit in (1, 2, 50)] == [1, 2, 3]
    assert unread_count(engine, author) == 3 and unread_count(engine, uuid4()) == 0
    with engine.connect() as conn:
        assert changed_topics(conn, 0, 1) == set()  # the category
        assert changed_topics(conn, 1, 2) == {"board:new"}
        assert {f"idea:{idea}:comments", f"member:{author}"} <= changed_topics(conn, 2, 5)
        assert changed_topics(conn, 5, 9) == set()
