"""A member: someone known to the site, their roles, and whether they may sign in.

The id is derived from (issuer, subject): "local" and a random account subject for
local accounts, an identity provider's issuer and `sub` for single sign-on. The
subject itself never enters the event log (only the id derived from it), and
neither does anything personal: names and e-mail addresses live in mutable tables.

Every change of role or standing is an event that says who made it.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

# Who acts when an operator runs a command on the server (e.g. creating the first admin).
COMMAND_LINE = UUID(int=0)


class Role(StrEnum):
    STAFF = "staff"  # submit, vote, comment; every member has it from registration
    OWNER = "owner"  # triage and answer for one category (granted per category)
    ADMIN = "admin"  # categories, roles, moderation, settings

    @property
    def label(self) -> str:
        return {"staff": "Staff", "owner": "Owner", "admin": "Admin"}[self.value]


def grant_key(role: Role, category_id: UUID | None) -> str:
    return f"{role.value}:{category_id}" if category_id else role.value


class Member(Aggregate):
    class Registered(Aggregate.Created):
        issuer: str

    class RoleGranted(Aggregate.Event):
        role: str
        category_id: UUID | None
        granted_by: UUID

    class RoleRevoked(Aggregate.Event):
        role: str
        category_id: UUID | None
        revoked_by: UUID

    class Disabled(Aggregate.Event):
        disabled_by: UUID

    class Enabled(Aggregate.Event):
        enabled_by: UUID

    class Forgotten(Aggregate.Event):
        forgotten_by: UUID

    @event(Registered)
    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.grants = [Role.STAFF.value]  # JSON-friendly: grant keys, see grant_key
        self.disabled = False
        self.forgotten = False

    @classmethod
    def register(cls, issuer: str, subject: str) -> Member:
        if not issuer or not subject:
            raise MemberError("A member needs an issuer and a subject.")
        return cls._create(cls.Registered, id=cls.id_for(issuer, subject), issuer=issuer)

    @staticmethod
    def id_for(issuer: str, subject: str) -> UUID:
        # The event store's unique key then makes registering the same person twice,
        # from two requests or two processes, end with one member.
        return uuid5(NAMESPACE_URL, f"/members/{len(issuer)}:{issuer}/{subject}")

    def has_role(self, role: Role, category_id: UUID | None = None) -> bool:
        return grant_key(role, category_id) in self.grants

    def grant(self, role: Role, category_id: UUID | None, granted_by: UUID) -> bool:
        """Grant a role; False (and no event) if the member already has it."""
        self._check_scope(role, category_id)
        self._check_not_forgotten()
        if self.has_role(role, category_id):
            return False
        self._grant(role.value, category_id, granted_by)
        return True

    def revoke(self, role: Role, category_id: UUID | None, revoked_by: UUID) -> bool:
        """Revoke a role; False (and no event) if the member does not have it."""
        self._check_scope(role, category_id)
        if not self.has_role(role, category_id):
            return False
        self._revoke(role.value, category_id, revoked_by)
        return True

    def disable(self, disabled_by: UUID) -> bool:
        self._check_not_forgotten()
        if self.disabled:
            return False
        self._disable(disabled_by)
        return True

    def enable(self, enabled_by: UUID) -> bool:
        self._check_not_forgotten()
        if not self.disabled:
            return False
        self._enable(enabled_by)
        return True

    def forget(self, forgotten_by: UUID) -> bool:
        if self.forgotten:
            return False
        self._forget(forgotten_by)
        return True

    @staticmethod
    def _check_scope(role: Role, category_id: UUID | None) -> None:
        if role is Role.OWNER and category_id is None:
            raise MemberError("An owner owns a category: choose which one.")
        if role is not Role.OWNER and category_id is not None:
            raise MemberError(f"The {role.label.lower()} role is not given per category.")

    def _check_not_forgotten(self) -> None:
        if self.forgotten:
            raise MemberError("This member has been forgotten.")

    @event(RoleGranted)
    def _grant(self, role: str, category_id: UUID | None, granted_by: UUID) -> None:
        self.grants.append(grant_key(Role(role), category_id))

    @event(RoleRevoked)
    def _revoke(self, role: str, category_id: UUID | None, revoked_by: UUID) -> None:
        self.grants.remove(grant_key(Role(role), category_id))

    @event(Disabled)
    def _disable(self, disabled_by: UUID) -> None:
        self.disabled = True

    @event(Enabled)
    def _enable(self, enabled_by: UUID) -> None:
        self.disabled = False

    @event(Forgotten)
    def _forget(self, forgotten_by: UUID) -> None:
        # A forgotten member keeps no role and cannot come back: their ideas stay,
        # shown as a former member's.
        self.forgotten = True
        self.disabled = True
        self.grants = []


class MemberError(ValueError):
    pass
