"""A campaign's life, for tests that need every campaign table to have rows."""

from __future__ import annotations

from uuid import UUID, uuid4

from incubator.bootstrap import Services


def campaign_history(services: Services, category_id: UUID, owner: UUID) -> UUID:
    """Opened with a poll, answered (one answer changed), two ideas under it, a vote,
    closed by its owner."""
    app = services.app
    campaign = app.open_campaign("Which service desk hours would work for you?",
                                 "We are thinking of changing them.", category_id, None,
                                 "Which hours?", ["7:00-19:00", "8:00-18:00"], owner).id
    ann, bob = uuid4(), uuid4()
    app.answer_poll(campaign, ann, 0)
    app.answer_poll(campaign, bob, 0)
    app.answer_poll(campaign, bob, 1)
    idea = app.submit_proposal("Open the desk at 7:30", "", None, ann, campaign).id
    app.submit_proposal("Longer hours on Fridays", "", None, bob, campaign)
    app.cast_vote(idea, bob)
    app.close_campaign(campaign, owner, "We have what we need.")
    return campaign
