"""Campaigns in the read model, on each backend: the list, poll counts, ideas, results."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from domain.campaign import CampaignClosedError, InvalidAnswerError
from domain.outcome import Subject
from incubator import outcomes
from incubator.bootstrap import Services, bootstrap
from incubator.jobs import CampaignDeadlineJob
from incubator.settings import Settings
from projections import campaign_queries as q
from projections import outcome_queries
from projections.tables import outcome_people
from tests.helpers import category, event_names
from tests.triage_scenario import record_run

OWNER = uuid4()
HOURS = ["7:00-19:00", "8:00-18:00", "9:00-17:00"]


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def open_campaign(services: Services, desk: UUID, deadline: datetime | None = None,
                  question: str = "Which service desk hours would work for you?") -> UUID:
    return services.app.open_campaign(question, "We are thinking of changing them.", desk,
                                      deadline, "Which hours?", HOURS, OWNER).id


def test_poll_counts_follow_answers_and_changes_one_per_member(board: Services) -> None:
    campaign = open_campaign(board, category(board))
    ann, bob, cleo = uuid4(), uuid4(), uuid4()
    board.app.answer_poll(campaign, ann, 0)
    board.app.answer_poll(campaign, bob, 0)
    board.app.answer_poll(campaign, cleo, 1)
    board.app.answer_poll(campaign, bob, 2)  # changed their mind
    assert board.app.answer_poll(campaign, ann, 0).position == 0  # nothing new
    board.runner.catch_up()

    view = q.campaign(board.read_model.engine, campaign)
    assert view is not None
    assert [(o.label, o.answers) for o in view.options] == [
        ("7:00-19:00", 1), ("8:00-18:00", 1), ("9:00-17:00", 1)]
    assert view.answers == 3
    assert q.answer_of(board.read_model.engine, campaign, bob) == 2
    assert q.answer_of(board.read_model.engine, campaign, uuid4()) is None
    with pytest.raises(InvalidAnswerError):
        board.app.answer_poll(campaign, ann, 3)


def test_concurrent_answers_of_one_member_leave_exactly_one(board: Services) -> None:
    campaign, member = open_campaign(board, category(board)), uuid4()
    start = threading.Barrier(4)

    def answer(option: int) -> None:
        start.wait()
        board.app.answer_poll(campaign, member, option)

    threads = [threading.Thread(target=answer, args=(n % 3,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    board.runner.catch_up()
    view = q.campaign(board.read_model.engine, campaign)
    assert view is not None and view.answers == 1
    assert sum(o.answers for o in view.options) == 1
    assert event_names(board).count("PollAnswer.Given") == 1


def test_ideas_under_a_campaign_take_its_category_and_stop_at_the_close(
        board: Services) -> None:
    desk, wifi = category(board), category(board, "wifi")
    campaign = open_campaign(board, desk)
    idea = board.app.submit_proposal("Open the desk at 7:30", "", wifi, uuid4(), campaign).id
    other = board.app.submit_proposal("Longer hours on Fridays", "", None, uuid4(),
                                      campaign).id
    outside = board.app.submit_proposal("Faster Wi-Fi in room 4", "", wifi, uuid4()).id
    voter = uuid4()
    board.app.cast_vote(other, voter)
    board.app.close_campaign(campaign, OWNER, "We have what we need.")
    board.runner.catch_up()

    assert board.app.get_proposal(idea).category_id == desk
    engine = board.read_model.engine
    assert [card.id for card in q.campaign_ideas_of(engine, campaign)] == [other, idea]
    assert q.campaign_of_idea(engine, outside) is None
    found = q.campaign_of_idea(engine, idea)
    assert found is not None and found.status == "closed" and found.ideas == 2
    with pytest.raises(CampaignClosedError, match="closed"):
        board.app.cast_vote(idea, voter)
    with pytest.raises(CampaignClosedError):
        board.app.withdraw_vote(other, voter)
    with pytest.raises(CampaignClosedError):
        board.app.submit_proposal("One more idea, too late", "", None, voter, campaign)
    with pytest.raises(CampaignClosedError):
        board.app.answer_poll(campaign, voter, 0)
    board.app.cast_vote(outside, voter)  # ideas outside the campaign are not affected


def test_the_list_shows_open_campaigns_first_then_closed(board: Services) -> None:
    desk, now = category(board), datetime.now(UTC)
    later = open_campaign(board, desk, now + timedelta(days=9), "Which printer is worst?")
    closed = open_campaign(board, desk, None, "What should onboarding include?")
    sooner = open_campaign(board, desk, now + timedelta(days=2), "Which desk hours suit you?")
    endless = open_campaign(board, desk, None, "Anything else on your mind?")
    board.app.close_campaign(closed, OWNER, "")
    board.runner.catch_up()
    listed = q.campaign_list(board.read_model.engine)
    assert [c.id for c in listed] == [sooner, later, endless, closed]
    assert [c.is_open(now.replace(tzinfo=None)) for c in listed] == [True, True, True, False]


def test_results_show_the_themes_of_the_campaign_ideas(board: Services) -> None:
    desk = category(board)
    campaign = open_campaign(board, desk)
    ideas = [board.app.submit_proposal(f"Desk hours idea {n}", "", None, uuid4(),
                                       campaign).id for n in range(3)]
    theme = uuid4()
    record_run(board, {theme: ("desk hours", ideas[:2]), uuid4(): ("other", ideas[2:])})
    board.runner.catch_up()
    themes = q.campaign_themes(board.read_model.engine, campaign)
    assert (themes[0].id, themes[0].label, themes[0].ideas) == (theme, "desk hours", 2)


def test_the_deadline_job_closes_what_is_due_as_the_system(board: Services) -> None:
    desk, now = category(board), datetime.now(UTC)
    due = open_campaign(board, desk, now + timedelta(hours=1))
    not_yet = open_campaign(board, desk, now + timedelta(hours=3))
    board.runner.catch_up()
    job = CampaignDeadlineJob(board.app, board.read_model.engine,
                              clock=lambda: now + timedelta(hours=2))
    assert job.close_due() == 1
    board.runner.catch_up()
    assert job.close_due() == 0  # idempotent
    view = q.campaign(board.read_model.engine, due)
    assert view is not None
    assert (view.status, view.closed_why, view.closed_by_name) == ("closed", "deadline", "")
    assert q.campaign(board.read_model.engine, not_yet).status == "open"  # type: ignore[union-attr]


def test_a_campaign_outcome_hears_the_poll_and_tells_everyone_who_answered(
        board: Services) -> None:
    desk = category(board)
    campaign = open_campaign(board, desk)
    author, voter, answerer = uuid4(), uuid4(), uuid4()
    idea = board.app.submit_proposal("Open the desk at 7:30", "", None, author, campaign).id
    board.app.cast_vote(idea, voter)
    for member, option in ((author, 0), (answerer, 0), (voter, 1)):
        board.app.answer_poll(campaign, member, option)
    board.app.close_campaign(campaign, OWNER, "")
    board.runner.catch_up()

    written = outcomes.draft_for(board, Subject.CAMPAIGN, campaign, OWNER)
    board.runner.catch_up()
    view = outcome_queries.outcome(board.read_model.engine, written.id)
    assert view is not None
    assert (view.subject_kind, view.title, view.people, view.ideas, view.votes) == (
        "campaign", "Which service desk hours would work for you?", 3, 1, 1)
    assert view.quotes[0] == "Which hours? 7:00-19:00: 2; 8:00-18:00: 1; 9:00-17:00: 0"
    assert view.you_said == "3 people answered in Service desk: 1 idea, 1 vote, 0 comments."
    assert view.category_ids == (desk,)
    outcomes.save_draft(board, written.id, OWNER, "New desk hours", view.you_said,
                        "From March the desk opens at 7:30.", date(2026, 3, 1), [],
                        publish=True)
    published = board.app.get_outcome(written.id)
    assert published.stage == "published"
    board.runner.catch_up()
    with board.read_model.engine.connect() as conn:
        told = set(conn.execute(select(outcome_people.c.member_id).where(
            outcome_people.c.outcome_id == written.id)).scalars())
    assert told == {author, voter, answerer}
