"""Reading events of one kind straight from the event log, for the models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from domain.proposal import Proposal

E = TypeVar("E")
PAGE = 10_000


def events_of(kind: type[E], app: Application[Any], after: int, head: int) -> Iterator[E]:
    """Every `kind` event at log positions after `after` up to `head`, in order."""
    topic = get_topic(kind)
    while after < head:
        page = app.recorder.select_notifications(
            start=after, limit=PAGE, stop=head, topics=[topic], inclusive_of_start=False
        )
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, kind)
            yield event
        after = page[-1].id if len(page) == PAGE else head


def submissions(app: Application[Any], after: int, head: int) -> Iterator[Proposal.Submitted]:
    """Every idea submitted at log positions after `after` up to `head`."""
    return events_of(Proposal.Submitted, app, after, head)
