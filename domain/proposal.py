"""An idea (proposal) that staff submit, vote for and discuss."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.decision import InvalidDecisionError, check_reason
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
DECIDED_STATUSES = frozenset({Status.DONE, Status.DECLINED, Status.ALREADY_POSSIBLE})
ANSWER_MAX = 2_000
#: "Already possible" must say how (where to find it, what to do), not just "it is".
ALREADY_POSSIBLE_MIN = 20


def allowed_transitions(current: Status) -> frozenset[Status]:
    """Where an owner may move an idea from `current` with `change_status`.

    - Forward along open -> under review -> planned -> in progress -> done, skipping
      steps (a quick fix goes straight from open to done).
    - Any open status -> declined or already possible.
    - Back among the open statuses when plans change (in progress -> planned,
      planned -> under review), but never back to "open": that means "nobody has
      looked yet", which stops being true once IT has answered.
    - A decided idea (done, declined, already possible) is only reopened, to open or
      under review, and changed from there: one decision is never silently swapped
      for another (done -> declined) without a public reopening in between.
    - "Merged" is entered and left only by merging and undoing the merge.
    Every move carries a public answer (see `change_status`).
    """
    if current is Status.MERGED:
        return frozenset()
    if current in DECIDED_STATUSES:
        return frozenset({Status.OPEN, Status.UNDER_REVIEW})
    reachable = (OPEN_STATUSES | DECIDED_STATUSES) - {Status.OPEN}
    return frozenset(reachable - {current})


class Proposal(Aggregate):
    class Submitted(Aggregate.Created):
        """Version 2 adds `campaign_id` (None: not under a campaign); version 1
        events, stored before campaigns existed, load with None."""

        title: str
        description: str
        category_id: UUID
        author_id: UUID
        campaign_id: UUID | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["campaign_id"] = None

    class StatusChanged(Aggregate.Event):
        status: str
        changed_by: UUID
        answer: str

    class MergedInto(Aggregate.Event):
        """On the duplicate: its votes and comments now count on `canonical_id`."""

        canonical_id: UUID
        merged_by: UUID
        reason: str
        previous_status: str

    class DuplicateMerged(Aggregate.Event):
        """On the canonical idea, in the same transaction as `MergedInto`."""

        duplicate_id: UUID
        merged_by: UUID
        reason: str

    class MergeUndone(Aggregate.Event):
        canonical_id: UUID
        undone_by: UUID
        reason: str
        restored_status: str

    class DuplicateUnmerged(Aggregate.Event):
        duplicate_id: UUID
        undone_by: UUID
        reason: str

    @event(Submitted)
    def __init__(
        self, title: str, description: str, category_id: UUID, author_id: UUID,
        campaign_id: UUID | None = None,
    ) -> None:
        self.title = title
        self.description = description
        self.category_id = category_id
        self.author_id = author_id
        self.campaign_id = campaign_id
        self.status = Status.OPEN.value
        self.merged_into: UUID | None = None
        self.status_before_merge = Status.OPEN.value
        self.duplicates: list[UUID] = []

    @classmethod
    def submit(
        cls, title: str, description: str, category_id: UUID, author_id: UUID,
        campaign_id: UUID | None = None,
    ) -> Proposal:
        title, description = title.strip(), description.strip()
        cls.check_submission(title, description)
        return cls(title, description, category_id, author_id, campaign_id)

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
        """Move the idea with a public answer (required; "already possible" explains how).
        The allowed moves are `allowed_transitions`."""
        current = Status(self.status)
        if status is Status.MERGED:
            raise InvalidStatusChangeError("Merging is its own command, not a status change.")
        if current is Status.MERGED:
            raise InvalidStatusChangeError("This idea is merged: undo the merge first.")
        if status is current:
            raise InvalidStatusChangeError(f"The idea is already {status.label.lower()}.")
        if status not in allowed_transitions(current):
            raise InvalidStatusChangeError(
                f"An idea that is {current.label.lower()} can't become {status.label.lower()}"
                + (": reopen it first." if current in DECIDED_STATUSES else "."))
        answer = self.check_answer(status, answer)
        self._change_status(status.value, changed_by, answer)

    @staticmethod
    def check_answer(status: Status, answer: str) -> str:
        minimum = ALREADY_POSSIBLE_MIN if status is Status.ALREADY_POSSIBLE else 1
        what = ("An answer saying how it is already possible"
                if status is Status.ALREADY_POSSIBLE else "A public answer")
        try:
            return check_reason(answer, what, minimum, ANSWER_MAX)
        except InvalidDecisionError as invalid:
            raise InvalidStatusChangeError(str(invalid)) from None

    @event(StatusChanged)
    def _change_status(self, status: str, changed_by: UUID, answer: str) -> None:
        self.status = status

    def check_accepts_votes(self) -> None:
        status = Status(self.status)
        if status is Status.MERGED:
            raise ProposalClosedError(
                "This idea is merged into another one: its votes count there, vote there.")
        if not status.accepts_votes:
            raise ProposalClosedError(
                f"This idea is {status.label.lower()}: votes can no longer be changed.")

    def check_accepts_comments(self) -> None:
        if self.status == Status.MERGED.value:
            raise ProposalClosedError(
                "This idea is merged into another one: its discussion continues there.")

    # Merging duplicates. Both ideas record the merge (saved in one transaction), so
    # each knows its side: the duplicate refuses votes and points to its canonical
    # idea; the canonical idea knows its duplicates, to withdraw a member's vote on
    # all of them at once. Votes themselves are never rewritten: the read model
    # counts a vote on a duplicate for the idea it is merged into (projections/merges.py).

    def merge_into(self, canonical: Proposal, merged_by: UUID, reason: str) -> None:
        if canonical.id == self.id:
            raise MergeError("An idea can't be merged into itself.")
        if self.status == Status.MERGED.value:
            raise MergeError("This idea is already merged into another one.")
        if canonical.status == Status.MERGED.value:
            raise MergeError(
                "That idea is itself merged into another one: merge into that one instead.")
        reason = _decision_text(reason, "A reason for the merge", MergeError)
        self._merge_into(canonical.id, merged_by, reason, self.status)
        canonical._absorb(self.id, merged_by, reason)

    def undo_merge(self, canonical: Proposal, undone_by: UUID, reason: str) -> None:
        if self.merged_into != canonical.id or self.id not in canonical.duplicates:
            raise MergeError("This idea is not merged into that one.")
        reason = _decision_text(reason, "A reason for undoing the merge", MergeError)
        self._undo_merge(canonical.id, undone_by, reason, self.status_before_merge)
        canonical._release(self.id, undone_by, reason)

    @event(MergedInto)
    def _merge_into(self, canonical_id: UUID, merged_by: UUID, reason: str,
                    previous_status: str) -> None:
        self.merged_into = canonical_id
        self.status_before_merge = previous_status
        self.status = Status.MERGED.value

    @event(DuplicateMerged)
    def _absorb(self, duplicate_id: UUID, merged_by: UUID, reason: str) -> None:
        self.duplicates = [*self.duplicates, duplicate_id]

    @event(MergeUndone)
    def _undo_merge(self, canonical_id: UUID, undone_by: UUID, reason: str,
                    restored_status: str) -> None:
        self.merged_into = None
        self.status = restored_status

    @event(DuplicateUnmerged)
    def _release(self, duplicate_id: UUID, undone_by: UUID, reason: str) -> None:
        self.duplicates = [d for d in self.duplicates if d != duplicate_id]


def _decision_text(text: str, what: str, error: type[Exception]) -> str:
    try:
        return check_reason(text, what)
    except InvalidDecisionError as invalid:
        raise error(str(invalid)) from None


class InvalidProposalError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class InvalidStatusChangeError(ValueError):
    pass


class ProposalClosedError(Exception):
    pass


class MergeError(ValueError):
    pass
