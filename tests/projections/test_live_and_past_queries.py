"""What a stretch of the log changed (live updates) and the read model as it was at a
moment (time travel), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import eventsourcing.domain
import pytest

from domain.proposal import Status
from incubator.bootstrap import Services
from incubator.time_travel import StatusThen, idea_status_as_of, statuses_as_of
from projections.live_changes import changed_topics
from projections.time_travel import comments_as_of, votes_as_of

MARCH_10 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
MARCH_12 = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
END_OF_MARCH_10 = datetime(2026, 3, 10, 23, 59, 59)
END_OF_MARCH_12 = datetime(2026, 3, 12, 23, 59, 59)


def settle(services: Services) -> int:
    head = services.app.recorder.max_notification_id() or 0
    services.runner.wait_for(head)
    return head


def topics_of(services: Services, after: int) -> set[str]:
    upto = settle(services)
    with services.read_model.engine.connect() as conn:
        return changed_topics(conn, after, upto)


def people(services: Services, *names: str) -> list[UUID]:
    return [services.app.register_member("local", name).id for name in names]


def test_a_stretch_of_the_log_names_the_parts_of_the_pages_it_changed(
        services: Services) -> None:
    app = services.app
    ann, bob = people(services, "Ann", "Bob")
    category = app.create_category("wifi", "Wi-Fi", "").id
    start = settle(services)
    idea = app.submit_proposal("Guest Wi-Fi everywhere", "Room 4.", category, ann).id
    assert topics_of(services, start) == {"board:new"}
    after_submit = settle(services)
    app.cast_vote(idea, bob)
    app.post_comment(idea, bob, "Room 6 too")
    # Ann follows what she submitted: Bob's comment is a notice for her (her bell).
    assert topics_of(services, after_submit) == {f"idea:{idea}:votes", f"idea:{idea}:comments",
                                                 f"member:{ann}"}
    after_vote = settle(services)
    app.change_status(idea, Status.PLANNED, bob, "Next month.")
    # Bob follows it too (he voted), but is not told of his own answer.
    assert topics_of(services, after_vote) == {f"idea:{idea}:status", f"member:{ann}"}


def test_a_vote_on_a_merged_idea_changes_the_canonical_ideas_count(
        services: Services) -> None:
    app = services.app
    ann, bob = people(services, "Ann", "Bob")
    category = app.create_category("wifi", "Wi-Fi", "").id
    canonical = app.submit_proposal("Guest Wi-Fi everywhere", "Room 4.", category, ann).id
    duplicate = app.submit_proposal("Wi-Fi for guests", "Please.", category, ann).id
    app.cast_vote(duplicate, bob)
    app.merge_proposals(duplicate, canonical, bob, "Same idea.")
    after_merge = settle(services)
    app.withdraw_vote(canonical, bob)  # withdraws Bob's vote on the duplicate
    assert topics_of(services, after_merge) == {f"idea:{duplicate}:votes",
                                                f"idea:{canonical}:votes"}


@pytest.fixture
def story(services: Services, monkeypatch: pytest.MonkeyPatch) -> UUID:
    """10 March: submitted, Bob votes. 12 March: Cleo votes and comments, planned.
    Now: Bob withdraws, in progress."""
    app = services.app
    ann, bob, cleo = people(services, "Ann", "Bob", "Cleo")
    category = app.create_category("wifi", "Wi-Fi", "").id
    real = eventsourcing.domain.datetime_now_with_tzinfo
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: MARCH_10)
    idea = app.submit_proposal("Guest Wi-Fi everywhere", "Room 4.", category, ann).id
    app.cast_vote(idea, bob)
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: MARCH_12)
    app.cast_vote(idea, cleo)
    app.post_comment(idea, cleo, "Room 6 too")
    app.change_status(idea, Status.PLANNED, bob, "Next month.")
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", real)
    app.withdraw_vote(idea, bob)
    app.change_status(idea, Status.IN_PROGRESS, bob, "Installers are here.")
    settle(services)
    return idea


def test_votes_comments_and_statuses_as_they_were(services: Services, story: UUID) -> None:
    engine = services.read_model.engine
    assert votes_as_of(engine, END_OF_MARCH_10) == {story: 1}
    assert votes_as_of(engine, END_OF_MARCH_12, [story]) == {story: 2}
    assert votes_as_of(engine, datetime(2026, 3, 9)) == {}
    assert comments_as_of(engine, END_OF_MARCH_10) == {}
    assert comments_as_of(engine, END_OF_MARCH_12) == {story: 1}
    app = services.app
    assert idea_status_as_of(app, story, END_OF_MARCH_10) == StatusThen(Status.OPEN, "")
    assert idea_status_as_of(app, story, END_OF_MARCH_12) == StatusThen(
        Status.PLANNED, "Next month.")
    assert idea_status_as_of(app, story, datetime(2026, 3, 9)) is None
    assert statuses_as_of(app, END_OF_MARCH_12) == {story: StatusThen(Status.PLANNED,
                                                                     "Next month.")}
    assert statuses_as_of(app, datetime(2026, 3, 9)) == {}


def test_an_outcome_names_the_outcome_board_and_the_idea_it_answers(
        services: Services) -> None:
    from domain.outcome import Subject
    from incubator.outcomes import draft_for, save_draft

    app = services.app
    ann, bob = people(services, "Ann", "Bob")
    category = app.create_category("wifi", "Wi-Fi", "").id
    idea = app.submit_proposal("Guest Wi-Fi everywhere", "Room 4.", category, ann).id
    start = settle(services)
    outcome = draft_for(services, Subject.IDEA, idea, bob).id
    drafted = settle(services)
    assert services.live.changes_between(start, drafted) == set(), "a draft is not public"
    save_draft(services, outcome, bob, "Guest Wi-Fi", "You asked.", "We did it.",
               date(2026, 3, 1), [], publish=True)
    upto = settle(services)
    assert services.live.changes_between(drafted, upto) == {
        "outcomes", f"idea:{idea}:outcome", f"member:{ann}"}  # Ann is told: her bell


def test_a_hidden_ideas_activity_names_nothing(services: Services) -> None:
    app = services.app
    ann, bob = people(services, "Ann", "Bob")
    category = app.create_category("wifi", "Wi-Fi", "").id
    idea = app.submit_proposal("Something rude here", "Rude.", category, ann).id
    app.hide_content(idea, bob, "Rude.")
    hidden = settle(services)
    app.post_comment(idea, ann, "Still here?")
    assert topics_of(services, hidden) == set()
