"""CampaignProjection: campaigns, their poll counts and the ideas submitted under them.

Campaign events are rare and poll answers one per member, so each is written with
its own statements, like the outcomes' (projections/outcomes.py), in the runner's
transaction. Only ideas submitted under a campaign cost a row here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatchmethod
from typing import Any

from sqlalchemy import Connection, Engine, insert, update

from domain.campaign import Campaign, PollAnswer
from domain.proposal import Proposal
from projections.board import utc_naive
from projections.dispatch import Handlers
from projections.tables import (
    CAMPAIGN_TABLES,
    campaign_ideas,
    campaign_options,
    campaigns,
    poll_answers,
)


class CampaignProjection:
    name = "campaigns"
    version = 1  # bump when a handler's logic changes: the next start rebuilds
    tables = CAMPAIGN_TABLES

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        for handler, event, _position in _handlers.applicable(events):  # dispatch.py
            handler(self, event, conn)

    def caught_up(self, engine: Engine) -> None:
        """Nothing: the board's `caught_up` remakes every projected table's indexes."""

    @singledispatchmethod
    def process_event(self, event: Any, conn: Connection) -> None:
        """Events that don't concern campaigns are skipped."""

    @process_event.register
    def _(self, event: Campaign.Opened, conn: Connection) -> None:
        conn.execute(insert(campaigns).values(
            id=event.originator_id, question=event.question, description=event.description,
            category_id=event.category_id,
            deadline=None if event.deadline is None else utc_naive(event.deadline),
            poll_question=event.poll_question, status="open", opened_by=event.opened_by,
            opened_at=utc_naive(event.timestamp), closed_at=None, closed_by=None,
            closed_why="", close_note="", answers=0))
        options = [{"campaign_id": event.originator_id, "position": n, "label": label,
                    "answers": 0} for n, label in enumerate(event.poll_options)]
        if options:
            conn.execute(insert(campaign_options), options)

    @process_event.register
    def _(self, event: Campaign.Closed, conn: Connection) -> None:
        conn.execute(update(campaigns).where(campaigns.c.id == event.originator_id).values(
            status="closed", closed_at=utc_naive(event.timestamp), closed_by=event.closed_by,
            closed_why=event.why, close_note=event.note))

    @process_event.register
    def _(self, event: PollAnswer.Given, conn: Connection) -> None:
        conn.execute(insert(poll_answers).values(
            id=event.originator_id, campaign_id=event.campaign_id, member_id=event.member_id,
            option=event.option, answered_at=utc_naive(event.timestamp)))
        _count(conn, event.campaign_id, event.option, +1)
        conn.execute(update(campaigns).where(campaigns.c.id == event.campaign_id)
                     .values(answers=campaigns.c.answers + 1))

    @process_event.register
    def _(self, event: PollAnswer.Changed, conn: Connection) -> None:
        conn.execute(update(poll_answers).where(poll_answers.c.id == event.originator_id)
                     .values(option=event.option, answered_at=utc_naive(event.timestamp)))
        _count(conn, event.campaign_id, event.previous, -1)
        _count(conn, event.campaign_id, event.option, +1)

    @process_event.register
    def _(self, event: Proposal.Submitted, conn: Connection) -> None:
        if event.campaign_id is not None:
            conn.execute(insert(campaign_ideas).values(
                proposal_id=event.originator_id, campaign_id=event.campaign_id))


def _count(conn: Connection, campaign_id: Any, option: int, delta: int) -> None:
    conn.execute(update(campaign_options).where(
        campaign_options.c.campaign_id == campaign_id, campaign_options.c.position == option,
    ).values(answers=campaign_options.c.answers + delta))


_handlers = Handlers(CampaignProjection)
