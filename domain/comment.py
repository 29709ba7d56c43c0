"""A comment in an idea's thread; its author may correct it for a short while."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.text import CONTROL_MESSAGE, has_control_characters

TEXT_MAX = 5_000
EDIT_WINDOW = timedelta(minutes=15)


class Comment(Aggregate):
    class Posted(Aggregate.Created):
        proposal_id: UUID
        author_id: UUID
        text: str

    class Edited(Aggregate.Event):
        proposal_id: UUID
        editor_id: UUID
        text: str

    @event(Posted)
    def __init__(self, proposal_id: UUID, author_id: UUID, text: str) -> None:
        self.proposal_id = proposal_id
        self.author_id = author_id
        self.text = text

    @classmethod
    def post(cls, proposal_id: UUID, author_id: UUID, text: str) -> Comment:
        text = text.strip()
        cls.check_text(text)
        return cls(proposal_id, author_id, text)

    def edit(self, editor_id: UUID, text: str, now: datetime) -> None:
        text = text.strip()
        self.check_editable_by(editor_id, now)
        self.check_text(text)
        if text != self.text:
            self._edit(self.proposal_id, editor_id, text)

    @event(Edited)
    def _edit(self, proposal_id: UUID, editor_id: UUID, text: str) -> None:
        self.text = text

    def editable_until(self) -> datetime:
        return self.created_on + EDIT_WINDOW

    def check_editable_by(self, editor_id: UUID, now: datetime) -> None:
        if editor_id != self.author_id:
            raise CommentEditError("Only the author can edit a comment.")
        if now > self.editable_until():
            minutes = int(EDIT_WINDOW.total_seconds() // 60)
            raise CommentEditError(f"Comments can be edited for {minutes} minutes only.")

    @staticmethod
    def check_text(text: str) -> None:
        if not text:
            raise InvalidCommentError("A comment cannot be empty.")
        if has_control_characters(text):
            raise InvalidCommentError(CONTROL_MESSAGE)
        if len(text) > TEXT_MAX:
            raise InvalidCommentError(
                f"A comment can have at most {TEXT_MAX:,} characters (it has {len(text):,})."
            )


class InvalidCommentError(ValueError):
    pass


class CommentEditError(Exception):
    pass
