"""One member's vote for one idea.

A vote is its own aggregate, not a counter on the idea: many people voting on one
popular idea then never write to the same aggregate, so they never contend. The id
is derived from (idea, member), which makes "one vote per person per idea" a
uniqueness guarantee of the event store, whatever the timing or the process.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Vote(Aggregate):
    # The idea and member travel with every event so read models need no lookups.
    class Cast(Aggregate.Created):
        proposal_id: UUID
        member_id: UUID

    class Withdrawn(Aggregate.Event):
        proposal_id: UUID
        member_id: UUID

    class Recast(Aggregate.Event):
        proposal_id: UUID
        member_id: UUID

    @event(Cast)
    def __init__(self, proposal_id: UUID, member_id: UUID) -> None:
        self.proposal_id = proposal_id
        self.member_id = member_id
        self.is_active = True

    @staticmethod
    def create_id(proposal_id: UUID, member_id: UUID, **_: Any) -> UUID:
        return Vote.id_for(proposal_id, member_id)

    @staticmethod
    def id_for(proposal_id: UUID, member_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/ideas/{proposal_id}/votes/{member_id}")

    def withdraw(self) -> None:
        if not self.is_active:
            raise VoteStateError("There is no vote to withdraw.")
        self._withdraw(self.proposal_id, self.member_id)

    def recast(self) -> None:
        if self.is_active:
            raise VoteStateError("The vote is already cast.")
        self._recast(self.proposal_id, self.member_id)

    @event(Withdrawn)
    def _withdraw(self, proposal_id: UUID, member_id: UUID) -> None:
        self.is_active = False

    @event(Recast)
    def _recast(self, proposal_id: UUID, member_id: UUID) -> None:
        self.is_active = True


class VoteStateError(Exception):
    pass
