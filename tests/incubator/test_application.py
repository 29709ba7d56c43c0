"""The Incubator commands, against each event store, read back through the ReadModel."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.comment import CommentEditError, InvalidCommentError
from domain.proposal import InvalidProposalError, ProposalClosedError, Status
from incubator.application import (
    CommentNotFoundError,
    ProposalNotFoundError,
    Written,
)
from incubator.bootstrap import Services
from tests.helpers import category, event_names, submit


def visible(services: Services, written: Written) -> None:
    """Read-your-writes: the read model includes this command's events."""
    assert written.position > 0
    assert services.runner.wait_for(written.position, timeout=2) is True


def test_a_submitted_idea_shows_on_the_board(services: Services) -> None:
    category_id, author_id = category(services), uuid4()

    written = services.app.submit_proposal("  Single sign-on for the wiki ", " Please. ",
                                           category_id, author_id)

    visible(services, written)
    detail = services.read_model.proposal(written.id)
    assert detail is not None
    assert (detail.title, detail.description) == ("Single sign-on for the wiki", "Please.")
    assert (detail.category_id, detail.category_slug) == (category_id, "service-desk")
    assert (detail.author_id, detail.status, detail.votes) == (author_id, Status.OPEN, 0)
    assert [card.id for card in services.read_model.board().cards] == [written.id]


def test_submitting_to_an_unknown_category_is_refused(services: Services) -> None:
    with pytest.raises(InvalidProposalError) as unknown:
        services.app.submit_proposal("A perfectly fine title", "", uuid4(), uuid4())
    assert unknown.value.problems == {"category": "Choose one of the categories."}
    idea_id = submit(services, category(services))
    with pytest.raises(InvalidProposalError):  # an id, but not a category's
        services.app.submit_proposal("A perfectly fine title", "", idea_id, uuid4())
    with pytest.raises(InvalidProposalError) as both:  # every problem at once
        services.app.submit_proposal("Short", "", None, uuid4())
    assert set(both.value.problems) == {"title", "category"}
    assert event_names(services) == ["Category.Created", "Proposal.Submitted"]


def test_an_invalid_idea_is_refused_before_anything_is_stored(services: Services) -> None:
    with pytest.raises(InvalidProposalError) as raised:
        services.app.submit_proposal("short", "d" * 5_001, uuid4(), uuid4())
    assert set(raised.value.problems) == {"title", "description", "category"}
    assert event_names(services) == []


def test_voting_twice_counts_once(services: Services) -> None:
    idea_id, member_id = submit(services, category(services)), uuid4()

    first = services.app.cast_vote(idea_id, member_id)
    second = services.app.cast_vote(idea_id, member_id)

    assert first.id == second.id
    visible(services, first)
    assert services.runner.wait_for(second.position, timeout=2)
    assert event_names(services).count("Vote.Cast") == 1
    detail = services.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 1
    assert services.read_model.has_voted(idea_id, member_id)


def test_a_vote_can_be_withdrawn_and_recast(services: Services) -> None:
    idea_id, member_id = submit(services, category(services)), uuid4()
    services.app.cast_vote(idea_id, member_id)

    withdrawn = services.app.withdraw_vote(idea_id, member_id)
    visible(services, withdrawn)
    detail = services.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 0
    assert not services.read_model.has_voted(idea_id, member_id)
    assert services.app.withdraw_vote(idea_id, member_id).position == 0  # nothing to withdraw

    recast = services.app.cast_vote(idea_id, member_id)
    visible(services, recast)
    detail = services.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 1
    assert services.read_model.has_voted(idea_id, member_id)
    assert event_names(services)[-3:] == ["Vote.Cast", "Vote.Withdrawn", "Vote.Recast"]


def test_withdrawing_a_vote_never_cast_changes_nothing(services: Services) -> None:
    idea_id = submit(services, category(services))
    assert services.app.withdraw_vote(idea_id, uuid4()).position == 0
    assert "Vote.Withdrawn" not in event_names(services)


