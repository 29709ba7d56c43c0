"""Comment rules, checked on the aggregate alone: no I/O."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.comment import (
    EDIT_WINDOW,
    TEXT_MAX,
    Comment,
    CommentEditError,
    InvalidCommentError,
)


def posted(text: str = "Good idea.") -> Comment:
    comment = Comment.post(uuid4(), uuid4(), text)
    comment.collect_events()
    return comment


def test_posting_records_the_stripped_text() -> None:
    proposal_id, author_id = uuid4(), uuid4()

    comment = Comment.post(proposal_id, author_id, "  +1, we need this.\n")

    (posted_event,) = comment.collect_events()
    assert isinstance(posted_event, Comment.Posted)
    assert posted_event.proposal_id == proposal_id
    assert posted_event.author_id == author_id
    assert posted_event.text == comment.text == "+1, we need this."


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_comment_is_refused(text: str) -> None:
    with pytest.raises(InvalidCommentError, match="cannot be empty"):
        Comment.post(uuid4(), uuid4(), text)


def test_a_comment_may_have_exactly_the_maximum_length() -> None:
    assert len(posted("c" * TEXT_MAX).text) == TEXT_MAX


def test_a_too_long_comment_is_refused() -> None:
    with pytest.raises(InvalidCommentError, match="at most 5,000 characters"):
        Comment.post(uuid4(), uuid4(), "c" * (TEXT_MAX + 1))


def test_the_author_can_edit_within_the_window() -> None:
    comment = posted()
    now = comment.created_on + timedelta(minutes=5)

    comment.edit(comment.author_id, "  Great idea, actually. ", now=now)

    (edited,) = comment.collect_events()
    assert isinstance(edited, Comment.Edited)
    assert edited.proposal_id == comment.proposal_id
    assert edited.editor_id == comment.author_id
    assert edited.text == comment.text == "Great idea, actually."


def test_the_window_is_fifteen_minutes_inclusive() -> None:
    comment = posted()
    assert comment.editable_until() == comment.created_on + timedelta(minutes=15)

    comment.edit(comment.author_id, "Last-second fix.", now=comment.created_on + EDIT_WINDOW)

    assert comment.text == "Last-second fix."


def test_editing_after_the_window_is_refused() -> None:
    comment = posted()
    too_late = comment.created_on + EDIT_WINDOW + timedelta(microseconds=1)

    with pytest.raises(CommentEditError, match="15 minutes"):
        comment.edit(comment.author_id, "Too late.", now=too_late)
    assert comment.collect_events() == []
    assert comment.text == "Good idea."


def test_only_the_author_can_edit() -> None:
    comment = posted()
    with pytest.raises(CommentEditError, match="Only the author"):
        comment.edit(uuid4(), "Hijacked.", now=comment.created_on)
    assert comment.collect_events() == []


@pytest.mark.parametrize("text", ["  ", "c" * (TEXT_MAX + 1)])
def test_an_edit_must_be_a_valid_comment(text: str) -> None:
    comment = posted()
    with pytest.raises(InvalidCommentError):
        comment.edit(comment.author_id, text, now=comment.created_on)
    assert comment.collect_events() == []


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    comment = posted("Same text.")

    comment.edit(comment.author_id, " Same text. ", now=comment.created_on)

    assert comment.collect_events() == []


def test_a_comment_with_control_characters_is_refused() -> None:
    with pytest.raises(InvalidCommentError, match="control characters"):
        Comment.post(uuid4(), uuid4(), "hello\x00world")
