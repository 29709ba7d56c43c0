"""What the member queries answer with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.member import Role
from projections.views import MemberView


@dataclass(frozen=True)
class Grant:
    role: Role
    category_id: UUID | None = None
    category_name: str = ""


@dataclass(frozen=True)
class SignedInMember(MemberView):
    """The member behind a request's session: who they are and what they may do."""

    roles: frozenset[Role] = frozenset()
    owned_categories: frozenset[UUID] = frozenset()
    session_started_at: datetime | None = None
    session_seen_at: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def owns(self, category_id: UUID) -> bool:
        return self.is_admin or category_id in self.owned_categories


@dataclass(frozen=True)
class MemberSummary:
    """A row of the admins' member list."""

    id: UUID
    display_name: str
    email: str | None
    issuer: str
    status: str
    registered_at: datetime
    grants: tuple[Grant, ...] = field(default=())

    def has(self, role: Role) -> bool:
        return any(grant.role is role for grant in self.grants)


@dataclass(frozen=True)
class MemberPage:
    members: tuple[MemberSummary, ...]
    page: int
    pages: int
    total: int
