"""What the read model answers with: frozen dataclasses, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.proposal import Status


@dataclass(frozen=True)
class CategoryView:
    id: UUID
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class MemberView:
    id: UUID
    display_name: str


@dataclass(frozen=True)
class VoteTally:
    """What the vote widget shows: the hot path reads only this."""

    id: UUID
    title: str
    status: Status
    votes: int


@dataclass(frozen=True)
class ProposalCard:
    id: UUID
    title: str
    category_slug: str
    category_name: str
    status: Status
    votes: int
    comments: int
    created_at: datetime
    author_name: str


@dataclass(frozen=True)
class ProposalDetail(ProposalCard):
    description: str
    status_answer: str
    author_id: UUID
    category_id: UUID


@dataclass(frozen=True)
class BoardPage:
    cards: tuple[ProposalCard, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class CommentView:
    id: UUID
    proposal_id: UUID
    author_id: UUID
    author_name: str
    text: str
    posted_at: datetime
    edited_at: datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    position: int
    kind: str
    actor_name: str
    at: datetime
    detail: str


@dataclass(frozen=True)
class ThemeView:
    """A suggested theme as the inbox ranks it: by people, then votes."""

    id: UUID
    label: str
    terms: str
    ideas: int
    people: int
    votes: int
    categories: tuple[str, ...]
    quotes: tuple[str, ...]
    confirmed: bool = False  # by an owner: its name and ideas outlive re-runs
    new_7d: int = 0  # ideas and votes that arrived in the last 7 days
    new_30d: int = 0  # ... and 30 days
    waiting_since: datetime | None = None  # its oldest idea still open (no answer yet)
    # Comments in the theme that propose something, quoted with a link to their idea.
    comment_quotes: tuple[CommentQuote, ...] = ()


@dataclass(frozen=True)
class CommentQuote:
    comment_id: UUID
    proposal_id: UUID
    text: str


# ---- Triage: owners' and admins' decisions ----


@dataclass(frozen=True)
class MergeView:
    """One idea merged into another: who, when, why."""

    duplicate_id: UUID
    duplicate_title: str
    canonical_id: UUID
    canonical_title: str
    merged_by_name: str
    merged_at: datetime
    reason: str


@dataclass(frozen=True)
class ReportView:
    reporter_id: UUID
    reporter_name: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class ModerationCase:
    """A reported or hidden idea or comment, with what the admins need to decide."""

    target_id: UUID
    kind: str  # "idea" or "comment"
    proposal_id: UUID
    proposal_title: str
    text: str
    author_id: UUID
    author_name: str
    hidden: bool
    open_reports: tuple[ReportView, ...]
    decided_by_name: str | None
    decided_at: datetime | None
    reason: str
