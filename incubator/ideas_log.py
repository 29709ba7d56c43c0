"""Reading submitted ideas straight from the event log, for the models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from domain.proposal import Proposal

SUBMITTED = get_topic(Proposal.Submitted)
PAGE = 10_000


def submissions(app: Application[Any], after: int, head: int) -> Iterator[Proposal.Submitted]:
    """Every idea submitted at log positions after `after` up to `head`."""
    while after < head:
        page = app.recorder.select_notifications(
            start=after, limit=PAGE, stop=head, topics=[SUBMITTED], inclusive_of_start=False
        )
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, Proposal.Submitted)
            yield event
        after = page[-1].id if len(page) == PAGE else head
