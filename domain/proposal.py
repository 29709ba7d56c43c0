"""An idea (proposal) that staff submit, vote for and discuss."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.text import CONTROL_MESSAGE, has_control_characters

TITLE_MIN, TITLE_MAX = 8, 140
DESCRIPTION_MAX = 5_000


class Status(StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"
    ALREADY_POSSIBLE = "already_possible"
    MERGED = "merged"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def accepts_votes(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.OPEN, Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS})


class Proposal(Aggregate):
    class Submitted(Aggregate.Created):
        title: str
        description: str
        category_id: UUID
        author_id: UUID

    class StatusChanged(Aggregate.Event):
        status: str
        changed_by: UUID
        answer: str

    @event(Submitted)
    def __init__(
        self, title: str, description: str, category_id: UUID, author_id: UUID
    ) -> None:
        self.title = title
        self.description = description
        self.category_id = category_id
        self.author_id = author_id
        self.status = Status.OPEN.value

    @classmethod
    def submit(
        cls, title: str, description: str, category_id: UUID, author_id: UUID
    ) -> Proposal:
        title, description = title.strip(), description.strip()
        cls.check_submission(title, description)
        return cls(title, description, category_id, author_id)

    @staticmethod
    def check_submission(title: str, description: str) -> None:
        """Collect every problem at once, so a form can show them all."""
        problems = {}
        if not TITLE_MIN <= len(title) <= TITLE_MAX:
            problems["title"] = (
                f"A title needs {TITLE_MIN} to {TITLE_MAX} characters (it has {len(title)})."
            )
        for field, text in (("title", title), ("description", description)):
            if has_control_characters(text):
                problems[field] = CONTROL_MESSAGE
        if len(description) > DESCRIPTION_MAX:
            problems["description"] = (
                f"A description can have at most {DESCRIPTION_MAX:,} characters "
                f"(it has {len(description):,})."
            )
        if problems:
            raise InvalidProposalError(problems)

    def change_status(self, status: Status, changed_by: UUID, answer: str) -> None:
        if status is Status.MERGED:
            raise InvalidStatusChangeError("Merging is its own command, not a status change.")
        if has_control_characters(answer):
            raise InvalidStatusChangeError(CONTROL_MESSAGE)
        if status.value == self.status:
            raise InvalidStatusChangeError(f"The idea is already {status.label.lower()}.")
        self._change_status(status.value, changed_by, answer.strip())

    @event(StatusChanged)
    def _change_status(self, status: str, changed_by: UUID, answer: str) -> None:
        self.status = status

    def check_accepts_votes(self) -> None:
        status = Status(self.status)
        if not status.accepts_votes:
            raise ProposalClosedError(
                f"This idea is {status.label.lower()}: votes can no longer be changed."
            )


class InvalidProposalError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class InvalidStatusChangeError(ValueError):
    pass


class ProposalClosedError(Exception):
    pass
