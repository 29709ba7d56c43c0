"""Ideas stored before campaigns existed still load, project and take votes."""

from __future__ import annotations

import json
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.proposal import Proposal
from incubator.bootstrap import Services
from projections import campaign_queries
from tests.helpers import category, settle


def test_an_idea_stored_before_campaigns_loads_without_a_campaign(services: Services) -> None:
    """Written exactly as version 1 of `Proposal.Submitted` was: no `campaign_id`, no
    `class_version` in its state."""
    app, desk = services.app, category(services)
    idea, author = uuid4(), uuid4()
    state = {"title": "Open the desk at 7:30", "description": "", "category_id":
             {"_type_": "uuid_hex", "_data_": desk.hex}, "author_id":
             {"_type_": "uuid_hex", "_data_": author.hex},
             "timestamp": {"_type_": "datetime_iso", "_data_": "2025-01-06T09:00:00+00:00"},
             "originator_topic": get_topic(Proposal)}
    app.recorder.insert_events([StoredEvent(
        originator_id=idea, originator_version=1, topic=get_topic(Proposal.Submitted),
        state=json.dumps(state).encode())])

    loaded = app.get_proposal(idea)
    assert (loaded.title, loaded.category_id, loaded.campaign_id) == (
        "Open the desk at 7:30", desk, None)
    app.cast_vote(idea, uuid4())  # no campaign to ask
    settle(services)
    card = services.read_model.proposal(idea)
    assert card is not None and card.votes == 1
    assert campaign_queries.campaign_of_idea(services.read_model.engine, idea) is None
