"""People's theme decisions over the model's runs, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from domain.theme import ThemeDecisionError
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from projections.tables import theme_members
from tests.helpers import category, submit
from tests.triage_scenario import record_run

OWNER = uuid4()


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def membership(services: Services) -> dict[UUID, UUID]:
    services.runner.catch_up()
    with services.writer.connect() as conn:
        return {r.proposal_id: r.theme_id for r in conn.execute(select(theme_members))}


def labels(services: Services) -> dict[UUID, str]:
    services.runner.catch_up()
    return {theme.id: theme.label for theme in services.read_model.themes()}


def test_confirmed_labels_and_moves_win_over_the_next_run(board: Services) -> None:
    desk = category(board)
    ideas = [submit(board, desk) for _ in range(6)]
    hours, wifi, printers = uuid4(), uuid4(), uuid4()
    record_run(board, {hours: ("desk hours", ideas[:2]), wifi: ("wifi", ideas[2:4]),
                       printers: ("printers", ideas[4:])})
    app = board.app
    board.runner.catch_up()
    seen = list(board.read_model.theme_members(hours))  # what the owner confirms
    assert set(seen) == set(ideas[:2])

    app.confirm_theme(hours, OWNER, "Service desk hours", seen)
    app.rename_theme(wifi, OWNER, "Guest wifi")
    app.move_suggestion(ideas[4], printers, wifi, OWNER, "It's about wifi printing.")
    app.move_suggestion(ideas[5], printers, None, OWNER)

    assert labels(board) == {hours: "Service desk hours", wifi: "Guest wifi"}
    assert membership(board) == {ideas[0]: hours, ideas[1]: hours, ideas[2]: wifi,
                                 ideas[3]: wifi, ideas[4]: wifi}
    assert [e.kind for e in board.read_model.history(ideas[4])][-1] == "theme_joined"
    assert [e.kind for e in board.read_model.history(ideas[5])][-1] == "theme_left"

    # The model's next run: new labels, the confirmed theme not continued, the moved
    # ideas back where the model had them, one new idea in the wifi theme.
    new = submit(board, desk)
    record_run(board, {wifi: ("wireless", [*ideas[:4], new]), printers: ("print", ideas[4:])})

    assert labels(board) == {hours: "Service desk hours", wifi: "Guest wifi"}
    assert membership(board) == {ideas[0]: hours, ideas[1]: hours, ideas[2]: wifi,
                                 ideas[3]: wifi, ideas[4]: wifi, new: wifi}
    ranked = {theme.id: theme for theme in board.read_model.themes()}
    assert (ranked[hours].ideas, ranked[hours].confirmed) == (2, True)
    assert (ranked[wifi].ideas, ranked[wifi].confirmed) == (4, False)


def test_a_later_move_wins_over_an_earlier_confirmation(board: Services) -> None:
    desk = category(board)
    ideas = [submit(board, desk) for _ in range(4)]
    first, second = uuid4(), uuid4()
    record_run(board, {first: ("a", ideas[:2]), second: ("b", ideas[2:])})
    board.app.confirm_theme(first, OWNER, "A", ideas[:2])
    board.app.move_suggestion(ideas[0], first, second, OWNER)
    record_run(board, {first: ("a", ideas[:3]), second: ("b", ideas[3:])})
    assert membership(board) == {ideas[0]: second, ideas[1]: first, ideas[2]: first,
                                 ideas[3]: second}


def test_theme_decision_rules_hold_in_the_application(board: Services) -> None:
    desk = category(board)
    ideas = [submit(board, desk) for _ in range(2)]
    theme = uuid4()
    record_run(board, {theme: ("a", ideas)})
    board.app.confirm_theme(theme, OWNER, "A", ideas)
    with pytest.raises(ThemeDecisionError, match="already confirmed"):
        board.app.confirm_theme(theme, OWNER, "A", ideas)
    with pytest.raises(ThemeDecisionError, match="already in this theme"):
        board.app.move_suggestion(ideas[0], theme, theme, OWNER)
    with pytest.raises(ThemeDecisionError, match="leaves or joins"):
        board.app.move_suggestion(ideas[0], None, None, OWNER)
    with pytest.raises(ThemeDecisionError, match="not a theme"):
        board.app.rename_theme(ideas[0], OWNER, "An idea's id")
