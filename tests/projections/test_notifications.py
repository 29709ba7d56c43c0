"""Notices derived from the event log, on each backend: who is told, once, as they chose."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from domain.outcome import Subject
from domain.proposal import Status
from incubator import outcomes
from incubator.bootstrap import Services, bootstrap
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from projections import notification_queries as q
from projections.members import Projections
from projections.notifications import NotificationProjection
from projections.schema import empty_projected_tables
from projections.tables import email_outbox
from tests.helpers import category, submit
from tests.triage_scenario import record_run

OWNER = uuid4()


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def told(services: Services, member: UUID) -> list[tuple[str, str]]:
    services.runner.catch_up()
    return [(n.kind, n.detail) for n in q.inbox(services.read_model.engine, member)]


def outbox(services: Services) -> list[tuple[str, UUID, str]]:
    with services.writer.connect() as conn:
        rows = conn.execute(select(email_outbox.c.key, email_outbox.c.member_id,
                                   email_outbox.c.kind).order_by(email_outbox.c.key))
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_submitters_voters_and_commenters_follow_and_hear_of_an_answer(board: Services) -> None:
    author, voter, talker, bystander = uuid4(), uuid4(), uuid4(), uuid4()
    idea = submit(board, category(board), author, title="Open the service desk at 8")
    board.app.cast_vote(idea, voter)
    board.app.post_comment(idea, talker, "I start at 7:30.")
    board.app.change_status(idea, Status.PLANNED, OWNER, "From March.")

    for member in (author, voter, talker):
        assert ("status", "Planned. From March.") in told(board, member)
    assert told(board, bystander) == []
    assert told(board, OWNER) == []  # the one who answered is not told
    engine = board.read_model.engine
    assert q.unread_count(engine, author) == 2  # the comment ("reply") and the answer
    assert [n.title for n in q.inbox(engine, voter)] == ["Open the service desk at 8"] * 2


def test_a_comment_tells_the_followers_but_not_its_author(board: Services) -> None:
    author, talker = uuid4(), uuid4()
    idea = submit(board, category(board), author)
    board.app.post_comment(idea, talker, "Me too.")
    board.app.post_comment(idea, author, "Thanks!")

    assert told(board, author) == [("reply", "New comment: Me too.")]
    assert told(board, talker) == [("reply", "New comment: Thanks!")]


def test_unfollowing_wins_over_voting_later_and_following_works_for_anyone(
        board: Services) -> None:
    author, voter, watcher = uuid4(), uuid4(), uuid4()
    idea = submit(board, category(board), author)
    board.app.follow("idea", idea, voter, following=False)
    board.app.cast_vote(idea, voter)
    board.app.follow("idea", idea, watcher)
    board.app.change_status(idea, Status.UNDER_REVIEW, OWNER, "Looking.")

    assert told(board, voter) == []
    assert told(board, watcher) == [("status", "Under review. Looking.")]
    engine = board.read_model.engine
    assert not q.is_following(engine, idea, voter) and q.is_following(engine, idea, watcher)


def test_preferences_turn_a_kind_off_or_send_it_by_email_in_a_digest(board: Services) -> None:
    author, voter = uuid4(), uuid4()
    idea = submit(board, category(board), author)
    board.app.cast_vote(idea, voter)
    board.app.choose_notifications(author, {"status": "off"}, digest=False)
    board.app.choose_notifications(voter, {"reply": "email"}, digest=True)
    board.app.post_comment(idea, author, "Thanks for the vote.")
    board.app.change_status(idea, Status.PLANNED, OWNER, "Soon.")

    assert told(board, author) == []
    assert [kind for kind, _ in told(board, voter)] == ["status", "reply"]
    assert sorted(kind for _, member, kind in outbox(board) if member == voter) == [
        "reply", "status"]
    with board.writer.connect() as conn:
        digest = set(conn.execute(select(email_outbox.c.digest)).scalars())
    assert digest == {True}
    assert q.preferences(board.read_model.engine, voter).channels["reply"] == "email"


def test_publishing_an_outcome_tells_everyone_involved_exactly_once(board: Services) -> None:
    desk, author, voter, talker, follower = category(board), uuid4(), uuid4(), uuid4(), uuid4()
    other_author = uuid4()
    idea = submit(board, desk, author)
    other = submit(board, desk, other_author)
    board.app.cast_vote(idea, voter)
    board.app.cast_vote(other, voter)  # in the theme twice: still told once
    board.app.post_comment(idea, talker, "Yes please.")
    board.app.follow("idea", other, follower)
    theme = uuid4()
    record_run(board, {theme: ("printers", [idea, other])})
    board.runner.catch_up()
    outcome_id = outcomes.draft_for(board, Subject.THEME, theme, OWNER).id
    outcomes.save_draft(board, outcome_id, OWNER, "Printers fixed", "You asked.",
                        "We replaced them.", date(2026, 2, 1), [], publish=True)
    board.runner.catch_up()

    engine = board.read_model.engine
    for member in (author, voter, talker, follower):
        outcome_notices = [n for n in q.inbox(engine, member) if n.kind == "outcome"]
        assert [(n.title, n.link) for n in outcome_notices] == [
            ("Printers fixed", f"/outcomes/{outcome_id}")]
    assert [n for n in q.inbox(engine, OWNER)] == []
    mails = [member for _, member, kind in outbox(board) if kind == "outcome"]
    assert sorted(mails, key=str) == sorted(
        [author, other_author, voter, talker, follower], key=str)


def test_mark_read_and_mark_all_read(board: Services) -> None:
    author = uuid4()
    idea = submit(board, category(board), author)
    for n in range(3):
        board.app.post_comment(idea, uuid4(), f"Comment {n}.")
    board.runner.catch_up()
    engine = board.read_model.engine
    first, *_ = q.inbox(engine, author)

    q.mark_read(engine, author, [first.position])
    assert q.unread_count(engine, author) == 2
    q.mark_read(engine, author)
    assert q.unread_count(engine, author) == 0
    assert all(n.read for n in q.inbox(engine, author))


@pytest.mark.parametrize("batch_size", [1, 4, 1_000])
def test_a_rebuild_derives_the_same_notices_keeps_read_marks_and_adds_no_email(
        board: Services, batch_size: int) -> None:
    author, voter, early = uuid4(), uuid4(), uuid4()
    desk = category(board)
    idea = submit(board, desk, author)
    board.app.cast_vote(idea, voter)
    board.app.follow("idea", idea, voter, following=False)
    board.app.follow("idea", idea, voter, following=True)
    board.app.post_comment(idea, voter, "Any news?")
    duplicate = submit(board, desk, early)
    board.app.post_comment(idea, author, "Before the merge: the duplicate's author is not told.")
    board.app.merge_proposals(duplicate, idea, OWNER, "Same.")
    board.app.change_status(idea, Status.PLANNED, OWNER, "Yes.")
    board.runner.catch_up()
    engine = board.read_model.engine
    before = {m: q.inbox(engine, m) for m in (author, voter, early)}
    assert [n.kind for n in before[early]] == ["status", "status"]  # merged, then planned
    q.mark_read(engine, author)
    mails = outbox(board)

    empty_projected_tables(board.writer, "board")
    runner = ProjectionRunner(board.app, board.writer, board.runner.projection,
                              batch_size=batch_size)
    runner.catch_up()

    assert isinstance(board.runner.projection, Projections)
    assert any(isinstance(p, NotificationProjection) for p in board.runner.projection.parts)
    for member, notices in before.items():
        again = q.inbox(engine, member)
        assert [(n.position, n.kind, n.detail) for n in again] == [
            (n.position, n.kind, n.detail) for n in notices]
    assert q.unread_count(engine, author) == 0
    assert outbox(board) == mails
    with board.writer.connect() as conn:
        assert conn.execute(select(func.count()).select_from(email_outbox)).scalar() == len(mails)


def test_followers_of_a_merged_duplicate_hear_of_it_and_of_the_canonical_idea(
        board: Services) -> None:
    desk = category(board)
    canonical_author, duplicate_voter = uuid4(), uuid4()
    canonical = submit(board, desk, canonical_author, title="Guest Wi-Fi everywhere")
    duplicate = submit(board, desk, uuid4(), title="Wi-Fi for visitors")
    board.app.cast_vote(duplicate, duplicate_voter)
    board.app.merge_proposals(duplicate, canonical, OWNER, "Same request.")
    board.runner.catch_up()
    board.app.change_status(canonical, Status.PLANNED, OWNER, "Next month.")

    notices = told(board, duplicate_voter)
    assert notices[0] == ("status", "Planned. Next month.")
    assert notices[1] == ("status", "Merged into “Guest Wi-Fi everywhere”: its votes and "
                                    "comments count there.")
    assert told(board, canonical_author) == [("status", "Planned. Next month.")]


def test_a_forgotten_member_is_told_nothing_more_and_their_notices_go(board: Services) -> None:
    author = board.app.register_member("local", "author").id
    idea = submit(board, category(board), author)
    board.app.post_comment(idea, uuid4(), "Nice.")
    board.runner.catch_up()
    assert told(board, author) != []

    board.app.forget_member(author, OWNER)
    board.app.change_status(idea, Status.PLANNED, OWNER, "Yes.")

    assert told(board, author) == []
    assert [m for _, m, _ in outbox(board) if m == author] == []


def test_a_closed_campaign_tells_who_answered_gave_ideas_or_followed_it(
        board: Services) -> None:
    app = board.app
    answered, gave_an_idea, chose_to, left, bystander = (uuid4() for _ in range(5))
    campaign = app.open_campaign("Which service desk hours would work for you?", "",
                                 category(board), None, "Which hours?",
                                 ["8-18", "7-19"], OWNER).id
    app.answer_poll(campaign, answered, 0)
    app.submit_proposal("A chat line in the evening", "", None, gave_an_idea, campaign)
    app.follow("campaign", campaign, chose_to)
    app.answer_poll(campaign, left, 1)
    app.follow("campaign", campaign, left, following=False)  # their choice wins
    app.close_campaign(campaign, OWNER, "Thank you.")

    result = ("campaign", "Closed: the results are in.")
    for member in (answered, gave_an_idea, chose_to):
        assert told(board, member).count(result) == 1
    for member in (left, bystander, OWNER):  # nor the owner who closed it
        assert result not in told(board, member)
