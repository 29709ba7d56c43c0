"""Reports, the admins' queue, hiding and restoring, on each backend; and status answers."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from domain.moderation import ModerationError
from domain.proposal import InvalidStatusChangeError, Status
from incubator.application import ContentNotFoundError
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from projections.schema import save_member_profile
from tests.helpers import category, submit
from tests.triage_scenario import record_run

ADMIN, STAFF = uuid4(), uuid4()


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    save_member_profile(services.writer, ADMIN, "Ada Admin")
    save_member_profile(services.writer, STAFF, "Sam Staff")
    yield services
    services.close()


def test_reports_reach_the_queue_and_a_hidden_idea_leaves_every_page(board: Services) -> None:
    app, read = board.app, board.read_model
    desk = category(board)
    kept, spam = submit(board, desk), submit(board, desk, title="Buy cheap watches here")
    app.report_content(spam, STAFF, "Spam.")
    app.report_content(spam, uuid4(), "Advertising.")
    app.report_content(kept, STAFF, "Duplicate?")
    record_run(board, {uuid4(): ("watches", [spam, kept])})
    board.runner.catch_up()
    assert [(t.ideas, t.quotes) for t in read.themes()] == [(2, ("Buy cheap watches here",))]

    queue = read.moderation_queue()
    assert [(c.target_id, c.kind, len(c.open_reports)) for c in queue] == [
        (spam, "idea", 2), (kept, "idea", 1)]
    assert [(r.reporter_name, r.reason) for r in queue[0].open_reports] == [
        ("Sam Staff", "Spam."), ("former member", "Advertising.")]
    assert queue[0].text.startswith("Buy cheap watches here")

    app.hide_content(spam, ADMIN, "Advertising is not an idea.")
    board.runner.catch_up()

    assert [card.id for card in read.board().cards] == [kept]
    assert read.board().total == 1
    assert [(t.ideas, t.quotes) for t in read.themes()] == [(1, ())]
    assert read.proposal(spam) is None
    assert [c.target_id for c in read.moderation_queue()] == [kept]
    (hidden,) = read.hidden_content()
    assert (hidden.target_id, hidden.hidden, hidden.decided_by_name, hidden.reason) == (
        spam, True, "Ada Admin", "Advertising is not an idea.")
    with pytest.raises(ModerationError, match="already hidden"):
        app.hide_content(spam, ADMIN, "Twice.")

    app.restore_content(spam, ADMIN, "The author rewrote it.")
    board.runner.catch_up()

    assert {card.id for card in read.board().cards} == {kept, spam}
    assert read.proposal(spam) is not None
    assert read.hidden_content() == ()
    assert [(e.kind, e.actor_name, e.detail) for e in read.history(spam)][-2:] == [
        ("idea_hidden", "Ada Admin", "Advertising is not an idea."),
        ("idea_restored", "Ada Admin", "The author rewrote it.")]


def test_filtered_board_counts_leave_out_only_the_hidden_ideas_that_match(
    board: Services,
) -> None:
    app, read = board.app, board.read_model
    desk, wifi = category(board), category(board, "wi-fi")
    shown = [submit(board, desk), submit(board, wifi)]
    hidden = [submit(board, desk), submit(board, wifi)]
    for idea in hidden:
        app.hide_content(idea, ADMIN, "Spam.")
    board.runner.catch_up()

    open_ = Status.OPEN
    assert read.board(status=open_, category_slug="service-desk").total == 1
    assert read.board(category_slug="wi-fi").total == 1
    assert read.board(status=open_).total == 2
    assert read.board(status=Status.PLANNED, category_slug="wi-fi").total == 0
    assert {c.id for c in read.board(status=open_, category_slug="wi-fi").cards} == {shown[1]}


def test_a_hidden_comment_leaves_the_thread_and_the_count(board: Services) -> None:
    app, read = board.app, board.read_model
    idea_id = submit(board, category(board))
    app.post_comment(idea_id, STAFF, "Useful.")
    rude = app.post_comment(idea_id, uuid4(), "Rude.").id
    app.report_content(rude, STAFF, "Insulting.")
    board.runner.catch_up()
    (case,) = read.moderation_queue()
    assert (case.kind, case.proposal_id, case.text) == ("comment", idea_id, "Rude.")

    app.hide_content(rude, ADMIN, "Code of conduct.")
    board.runner.catch_up()

    assert [c.text for c in read.comments(idea_id)] == ["Useful."]
    assert read.comment(rude) is None
    assert [(e.kind, e.detail) for e in read.history(idea_id)][1:] == [
        ("commented", "Useful."), ("commented", ""), ("comment_hidden", "Code of conduct.")]
    detail = read.proposal(idea_id)
    assert detail is not None and detail.comments == 1
    (card,) = read.board().cards
    assert card.comments == 1
    app.post_comment(idea_id, STAFF, "Another one.")
    app.restore_content(rude, ADMIN, "Context made it fine.")
    board.runner.catch_up()
    detail = read.proposal(idea_id)
    assert detail is not None and detail.comments == 3
    assert [c.text for c in read.comments(idea_id)] == ["Useful.", "Rude.", "Another one."]


def test_dismissed_reports_leave_the_queue_and_new_ones_come_back(board: Services) -> None:
    app, read = board.app, board.read_model
    idea_id = submit(board, category(board))
    app.report_content(idea_id, STAFF, "Off topic?")
    with pytest.raises(ModerationError, match="already reported"):
        app.report_content(idea_id, STAFF, "Again.")
    app.dismiss_reports(idea_id, ADMIN, "On topic.")
    board.runner.catch_up()
    assert read.moderation_queue() == ()
    assert read.proposal(idea_id) is not None

    app.report_content(idea_id, STAFF, "Still off topic.")
    board.runner.catch_up()
    (case,) = read.moderation_queue()
    assert [r.reason for r in case.open_reports] == ["Still off topic."]


def test_unknown_content_and_missing_reasons_are_refused(board: Services) -> None:
    with pytest.raises(ContentNotFoundError):
        board.app.report_content(uuid4(), STAFF, "Spam.")
    with pytest.raises(ContentNotFoundError):  # an id, but a category's
        board.app.hide_content(category(board, "network"), ADMIN, "Spam.")
    idea_id = submit(board, category(board))
    with pytest.raises(ModerationError, match="required"):
        board.app.report_content(idea_id, STAFF, "  ")
    with pytest.raises(ModerationError, match="not hidden"):
        board.app.restore_content(idea_id, ADMIN, "Nothing to restore.")


def test_status_changes_need_a_public_answer_and_show_who_and_why(board: Services) -> None:
    app, read = board.app, board.read_model
    idea_id = submit(board, category(board))
    with pytest.raises(InvalidStatusChangeError, match="answer is required"):
        app.change_status(idea_id, Status.PLANNED, ADMIN, " ")
    with pytest.raises(InvalidStatusChangeError, match="how it is already possible"):
        app.change_status(idea_id, Status.ALREADY_POSSIBLE, ADMIN, "It is.")
    app.change_status(idea_id, Status.ALREADY_POSSIBLE, ADMIN,
                      "Use 'Reset password' on the sign-in page.")
    with pytest.raises(InvalidStatusChangeError, match="reopen it first"):
        app.change_status(idea_id, Status.DONE, ADMIN, "Done.")
    app.change_status(idea_id, Status.UNDER_REVIEW, ADMIN, "Reopened: the page moved.")
    board.runner.catch_up()

    detail = read.proposal(idea_id)
    assert detail is not None
    assert (detail.status, detail.status_answer) == (Status.UNDER_REVIEW,
                                                     "Reopened: the page moved.")
    assert [(e.kind, e.actor_name, e.detail) for e in read.history(idea_id)][1:] == [
        ("status_changed", "Ada Admin",
         "Already possible. Use 'Reset password' on the sign-in page."),
        ("status_changed", "Ada Admin", "Under review. Reopened: the page moved.")]
