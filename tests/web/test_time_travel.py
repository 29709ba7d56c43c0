"""Time travel: an idea and the board as they were at the end of a chosen day."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import eventsourcing.domain
import pytest

from domain.proposal import Status
from tests.web.conftest import World

Clock = Callable[[datetime | None], None]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Events made after `clock(moment)` carry that moment; `clock(None)`: now again."""
    real = eventsourcing.domain.datetime_now_with_tzinfo

    def set_to(moment: datetime | None) -> None:
        monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo",
                            real if moment is None else lambda: moment)

    return set_to


def story(world: World, clock: Clock) -> UUID:
    """10 March: submitted, Bob votes. 12 March: Cleo votes and comments, planned.
    Now: Bob withdraws, in progress."""
    app = world.services.app
    clock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    idea = world.idea("Guest Wi-Fi in every meeting room")
    app.cast_vote(idea, world.bob)
    clock(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    app.cast_vote(idea, world.cleo)
    app.post_comment(idea, world.cleo, "Room 6 drops too")
    app.change_status(idea, Status.PLANNED, world.bob, "Access points go in next month.")
    clock(None)
    app.withdraw_vote(idea, world.bob)
    app.change_status(idea, Status.IN_PROGRESS, world.bob, "The installers are here.")
    world.settle()
    return idea


def vote_count(html: str) -> int:
    found = re.search(r'data-testid="vote-count">(\d+)<', html)
    assert found is not None
    return int(found.group(1))


def test_an_idea_as_it_was_shows_that_days_votes_status_and_comments(
        world: World, clock: Clock) -> None:
    idea = story(world, clock)
    world.sign_in(world.ann)
    first = world.client.get(f"/ideas/{idea}?as_of=2026-03-10")
    assert first.status_code == 200
    assert "as it was on <strong>10 March 2026</strong>" in first.text
    assert vote_count(first.text) == 1
    assert 'id="status-badge" class="badge status-open">Open<' in first.text
    assert "Room 6 drops too" not in first.text and "Access points" not in first.text

    second = world.client.get(f"/ideas/{idea}?as_of=2026-03-12").text
    assert vote_count(second) == 2
    assert ">Planned<" in second and "Access points go in next month." in second
    assert "Room 6 drops too" in second
    assert "The installers are here." not in second and "In progress" not in second

    now = world.client.get(f"/ideas/{idea}").text
    assert vote_count(now) == 1 and "The installers are here." in now


def test_the_past_view_offers_no_actions(world: World, clock: Clock) -> None:
    idea = story(world, clock)
    world.sign_in(world.ann)
    past = world.client.get(f"/ideas/{idea}?as_of=2026-03-12").text
    assert f'action="/ideas/{idea}/vote"' not in past
    assert f'action="/ideas/{idea}/comments"' not in past
    assert "Report this idea" not in past and "sse-connect" not in past
    assert f'/ideas/{idea}">Back to now' in past


def test_a_day_before_the_idea_or_a_bad_date_says_so_and_keeps_what_was_typed(
        world: World, clock: Clock) -> None:
    idea = story(world, clock)
    before = world.client.get(f"/ideas/{idea}?as_of=2026-03-09")
    assert before.status_code == 200
    assert "This idea did not exist yet on 9 March 2026." in before.text
    typo = world.client.get(f"/ideas/{idea}?as_of=12.3.2026")
    assert typo.status_code == 200
    assert "is not a date" in typo.text and 'value="12.3.2026"' in typo.text


def test_the_board_as_it_was(world: World, clock: Clock) -> None:
    idea = story(world, clock)
    clock(datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    later = world.idea("Printers on every floor")
    clock(None)
    first = world.client.get("/?as_of=2026-03-10").text
    assert "as it was on <strong>10 March 2026</strong>" in first
    assert "Guest Wi-Fi in every meeting room" in first and "Printers on every floor" not in first
    assert vote_count(first) == 1 and ">Open<" in first
    planned = world.client.get("/?as_of=2026-03-12&status=planned").text
    assert "Guest Wi-Fi in every meeting room" in planned and "1 idea" in planned
    assert vote_count(planned) == 2
    assert str(later) and str(idea)


def test_a_card_on_the_past_board_leads_to_the_idea_as_it_was(world: World, clock: Clock) -> None:
    idea = story(world, clock)
    board = world.client.get("/?as_of=2026-03-12").text
    assert f'/ideas/{idea}?as_of=2026-03-12"' in board
