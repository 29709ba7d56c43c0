"""What a member wants to be told, and how: per kind of notice, off, in the app only,
or in the app and by e-mail; e-mails one by one or in a daily digest.

One aggregate per member (id derived from the member), so the notification
projection reads the choices in log order and a rebuild sends nobody anything new.
No personal data here: the e-mail address stays in the mutable accounts table.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class NoticeKind(StrEnum):
    STATUS = "status"  # an idea one follows got a new status or answer
    OUTCOME = "outcome"  # an outcome was published for something one took part in
    REPLY = "reply"  # someone commented on an idea one follows
    CAMPAIGN = "campaign"  # a campaign one follows published its result

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    NoticeKind.STATUS: "Status changes and answers on ideas you follow",
    NoticeKind.OUTCOME: "Outcomes published for ideas and themes you took part in",
    NoticeKind.REPLY: "New comments on ideas you follow",
    NoticeKind.CAMPAIGN: "Results of campaigns you follow",
}


class Channel(StrEnum):
    OFF = "off"
    IN_APP = "in_app"
    EMAIL = "email"  # in the app and by e-mail

    @property
    def label(self) -> str:
        return {"off": "Off", "in_app": "In Incubator", "email": "In Incubator and by e-mail"}[
            self.value]


# Without a choice: e-mail for what closes the loop, replies only in the app.
DEFAULT_CHANNELS: dict[str, str] = {
    NoticeKind.STATUS: Channel.EMAIL, NoticeKind.OUTCOME: Channel.EMAIL,
    NoticeKind.REPLY: Channel.IN_APP, NoticeKind.CAMPAIGN: Channel.EMAIL,
}


class NotificationPreferences(Aggregate):
    class Chosen(Aggregate.Created):
        member_id: UUID
        channels: dict[str, str]
        digest: bool

    class Changed(Aggregate.Event):
        member_id: UUID
        channels: dict[str, str]
        digest: bool

    @event(Chosen)
    def __init__(self, member_id: UUID, channels: dict[str, str], digest: bool) -> None:
        self.member_id, self.channels, self.digest = member_id, channels, digest

    @classmethod
    def choose(cls, member_id: UUID, channels: dict[str, str],
               digest: bool) -> NotificationPreferences:
        return cls(member_id, check_channels(channels), digest)

    @staticmethod
    def id_for(member_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/members/{member_id}/notification-preferences")

    @staticmethod
    def create_id(member_id: UUID, **_: Any) -> UUID:
        return NotificationPreferences.id_for(member_id)

    def change(self, channels: dict[str, str], digest: bool) -> bool:
        """False when nothing changed (nothing to record)."""
        channels = check_channels(channels)
        if (channels, digest) == (self.channels, self.digest):
            return False
        self._change(self.member_id, channels, digest)
        return True

    @event(Changed)
    def _change(self, member_id: UUID, channels: dict[str, str], digest: bool) -> None:
        self.channels, self.digest = channels, digest


def check_channels(channels: dict[str, str]) -> dict[str, str]:
    """Every kind gets a channel (missing ones their default); unknown ones are refused."""
    unknown = set(channels) - {kind.value for kind in NoticeKind}
    if unknown:
        raise PreferencesError(f"Unknown kind of notice: {sorted(unknown)[0]!r}.")
    checked = {}
    for kind in NoticeKind:
        value = channels.get(kind.value, DEFAULT_CHANNELS[kind])
        if value not in {c.value for c in Channel}:
            raise PreferencesError(f"Choose how to be told about {kind.label.lower()}.")
        checked[kind.value] = str(value)
    return checked


class PreferencesError(ValueError):
    pass
