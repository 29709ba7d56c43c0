"""What the outcome queries answer with: frozen dataclasses, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True)
class YouSaid:
    """What people said about an idea or a theme, counted from the read model: the
    snapshot an outcome's draft starts from."""

    subject_title: str
    people: int  # distinct authors, voters and commenters
    ideas: int
    votes: int
    comments: int
    categories: tuple[str, ...]
    category_ids: tuple[UUID, ...]
    quotes: tuple[str, ...]
    proposal_ids: tuple[UUID, ...]
    first_asked_at: datetime

    def facts(self) -> dict[str, object]:
        """JSON-friendly, for the Drafted event."""
        return {
            "people": self.people, "ideas": self.ideas, "votes": self.votes,
            "comments": self.comments, "categories": list(self.categories),
            "category_ids": [str(c) for c in self.category_ids], "quotes": list(self.quotes),
            "proposal_ids": [str(p) for p in self.proposal_ids],
            "first_asked_at": self.first_asked_at.isoformat(),
        }


@dataclass(frozen=True)
class CorrectionView:
    at: datetime
    by_name: str
    note: str
    previous_we_did: str


@dataclass(frozen=True)
class OutcomeView:
    id: UUID
    subject_kind: str
    subject_id: UUID
    stage: str
    title: str
    you_said: str
    we_did: str
    done_on: date | None
    links: tuple[str, ...]
    people: int
    ideas: int
    votes: int
    comments: int
    categories: str
    quotes: tuple[str, ...]
    asked_at: datetime
    published_at: datetime | None
    updated_at: datetime
    original_title: str
    original_we_did: str
    original_done_on: date | None
    corrections_made: int = 0
    category_ids: tuple[UUID, ...] = ()
    corrections: tuple[CorrectionView, ...] = ()

    @property
    def days_to_done(self) -> int | None:
        """From the first suggestion to the outcome's date."""
        if self.done_on is None:
            return None
        return max(0, (self.done_on - self.asked_at.date()).days)

    @property
    def corrected(self) -> bool:
        return self.corrections_made > 0


@dataclass(frozen=True)
class OutcomePage:
    outcomes: tuple[OutcomeView, ...]
    page: int
    pages: int
    total: int
    people: int  # heard, summed over every matching outcome
