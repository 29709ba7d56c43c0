"""What an owner sees first in the inbox: growth over 7 and 30 days, and how long a
theme's oldest unanswered idea has waited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.proposal import Status
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from projections.theme_queries import ranked_themes
from tests.helpers import category, submit
from tests.triage_scenario import record_run


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def test_growth_and_waiting_per_theme(board: Services) -> None:
    wifi = category(board)
    first, second, third = (submit(board, wifi) for _ in range(3))
    for _ in range(2):
        board.app.cast_vote(first, uuid4())
    busy, quiet = uuid4(), uuid4()
    record_run(board, {busy: ("wifi", [first, second]), quiet: ("printing", [third])})
    board.app.change_status(second, Status.PLANNED, uuid4(), "New access points in May.")
    board.runner.catch_up()
    now = datetime.now(UTC).replace(tzinfo=None)

    themes = {theme.id: theme for theme in ranked_themes(board.writer, now)}
    assert (themes[busy].new_7d, themes[busy].new_30d) == (4, 4)  # two ideas, two votes
    assert (themes[quiet].new_7d, themes[quiet].new_30d) == (1, 1)
    assert themes[busy].waiting_since is not None and themes[busy].waiting_since <= now

    a_fortnight_on = {t.id: t for t in ranked_themes(board.writer, now + timedelta(days=14))}
    assert (a_fortnight_on[busy].new_7d, a_fortnight_on[busy].new_30d) == (0, 4)
    later = {t.id: t for t in ranked_themes(board.writer, now + timedelta(days=31))}
    assert (later[busy].new_7d, later[busy].new_30d) == (0, 0)

    board.app.change_status(first, Status.UNDER_REVIEW, uuid4(), "We are looking at it.")
    board.runner.catch_up()
    answered = {t.id: t for t in ranked_themes(board.writer, now)}
    assert answered[busy].waiting_since is None  # every idea of it has an answer
    assert answered[quiet].waiting_since is not None
