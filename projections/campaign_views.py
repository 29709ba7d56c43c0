"""What the campaign queries answer with: frozen dataclasses, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class PollOption:
    position: int
    label: str
    answers: int


@dataclass(frozen=True)
class CampaignSummary:
    """A row of the campaign list, and the head of a campaign's page."""

    id: UUID
    question: str
    category_id: UUID
    category_name: str
    deadline: datetime | None  # naive UTC
    status: str  # open | closed (as recorded: see `is_open`)
    opened_at: datetime
    closed_at: datetime | None
    ideas: int
    answers: int

    def is_open(self, now: datetime) -> bool:
        """Open as recorded and before the deadline: a passed deadline counts as closed
        even in the moment before the deadline job records it."""
        return self.status == "open" and (self.deadline is None or now < self.deadline)


@dataclass(frozen=True)
class CampaignView(CampaignSummary):
    description: str = ""
    poll_question: str = ""
    options: tuple[PollOption, ...] = ()
    opened_by_name: str = ""
    closed_why: str = ""  # deadline | owner
    closed_by_name: str = ""
    close_note: str = ""

    @property
    def has_poll(self) -> bool:
        return bool(self.options)

    @property
    def leading(self) -> tuple[PollOption, ...]:
        """The options with the most answers (several on a tie; none without answers)."""
        top = max((option.answers for option in self.options), default=0)
        return tuple(option for option in self.options if top and option.answers == top)


@dataclass(frozen=True)
class CampaignTheme:
    """A theme that ideas of the campaign fall into, and how many of them."""

    id: UUID
    label: str
    ideas: int
