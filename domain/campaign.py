"""A campaign: IT asks the community a question, with an optional deadline and poll.

Ideas are submitted under a campaign (they carry its id, see `Proposal.Submitted`)
and voted for as usual; a poll answer is its own aggregate, one per (campaign,
member), like a vote: many people answering never write to the same aggregate,
and "one answer per member" is a uniqueness guarantee of the event store.

A campaign takes ideas, votes and answers while it is open and its deadline has
not passed: commands check the deadline against the clock they are given, so a
late answer is refused even before the deadline job has recorded the close. The
close itself is an event, by an owner (with a note) or by the system at the
deadline (`closed_by` None).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.proposal import ProposalClosedError
from domain.text import CONTROL_MESSAGE, has_control_characters

QUESTION_MIN, QUESTION_MAX = 8, 200
DESCRIPTION_MAX = 5_000
OPTIONS_MIN, OPTIONS_MAX = 2, 10
OPTION_MAX = 120
NOTE_MAX = 1_000


class CloseReason(StrEnum):
    DEADLINE = "deadline"
    OWNER = "owner"


class Campaign(Aggregate):
    class Opened(Aggregate.Created):
        question: str
        description: str
        category_id: UUID  # the service it is about: its ideas go into this category
        deadline: datetime | None  # UTC; None: open until an owner closes it
        poll_question: str  # "" when there is no poll
        poll_options: list[str]
        opened_by: UUID

    class Closed(Aggregate.Event):
        why: str  # a CloseReason
        closed_by: UUID | None  # None: the system, at the deadline
        note: str

    @event(Opened)
    def __init__(self, question: str, description: str, category_id: UUID,
                 deadline: datetime | None, poll_question: str, poll_options: list[str],
                 opened_by: UUID) -> None:
        self.question, self.description = question, description
        self.category_id, self.deadline = category_id, deadline
        self.poll_question, self.poll_options = poll_question, list(poll_options)
        self.opened_by = opened_by
        self.closed = False

    @classmethod
    def open(cls, question: str, description: str, category_id: UUID,
             deadline: datetime | None, poll_question: str, poll_options: list[str],
             opened_by: UUID, now: datetime) -> Campaign:
        question, description = question.strip(), description.strip()
        poll_question = poll_question.strip()
        options = [option.strip() for option in poll_options if option.strip()]
        cls.check_opening(question, description, deadline, poll_question, options, now)
        return cls(question, description, category_id, deadline, poll_question, options,
                   opened_by)

    @staticmethod
    def check_opening(question: str, description: str, deadline: datetime | None,
                      poll_question: str, options: list[str], now: datetime) -> None:
        """Collect every problem at once, so a form can show them all."""
        problems = {}
        if not QUESTION_MIN <= len(question) <= QUESTION_MAX:
            problems["question"] = (f"A question needs {QUESTION_MIN} to {QUESTION_MAX} "
                                    f"characters (it has {len(question)}).")
        if len(description) > DESCRIPTION_MAX:
            problems["description"] = (f"A description can have at most {DESCRIPTION_MAX:,} "
                                       f"characters (it has {len(description):,}).")
        for field, text in (("question", question), ("description", description),
                            ("poll_question", poll_question), *(("poll_options", o)
                                                                for o in options)):
            if has_control_characters(text):
                problems[field] = CONTROL_MESSAGE
        if deadline is not None and deadline <= now:
            problems["deadline"] = "The deadline must be in the future."
        problems.update(_poll_problems(poll_question, options))
        if problems:
            raise InvalidCampaignError(problems)

    @property
    def has_poll(self) -> bool:
        return bool(self.poll_options)

    def is_open(self, now: datetime) -> bool:
        return not self.closed and (self.deadline is None or now < self.deadline)

    def check_open(self, now: datetime) -> None:
        """Ideas, votes on its ideas and poll answers are taken only while open."""
        if not self.is_open(now):
            raise CampaignClosedError(
                "This campaign is closed: it no longer takes ideas, votes or poll answers.")

    def check_option(self, option: int) -> None:
        if not self.has_poll:
            raise InvalidAnswerError("This campaign has no poll.")
        if not 0 <= option < len(self.poll_options):
            raise InvalidAnswerError("Choose one of the poll's options.")

    def close(self, closed_by: UUID, note: str) -> None:
        """An owner closes the campaign before its deadline (or one without any)."""
        if self.closed:
            raise CampaignClosedError("This campaign is already closed.")
        note = note.strip()
        if has_control_characters(note) or len(note) > NOTE_MAX:
            raise InvalidCampaignError({"note": f"Keep the note to {NOTE_MAX:,} characters "
                                                "of plain text."})
        self._close(CloseReason.OWNER.value, closed_by, note)

    def close_at_deadline(self, now: datetime) -> None:
        """The system closes the campaign once its deadline has passed."""
        if self.closed:
            raise CampaignClosedError("This campaign is already closed.")
        if self.deadline is None or now < self.deadline:
            raise CampaignDeadlineError("This campaign's deadline has not passed.")
        self._close(CloseReason.DEADLINE.value, None, "")

    @event(Closed)
    def _close(self, why: str, closed_by: UUID | None, note: str) -> None:
        self.closed = True


def _poll_problems(poll_question: str, options: list[str]) -> dict[str, str]:
    if not poll_question and not options:
        return {}  # no poll
    problems = {}
    if not poll_question or len(poll_question) > QUESTION_MAX:
        problems["poll_question"] = (f"A poll needs its question, at most {QUESTION_MAX} "
                                     "characters.")
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        problems["poll_options"] = (f"A poll needs {OPTIONS_MIN} to {OPTIONS_MAX} options, "
                                    "one per line.")
    elif any(len(option) > OPTION_MAX for option in options):
        problems["poll_options"] = f"Keep each option to {OPTION_MAX} characters."
    elif len({option.casefold() for option in options}) < len(options):
        problems["poll_options"] = "Each option must be different."
    return problems


class PollAnswer(Aggregate):
    """One member's answer to one campaign's poll. The member may change it while the
    campaign is open (as a vote can be withdrawn); only the latest answer counts."""

    class Given(Aggregate.Created):
        campaign_id: UUID
        member_id: UUID
        option: int

    class Changed(Aggregate.Event):
        campaign_id: UUID
        member_id: UUID
        option: int
        previous: int  # so read models move the count without a lookup

    @event(Given)
    def __init__(self, campaign_id: UUID, member_id: UUID, option: int) -> None:
        self.campaign_id, self.member_id, self.option = campaign_id, member_id, option

    @staticmethod
    def create_id(campaign_id: UUID, member_id: UUID, **_: Any) -> UUID:
        return PollAnswer.id_for(campaign_id, member_id)

    @staticmethod
    def id_for(campaign_id: UUID, member_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/campaigns/{campaign_id}/answers/{member_id}")

    def change(self, option: int) -> bool:
        """False when the answer is already this option (nothing to record)."""
        if option == self.option:
            return False
        self._change(self.campaign_id, self.member_id, option, self.option)
        return True

    @event(Changed)
    def _change(self, campaign_id: UUID, member_id: UUID, option: int, previous: int) -> None:
        self.option = option


class InvalidCampaignError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class CampaignClosedError(ProposalClosedError):
    """A ProposalClosedError too: a vote refused for it reads like any closed idea's."""


class CampaignDeadlineError(Exception):
    pass


class InvalidAnswerError(ValueError):
    pass
