"""Outcomes in the read model, on each backend: drafts, the public board, corrections."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from domain.outcome import InvalidOutcomeError, OutcomeStageError, Subject
from incubator import outcomes
from incubator.bootstrap import Services, bootstrap
from incubator.outcomes import NothingToAnswerError
from incubator.settings import Settings
from projections import outcome_queries as q
from projections.tables import outcome_people
from tests.helpers import category, submit
from tests.outcome_scenario import outcome_history
from tests.triage_scenario import record_run

OWNER = uuid4()


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def publish(services: Services, outcome_id: UUID, done_on: date = date(2026, 2, 1)) -> None:
    outcomes.save_draft(services, outcome_id, OWNER, "Done", "You asked.", "We did it.",
                        done_on, [], publish=True)
    services.runner.catch_up()


def test_an_idea_draft_counts_distinct_people_and_quotes_what_they_said(
        board: Services) -> None:
    desk = category(board)
    author, voter, talker = uuid4(), uuid4(), uuid4()
    idea = board.app.submit_proposal("Open the service desk at 8", "Early starters wait.",
                                     desk, author).id
    for member in (voter, author):
        board.app.cast_vote(idea, member)
    board.app.post_comment(idea, talker, "I start at 7:30 and wait an hour every day.")
    board.app.post_comment(idea, voter, "Yes.")
    board.runner.catch_up()

    written = outcomes.draft_for(board, Subject.IDEA, idea, OWNER)
    board.runner.catch_up()

    view = q.outcome(board.read_model.engine, written.id)
    assert view is not None
    assert (view.stage, view.title, view.subject_kind) == (
        "draft", "Open the service desk at 8", "idea")
    assert (view.people, view.ideas, view.votes, view.comments) == (3, 1, 2, 2)
    assert view.categories == "Service desk" and view.category_ids == (desk,)
    assert view.quotes == ("Early starters wait.",
                           "I start at 7:30 and wait an hour every day.", "Yes.")
    assert view.you_said == "3 people asked for this in Service desk: 2 votes, 2 comments."
    assert outcomes.draft_for(board, Subject.IDEA, idea, uuid4()).id == written.id  # one


def test_a_theme_draft_spans_its_categories_and_quotes_its_representatives(
        board: Services) -> None:
    desk, wifi = category(board), category(board, "wifi")
    ideas = [submit(board, desk), submit(board, wifi), submit(board, wifi)]
    board.app.cast_vote(ideas[1], uuid4())
    theme = uuid4()
    record_run(board, {theme: ("desk hours", ideas)})
    board.runner.catch_up()

    written = outcomes.draft_for(board, Subject.THEME, theme, OWNER)
    board.runner.catch_up()
    view = q.outcome(board.read_model.engine, written.id)
    assert view is not None
    assert (view.title, view.people, view.ideas, view.votes) == ("desk hours", 4, 3, 1)
    assert view.categories == "Service desk, Wifi"
    assert len(view.quotes) == 1  # the run named one representative
    with pytest.raises(NothingToAnswerError):
        outcomes.draft_for(board, Subject.THEME, uuid4(), OWNER)


def test_only_published_outcomes_reach_the_board_newest_first_with_filters(
        board: Services) -> None:
    desk, wifi = category(board), category(board, "wifi")
    ideas = [submit(board, desk), submit(board, wifi), submit(board, wifi)]
    board.runner.catch_up()
    drafts = [outcomes.draft_for(board, Subject.IDEA, i, OWNER).id for i in ideas]
    board.runner.catch_up()
    today = date.today()
    publish(board, drafts[0], today - timedelta(days=100))
    publish(board, drafts[1], today - timedelta(days=3))
    engine = board.read_model.engine

    assert [o.id for o in q.outcome_board(engine).outcomes] == [drafts[1], drafts[0]]
    assert [o.id for o in q.outcome_board(engine, category_slug="wifi").outcomes] == [
        drafts[1]]
    recent = q.outcome_board(engine, since=today - timedelta(days=30))
    assert ([o.id for o in recent.outcomes], recent.total) == ([drafts[1]], 1)
    assert q.ideas_with_outcome(engine, ideas) == {ideas[0], ideas[1]}
    assert [o.id for o in q.published_for_idea(engine, ideas[2])] == []


def test_publishing_names_everyone_involved_once(board: Services) -> None:
    desk, author, voter = category(board), uuid4(), uuid4()
    idea = submit(board, desk, author)
    board.app.cast_vote(idea, voter)
    board.app.post_comment(idea, voter, "Please.")
    board.runner.catch_up()
    outcome_id = outcomes.draft_for(board, Subject.IDEA, idea, OWNER).id
    late = uuid4()
    board.app.cast_vote(idea, late)  # after the draft, before publishing: still told
    board.runner.catch_up()
    publish(board, outcome_id)
    with board.writer.connect() as conn:
        told = set(conn.execute(select(outcome_people.c.member_id)).scalars())
    assert told == {author, voter, late}
    with pytest.raises(OutcomeStageError):
        publish(board, outcome_id)


def test_a_correction_keeps_the_original_and_a_withdrawal_leaves_the_board(
        board: Services) -> None:
    desk = category(board)
    ideas = [submit(board, desk) for _ in range(5)]
    made = outcome_history(board, ideas[:3], ideas[3], ideas[4])
    board.runner.catch_up()
    engine = board.read_model.engine
    view = q.outcome(engine, made["idea"])
    assert view is not None and view.corrected
    assert (view.done_on, view.original_done_on) == (date(2026, 2, 8), date(2026, 2, 1))
    assert (view.links, view.original_we_did) == ((), "We did idea.")
    assert [c.note for c in view.corrections] == ["Wrong date."]
    assert {o.id for o in q.outcome_board(engine).outcomes} == {made["theme"], made["idea"]}
    assert [o.id for o in q.published_for_idea(engine, ideas[1])] == [made["theme"]]
    with pytest.raises(InvalidOutcomeError):
        outcomes.correct(board, made["idea"], OWNER, "Again.", "idea done", "We did idea.",
                         date(2026, 2, 8), [])
