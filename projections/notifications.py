"""NotificationProjection: who is told what, derived from the event log.

Runs in the board's transaction (one of `Projections`' parts), so each event is
turned into notices exactly once, and a rebuild derives the same notices (keyed by
the event's position and the member told). For each notice the member's preference
for its kind decides: nothing, a row in the in-app inbox, or that row and an e-mail
in the outbox (`email_outbox`, not rebuilt: a replay finds its key taken and adds
nothing, so nobody is e-mailed twice).

Who is told:
- a status change or answer on an idea (or its merge into another): the idea's
  followers, but not the person who made the change;
- a comment ("reply"): the idea's followers, but not its author;
- a published outcome: everyone in `Outcome.Published.involved` (who submitted,
  voted, commented on or followed the ideas it answers, or whose idea is in the
  theme), but not the publisher.
The followers of an idea merged into another follow that one from then on. Submitting,
voting and commenting follow the idea (as in Canny or Fider); a member's own
"unfollow" wins over that, later too. Other followable things (campaigns) plug in
with `notify_followers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.comment import Comment
from domain.follow import Follow
from domain.member import Member
from domain.notification_preferences import (
    DEFAULT_CHANNELS,
    Channel,
    NoticeKind,
    NotificationPreferences,
)
from domain.outcome import Outcome
from domain.proposal import Proposal, Status
from domain.vote import Vote
from projections.board import utc_naive
from projections.tables import (
    email_outbox,
    follows,
    notification_preferences,
    notifications,
    outcomes,
    proposals,
)

DETAIL_MAX = 300
IDEA = "idea"


class NotificationProjection:
    name = "notifications"

    def __init__(self) -> None:
        self._auto: dict[tuple[UUID, UUID], dict[str, Any]] = {}

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        for event, position in events:
            self.process_event(event, position, conn)
        self._flush(conn)

    def caught_up(self, engine: Engine) -> None:
        """Nothing: the board's `caught_up` remakes every projected table's indexes."""

    @singledispatchmethod
    def process_event(self, event: Any, position: int, conn: Connection) -> None:
        """Events that concern no one's notices are skipped."""

    # ---- following ----

    @process_event.register
    def _(self, event: Proposal.Submitted, position: int, conn: Connection) -> None:
        self._follow(event.originator_id, event.author_id)

    @process_event.register(Vote.Cast)
    @process_event.register(Vote.Recast)
    def _(self, event: Any, position: int, conn: Connection) -> None:
        self._follow(event.proposal_id, event.member_id)

    @process_event.register(Follow.Chosen)
    @process_event.register(Follow.Changed)
    def _(self, event: Any, position: int, conn: Connection) -> None:
        self._flush(conn)
        row = {"target_id": event.target_id, "member_id": event.member_id,
               "target_kind": event.target_kind, "following": event.following, "chosen": True}
        _upsert(conn, follows, [row], ("target_id", "member_id"))

    @process_event.register(NotificationPreferences.Chosen)
    @process_event.register(NotificationPreferences.Changed)
    def _(self, event: Any, position: int, conn: Connection) -> None:
        channels = ",".join(f"{kind}={channel}" for kind, channel in event.channels.items())
        row = {"member_id": event.member_id, "channels": channels, "digest": event.digest}
        _upsert(conn, notification_preferences, [row], ("member_id",))

    @process_event.register
    def _(self, event: Member.Forgotten, position: int, conn: Connection) -> None:
        self._flush(conn)
        for table in (follows, notification_preferences, notifications, email_outbox):
            conn.execute(delete(table).where(table.c.member_id == event.originator_id))

    # ---- notices ----

    @process_event.register
    def _(self, event: Comment.Posted, position: int, conn: Connection) -> None:
        title = _idea_title(conn, event.proposal_id)
        told = self._followers(conn, event.proposal_id) - {event.author_id}
        notify(conn, position, event.timestamp, told, NoticeKind.REPLY, event.proposal_id,
               title, f"New comment: {_excerpt(event.text)}", f"/ideas/{event.proposal_id}")
        self._follow(event.proposal_id, event.author_id)

    @process_event.register
    def _(self, event: Proposal.StatusChanged, position: int, conn: Connection) -> None:
        told = self._followers(conn, event.originator_id) - {event.changed_by}
        detail = f"{Status(event.status).label}. {_excerpt(event.answer)}".strip()
        notify(conn, position, event.timestamp, told, NoticeKind.STATUS, event.originator_id,
               _idea_title(conn, event.originator_id), detail, f"/ideas/{event.originator_id}")

    @process_event.register
    def _(self, event: Proposal.MergedInto, position: int, conn: Connection) -> None:
        """The duplicate's followers are told, and follow the canonical idea from now
        on (an undo leaves them following it). Kept in our own table, in log order:
        `rm_merges` is only known as of the end of the page, which would make a
        rebuild in other page sizes tell other people."""
        followers = self._followers(conn, event.originator_id)
        canonical = _idea_title(conn, event.canonical_id)
        notify(conn, position, event.timestamp, followers - {event.merged_by},
               NoticeKind.STATUS, event.originator_id, _idea_title(conn, event.originator_id),
               f"Merged into “{canonical}”: its votes and comments count there.",
               f"/ideas/{event.canonical_id}")
        for member in followers:
            self._follow(event.canonical_id, member)

    @process_event.register
    def _(self, event: Outcome.Published, position: int, conn: Connection) -> None:
        # As published (the outcome projection set it from this event, in log order);
        # the current title may already be a later correction's in this page.
        title = conn.execute(select(outcomes.c.original_title)
                             .where(outcomes.c.id == event.originator_id)).scalar() or ""
        told = set(event.involved) - {event.published_by}
        notify(conn, position, event.timestamp, told, NoticeKind.OUTCOME, event.originator_id,
               title, "You said, we did: IT published what it did.",
               f"/outcomes/{event.originator_id}")

    # ---- helpers ----

    def _follow(self, target_id: UUID, member_id: UUID) -> None:
        """Follow automatically, unless a row (a choice, or a follow) is there already."""
        self._auto.setdefault((target_id, member_id), {
            "target_id": target_id, "member_id": member_id, "target_kind": IDEA,
            "following": True, "chosen": False})

    def _flush(self, conn: Connection) -> None:
        if self._auto:
            _insert_new(conn, follows, list(self._auto.values()))
            self._auto.clear()

    def _followers(self, conn: Connection, proposal_id: UUID) -> set[UUID]:
        self._flush(conn)
        return followers_of(conn, [proposal_id])


