"""Campaign and poll-answer rules, checked on the aggregates alone: no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.campaign import (
    Campaign,
    CampaignClosedError,
    CampaignDeadlineError,
    InvalidAnswerError,
    InvalidCampaignError,
    PollAnswer,
)
from domain.proposal import Proposal, ProposalClosedError

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOURS = ["7:00-19:00", "8:00-18:00", " 9:00-17:00 ", ""]


def opened(deadline: datetime | None = NOW + timedelta(days=7)) -> Campaign:
    campaign = Campaign.open("  Which service desk hours would work for you? ", "We ask.",
                             uuid4(), deadline, "Which hours?", HOURS, uuid4(), NOW)
    campaign.collect_events()
    return campaign


def test_opening_records_the_question_deadline_and_the_poll_stripped() -> None:
    category, owner = uuid4(), uuid4()
    campaign = Campaign.open(" Which hours? Tell us ", "", category, None, " Hours? ",
                             HOURS, owner, NOW)
    (opened_event,) = campaign.collect_events()
    assert isinstance(opened_event, Campaign.Opened)
    assert opened_event.question == "Which hours? Tell us"
    assert opened_event.poll_options == ["7:00-19:00", "8:00-18:00", "9:00-17:00"]
    assert (opened_event.category_id, opened_event.opened_by) == (category, owner)
    assert campaign.is_open(NOW + timedelta(days=999))  # no deadline: open until closed


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidCampaignError) as refused:
        Campaign.open("Short", "", uuid4(), NOW - timedelta(minutes=1), "", ["Only one"],
                      uuid4(), NOW)
    assert set(refused.value.problems) == {"question", "deadline", "poll_question",
                                           "poll_options"}


def test_a_poll_needs_different_options() -> None:
    with pytest.raises(InvalidCampaignError, match="different"):
        Campaign.open("Which hours work?", "", uuid4(), None, "Hours?", ["Early", "early"],
                      uuid4(), NOW)


def test_a_campaign_takes_contributions_until_its_deadline_even_before_the_close_is_recorded(
) -> None:
    campaign = opened(deadline=NOW + timedelta(hours=1))
    campaign.check_open(NOW + timedelta(minutes=59))
    with pytest.raises(CampaignClosedError):
        campaign.check_open(NOW + timedelta(hours=1))
    assert issubclass(CampaignClosedError, ProposalClosedError)  # votes read it the same


def test_the_system_closes_at_the_deadline_and_not_before() -> None:
    campaign = opened(deadline=NOW + timedelta(hours=1))
    with pytest.raises(CampaignDeadlineError):
        campaign.close_at_deadline(NOW + timedelta(minutes=30))
    campaign.close_at_deadline(NOW + timedelta(hours=1))
    (closed,) = campaign.collect_events()
    assert isinstance(closed, Campaign.Closed)
    assert (closed.why, closed.closed_by) == ("deadline", None)
    with pytest.raises(CampaignClosedError):
        campaign.close_at_deadline(NOW + timedelta(hours=2))


def test_an_owner_closes_early_with_a_note() -> None:
    campaign, owner = opened(), uuid4()
    campaign.close(owner, " Enough answers. ")
    (closed,) = campaign.collect_events()
    assert (closed.why, closed.closed_by, closed.note) == ("owner", owner, "Enough answers.")
    with pytest.raises(CampaignClosedError):
        campaign.check_open(NOW)
    with pytest.raises(CampaignClosedError):
        campaign.close(owner, "")


def test_an_answer_must_be_one_of_the_options() -> None:
    campaign = opened()
    campaign.check_option(2)
    for wrong in (-1, 3):
        with pytest.raises(InvalidAnswerError):
            campaign.check_option(wrong)


def test_one_answer_per_member_and_campaign_which_the_member_may_change() -> None:
    campaign_id, member = uuid4(), uuid4()
    answer = PollAnswer(campaign_id, member, 0)
    assert answer.id == PollAnswer.id_for(campaign_id, member) == PollAnswer(
        campaign_id, member, 1).id
    answer.collect_events()
    assert not answer.change(0)  # the same answer records nothing
    assert answer.change(2)
    (changed,) = answer.collect_events()
    assert isinstance(changed, PollAnswer.Changed)
    assert (changed.option, changed.previous) == (2, 0)


def test_an_idea_may_belong_to_a_campaign() -> None:
    campaign_id = uuid4()
    idea = Proposal.submit("Open the desk at 7:30", "", uuid4(), uuid4(), campaign_id)
    (submitted,) = idea.collect_events()
    assert submitted.campaign_id == campaign_id == idea.campaign_id
    assert Proposal.submit("Open the desk at 7:30", "", uuid4(), uuid4()).campaign_id is None
