"""Vote rules, checked on the aggregate alone: no I/O."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.vote import Vote, VoteStateError


def cast() -> Vote:
    vote = Vote(uuid4(), uuid4())
    vote.collect_events()
    return vote


def test_casting_records_the_idea_and_the_member() -> None:
    proposal_id, member_id = uuid4(), uuid4()

    vote = Vote(proposal_id, member_id)

    (cast_event,) = vote.collect_events()
    assert isinstance(cast_event, Vote.Cast)
    assert (cast_event.proposal_id, cast_event.member_id) == (proposal_id, member_id)
    assert vote.is_active


def test_the_vote_id_is_derived_from_idea_and_member() -> None:
    proposal_id, member_id = uuid4(), uuid4()

    vote = Vote(proposal_id, member_id)

    assert vote.id == Vote.id_for(proposal_id, member_id)
    assert Vote(proposal_id, member_id).id == vote.id
    assert Vote.id_for(proposal_id, uuid4()) != vote.id
    assert Vote.id_for(uuid4(), member_id) != vote.id


def test_withdrawing_records_the_idea_and_the_member() -> None:
    vote = cast()

    vote.withdraw()

    (withdrawn,) = vote.collect_events()
    assert isinstance(withdrawn, Vote.Withdrawn)
    assert (withdrawn.proposal_id, withdrawn.member_id) == (vote.proposal_id, vote.member_id)
    assert not vote.is_active


def test_a_withdrawn_vote_cannot_be_withdrawn_again() -> None:
    vote = cast()
    vote.withdraw()
    vote.collect_events()

    with pytest.raises(VoteStateError, match="no vote to withdraw"):
        vote.withdraw()
    assert vote.collect_events() == []


def test_a_withdrawn_vote_can_be_recast() -> None:
    vote = cast()
    vote.withdraw()
    vote.collect_events()

    vote.recast()

    (recast,) = vote.collect_events()
    assert isinstance(recast, Vote.Recast)
    assert (recast.proposal_id, recast.member_id) == (vote.proposal_id, vote.member_id)
    assert vote.is_active


def test_an_active_vote_cannot_be_recast() -> None:
    vote = cast()
    with pytest.raises(VoteStateError, match="already cast"):
        vote.recast()
    assert vote.collect_events() == []
