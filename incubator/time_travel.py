"""Statuses as they were at a moment, read from the event log.

One idea: its own events, up to the moment (a replay of the aggregate's history,
done only for this view). The board: the status events of every idea, read with
the log's topic filter (status changes are few: about one per ten ideas in the
next to votes), skipping those after the moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from domain.proposal import Proposal, Status

STATUS_EVENTS = (Proposal.Submitted, Proposal.StatusChanged, Proposal.MergedInto,
                 Proposal.MergeUndone)
PAGE = 5_000


class StatusThen(NamedTuple):
    status: Status
    answer: str


def _fold(events: Iterable[Any], moment: datetime, into: dict[UUID, StatusThen]) -> None:
    """Apply the status events made at or before `moment` (read on past it: hosts'
    clocks differ a little, so log order is not exactly time order)."""
    for event in events:
        if event.timestamp > moment:
            continue
        if isinstance(event, Proposal.Submitted):
            into[event.originator_id] = StatusThen(Status.OPEN, "")
        elif isinstance(event, Proposal.StatusChanged):
            into[event.originator_id] = StatusThen(Status(event.status), event.answer)
        elif isinstance(event, Proposal.MergedInto):
            into[event.originator_id] = StatusThen(Status.MERGED, "")
        elif isinstance(event, Proposal.MergeUndone):
            into[event.originator_id] = StatusThen(Status(event.restored_status), "")


def idea_status_as_of(app: Application[Any], proposal_id: UUID,
                      moment: datetime) -> StatusThen | None:
    """None if the idea did not exist yet."""
    found: dict[UUID, StatusThen] = {}
    _fold(app.repository.event_store.get(proposal_id), _aware(moment), found)
    return found.get(proposal_id)


def statuses_as_of(app: Application[Any], moment: datetime) -> dict[UUID, StatusThen]:
    topics = [get_topic(kind) for kind in STATUS_EVENTS]
    found: dict[UUID, StatusThen] = {}
    after, moment = 0, _aware(moment)
    while True:
        page = app.recorder.select_notifications(
            start=after, limit=PAGE, topics=topics, inclusive_of_start=False)
        events = (app.mapper.to_domain_event(n) for n in page)
        _fold(events, moment, found)
        if len(page) < PAGE:
            return found
        after = page[-1].id


def _aware(moment: datetime) -> datetime:
    """The read model's times are naive UTC; events carry aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