def followers_of(conn: Connection, target_ids: Iterable[UUID]) -> set[UUID]:
    """Members following any of these targets. Only rows this projection wrote in log
    order are read: a notice must not depend on how the log was paged."""
    query = (select(follows.c.member_id)
             .where(follows.c.target_id.in_(list(target_ids)), follows.c.following)
             .distinct())
    return set(conn.execute(query).scalars())


def notify(conn: Connection, position: int, at: datetime, members: Iterable[UUID],
           kind: NoticeKind, subject_id: UUID, title: str, detail: str, link: str) -> None:
    """Tell each member as their preference for `kind` says: one notice per (event,
    member), and an e-mail in the outbox for those who want one."""
    told = sorted(set(members), key=str)
    if not told:
        return
    choices = _choices(conn, told)
    inbox, mail = [], []
    when = utc_naive(at)
    for member in told:
        channels, digest = choices.get(member, (DEFAULT_CHANNELS, False))
        channel = channels.get(kind.value, DEFAULT_CHANNELS[kind])
        if channel == Channel.OFF:
            continue
        inbox.append({"position": position, "member_id": member, "kind": kind.value,
                      "subject_id": subject_id, "title": title[:200], "detail": detail,
                      "link": link, "at": when})
        if channel == Channel.EMAIL:
            mail.append({"key": f"{position}:{member}", "member_id": member,
                         "kind": kind.value, "subject": _subject(kind, title),
                         "body": f"{title}\n\n{detail}\n\n{{base_url}}{link}\n",
                         "event_at": when, "digest": digest, "state": "pending",
                         "attempts": 0, "next_attempt_at": when, "last_error": "",
                         "digest_key": None, "sent_at": None})
    if inbox:
        conn.execute(notifications.insert(), inbox)
    if mail:
        _insert_new(conn, email_outbox, mail)


def _choices(conn: Connection, members: list[UUID]) -> dict[UUID, tuple[dict[str, str], bool]]:
    rows = conn.execute(select(notification_preferences)
                        .where(notification_preferences.c.member_id.in_(members)))
    return {row.member_id: (parse_channels(row.channels), row.digest) for row in rows}


def parse_channels(stored: str) -> dict[str, str]:
    chosen = dict(part.split("=", 1) for part in stored.split(",") if "=" in part)
    return {kind.value: chosen.get(kind.value, DEFAULT_CHANNELS[kind]) for kind in NoticeKind}


def _subject(kind: NoticeKind, title: str) -> str:
    what = {NoticeKind.STATUS: "News on", NoticeKind.OUTCOME: "You said, we did:",
            NoticeKind.REPLY: "New comment on", NoticeKind.CAMPAIGN: "Campaign result:"}[kind]
    return f"{what} “{title[:200]}”"


def _idea_title(conn: Connection, proposal_id: UUID) -> str:
    found = conn.execute(select(proposals.c.title).where(proposals.c.id == proposal_id))
    return str(found.scalar() or "an idea")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def _dialect_insert(conn: Connection, table: Table) -> Any:
    return (postgresql.insert(table) if conn.dialect.name == "postgresql"
            else sqlite.insert(table))


def _insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows whose key is free; rows whose key is taken change nothing."""
    conn.execute(_dialect_insert(conn, table).on_conflict_do_nothing(), rows)


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]],
            keys: tuple[str, ...]) -> None:
    statement = _dialect_insert(conn, table)
    changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed),
                 rows)
