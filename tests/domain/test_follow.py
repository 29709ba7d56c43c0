"""Following and notification preferences, checked on the aggregates alone: no I/O."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.follow import Follow, FollowError
from domain.notification_preferences import (
    DEFAULT_CHANNELS,
    NotificationPreferences,
    PreferencesError,
)


def test_following_records_target_and_member_under_a_derived_id() -> None:
    idea, member = uuid4(), uuid4()

    follow = Follow.choose("idea", idea, member, following=True)

    (chosen,) = follow.collect_events()
    assert isinstance(chosen, Follow.Chosen)
    assert (chosen.target_kind, chosen.target_id, chosen.member_id, chosen.following) == (
        "idea", idea, member, True)
    assert follow.id == Follow.id_for("idea", idea, member)
    assert Follow.id_for("campaign", idea, member) != follow.id


def test_unfollowing_then_following_again_records_each_change_once() -> None:
    follow = Follow.choose("idea", uuid4(), uuid4(), following=True)
    follow.collect_events()

    assert follow.change(False) is True
    assert follow.change(False) is False  # a second click changes nothing
    assert follow.change(True) is True

    changes = follow.collect_events()
    assert [e.following for e in changes] == [False, True]  # type: ignore[attr-defined]


def test_any_kind_of_target_can_be_followed_but_not_a_malformed_one() -> None:
    Follow.choose("campaign", uuid4(), uuid4(), following=True)
    with pytest.raises(FollowError):
        Follow.choose("Idea; DROP", uuid4(), uuid4(), following=True)


def test_preferences_fill_in_defaults_and_refuse_unknown_channels() -> None:
    member = uuid4()

    prefs = NotificationPreferences.choose(member, {"reply": "email"}, digest=True)

    assert prefs.channels == {**DEFAULT_CHANNELS, "reply": "email"}
    assert prefs.id == NotificationPreferences.id_for(member)
    assert prefs.change({"reply": "email"}, digest=True) is False
    assert prefs.change({"reply": "off"}, digest=True) is True
    with pytest.raises(PreferencesError):
        prefs.change({"status": "carrier pigeon"}, digest=False)
    with pytest.raises(PreferencesError):
        prefs.change({"gossip": "email"}, digest=False)
