"""One member following (or choosing not to follow) one thing: an idea, a campaign...

Like a vote, a follow is its own aggregate whose id is derived from (target, member),
so two clicks, two tabs or two processes end with one follow. The target is generic
(`target_kind` + `target_id`): ideas today, campaigns or anything else later; the
application checks that the target exists (`Incubator.followable`).

Submitting, voting and commenting follow an idea without an event (the notification
projection derives it); only a member's own choice is recorded here, and an explicit
"unfollow" wins over those automatic follows later on.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

KIND_PATTERN = re.compile(r"[a-z][a-z_]{0,19}")


class Follow(Aggregate):
    class Chosen(Aggregate.Created):
        target_kind: str
        target_id: UUID
        member_id: UUID
        following: bool

    class Changed(Aggregate.Event):
        target_kind: str
        target_id: UUID
        member_id: UUID
        following: bool

    @event(Chosen)
    def __init__(self, target_kind: str, target_id: UUID, member_id: UUID,
                 following: bool) -> None:
        self.target_kind, self.target_id, self.member_id = target_kind, target_id, member_id
        self.following = following

    @classmethod
    def choose(cls, target_kind: str, target_id: UUID, member_id: UUID,
               following: bool) -> Follow:
        check_kind(target_kind)
        return cls(target_kind, target_id, member_id, following)

    @staticmethod
    def id_for(target_kind: str, target_id: UUID, member_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/follows/{target_kind}/{target_id}/{member_id}")

    @staticmethod
    def create_id(target_kind: str, target_id: UUID, member_id: UUID, **_: Any) -> UUID:
        return Follow.id_for(target_kind, target_id, member_id)

    def change(self, following: bool) -> bool:
        """False when it already is so (nothing to record)."""
        if following == self.following:
            return False
        self._change(self.target_kind, self.target_id, self.member_id, following)
        return True

    @event(Changed)
    def _change(self, target_kind: str, target_id: UUID, member_id: UUID,
                following: bool) -> None:
        self.following = following


def check_kind(target_kind: str) -> None:
    if not KIND_PATTERN.fullmatch(target_kind):
        raise FollowError(f"{target_kind[:40]!r} is not something one can follow.")


class FollowError(ValueError):
    pass
