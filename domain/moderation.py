"""Moderation of one idea or comment: staff reports, then an admin's decision.

One `Moderation` aggregate per reported or hidden item, its id derived from the
item's id: the first report of an item creates it (two first reports at once
collide on the event store's unique key, and the loser is retried onto the
existing case). The item's own aggregate is never touched, so moderating never
contends with votes, comments or status changes.

Every event carries the item, its idea and its author, so read models and the
future notifier need no lookups: the author is told by a notifier that follows
`Moderation.Hidden` / `Moderation.Restored` in the event log and writes to
`author_id` (notifications don't exist yet; the event is all they will need).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.decision import InvalidDecisionError, check_reason

REASON_MAX = 1_000


class ContentKind(StrEnum):
    IDEA = "idea"
    COMMENT = "comment"


class Moderation(Aggregate):
    class Opened(Aggregate.Created):
        target_id: UUID
        kind: str
        proposal_id: UUID
        author_id: UUID

    class Reported(Aggregate.Event):
        target_id: UUID
        proposal_id: UUID
        author_id: UUID
        reporter_id: UUID
        reason: str

    class Hidden(Aggregate.Event):
        target_id: UUID
        proposal_id: UUID
        author_id: UUID
        decided_by: UUID
        reason: str

    class Restored(Aggregate.Event):
        target_id: UUID
        proposal_id: UUID
        author_id: UUID
        decided_by: UUID
        reason: str

    class Dismissed(Aggregate.Event):
        """The open reports were looked at and the item stays visible."""

        target_id: UUID
        proposal_id: UUID
        author_id: UUID
        decided_by: UUID
        reason: str

    @event(Opened)
    def __init__(self, target_id: UUID, kind: str, proposal_id: UUID, author_id: UUID) -> None:
        self.target_id = target_id
        self.kind = kind
        self.proposal_id = proposal_id
        self.author_id = author_id
        self.hidden = False
        self.open_reporters: list[UUID] = []

    @staticmethod
    def create_id(target_id: UUID, **_: Any) -> UUID:
        return Moderation.id_for(target_id)

    @staticmethod
    def id_for(target_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/moderation/{target_id}")

    def report(self, reporter_id: UUID, reason: str) -> None:
        if reporter_id in self.open_reporters:
            raise ModerationError("You have already reported this; an admin will look at it.")
        if self.hidden:
            raise ModerationError("This is already hidden.")
        reason = _reason(reason, "A reason for the report")
        self._report(**self._subject, reporter_id=reporter_id, reason=reason)

    def hide(self, decided_by: UUID, reason: str) -> None:
        if self.hidden:
            raise ModerationError("This is already hidden.")
        reason = _reason(reason, "A reason for hiding it")
        self._hide(**self._subject, decided_by=decided_by, reason=reason)

    def restore(self, decided_by: UUID, reason: str) -> None:
        if not self.hidden:
            raise ModerationError("This is not hidden.")
        reason = _reason(reason, "A reason for restoring it")
        self._restore(**self._subject, decided_by=decided_by, reason=reason)

    def dismiss(self, decided_by: UUID, reason: str) -> None:
        if self.hidden or not self.open_reporters:
            raise ModerationError("There are no open reports to dismiss.")
        reason = _reason(reason, "A reason for dismissing the reports")
        self._dismiss(**self._subject, decided_by=decided_by, reason=reason)

    @property
    def _subject(self) -> dict[str, UUID]:
        return {"target_id": self.target_id, "proposal_id": self.proposal_id,
                "author_id": self.author_id}

    @event(Reported)
    def _report(self, target_id: UUID, proposal_id: UUID, author_id: UUID,
                reporter_id: UUID, reason: str) -> None:
        self.open_reporters = [*self.open_reporters, reporter_id]

    @event(Hidden)
    def _hide(self, target_id: UUID, proposal_id: UUID, author_id: UUID,
                decided_by: UUID, reason: str) -> None:
        self.hidden, self.open_reporters = True, []

    @event(Restored)
    def _restore(self, target_id: UUID, proposal_id: UUID, author_id: UUID,
                decided_by: UUID, reason: str) -> None:
        self.hidden = False

    @event(Dismissed)
    def _dismiss(self, target_id: UUID, proposal_id: UUID, author_id: UUID,
                decided_by: UUID, reason: str) -> None:
        self.open_reporters = []


def _reason(text: str, what: str) -> str:
    try:
        return check_reason(text, what, maximum=REASON_MAX)
    except InvalidDecisionError as invalid:
        raise ModerationError(str(invalid)) from None


class ModerationError(ValueError):
    pass