@pytest.mark.parametrize("status", [Status.DONE, Status.DECLINED, Status.ALREADY_POSSIBLE])
def test_votes_on_a_closed_idea_are_refused(services: Services, status: Status) -> None:
    idea_id, voter = submit(services, category(services)), uuid4()
    services.app.cast_vote(idea_id, voter)
    services.app.change_status(idea_id, status, uuid4(), "Closing: see the self-service portal.")

    with pytest.raises(ProposalClosedError):
        services.app.cast_vote(idea_id, uuid4())
    with pytest.raises(ProposalClosedError):
        services.app.withdraw_vote(idea_id, voter)
    assert event_names(services).count("Vote.Cast") == 1
    assert "Vote.Withdrawn" not in event_names(services)


def test_a_status_change_shows_with_its_answer(services: Services) -> None:
    idea_id = submit(services, category(services))

    written = services.app.change_status(idea_id, Status.PLANNED, uuid4(), " In Q3. ")

    visible(services, written)
    detail = services.read_model.proposal(idea_id)
    assert detail is not None
    assert (detail.status, detail.status_answer) == (Status.PLANNED, "In Q3.")


def test_commands_on_an_unknown_idea_are_refused(services: Services) -> None:
    unknown, member_id = uuid4(), uuid4()
    with pytest.raises(ProposalNotFoundError):
        services.app.cast_vote(unknown, member_id)
    with pytest.raises(ProposalNotFoundError):
        services.app.withdraw_vote(unknown, member_id)
    with pytest.raises(ProposalNotFoundError):
        services.app.post_comment(unknown, member_id, "Hello?")
    with pytest.raises(ProposalNotFoundError):
        services.app.change_status(unknown, Status.DONE, member_id, "")
    category_id = category(services)
    with pytest.raises(ProposalNotFoundError):  # an id, but not an idea's
        services.app.cast_vote(category_id, member_id)
    assert event_names(services) == ["Category.Created"]


def test_a_comment_can_be_posted_and_edited_by_its_author(services: Services) -> None:
    idea_id, author_id = submit(services, category(services)), uuid4()

    posted = services.app.post_comment(idea_id, author_id, "  First!  ")
    visible(services, posted)
    (shown,) = services.read_model.comments(idea_id)
    assert (shown.id, shown.author_id, shown.text, shown.edited_at) == (
        posted.id, author_id, "First!", None)
    card = services.read_model.proposal(idea_id)
    assert card is not None and card.comments == 1

    edited = services.app.edit_comment(posted.id, author_id, "Second thoughts.")
    visible(services, edited)
    shown_again = services.read_model.comment(posted.id)
    assert shown_again is not None
    assert shown_again.text == "Second thoughts."
    assert shown_again.edited_at is not None


def test_someone_else_cannot_edit_a_comment(services: Services) -> None:
    idea_id = submit(services, category(services))
    posted = services.app.post_comment(idea_id, uuid4(), "Mine.")

    with pytest.raises(CommentEditError):
        services.app.edit_comment(posted.id, uuid4(), "Not yours.")
    assert services.app.get_comment(posted.id).text == "Mine."
    assert "Comment.Edited" not in event_names(services)


def test_comment_errors(services: Services) -> None:
    idea_id = submit(services, category(services))
    with pytest.raises(InvalidCommentError):
        services.app.post_comment(idea_id, uuid4(), "   ")
    with pytest.raises(CommentNotFoundError):
        services.app.edit_comment(uuid4(), uuid4(), "Text.")
    with pytest.raises(CommentNotFoundError):  # an id, but not a comment's
        services.app.edit_comment(idea_id, uuid4(), "Text.")
    assert "Comment.Posted" not in event_names(services)


def test_text_the_database_cannot_store_is_refused_up_front(services: Services) -> None:
    idea_id = submit(services, category(services))
    with pytest.raises(InvalidProposalError):
        services.app.submit_proposal("NUL \x00 in the title", "", category(services, "wifi"),
                                     uuid4())
    with pytest.raises(InvalidCommentError):
        services.app.post_comment(idea_id, uuid4(), "NUL \x00 in a comment")
    written = services.app.post_comment(idea_id, uuid4(), "A fine comment")
    assert services.runner.wait_for(written.position, timeout=5)
