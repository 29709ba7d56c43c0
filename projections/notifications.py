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
"unfollow" wins over that, later too.

Only what this projection wrote itself, in log order, decides who is told (never
another read model's state, which is known only as of the end of a page), so any
paging of the log gives the same notices. A page's follows, preferences and idea
titles are read in a few queries up front and its rows written in a few statements
at the end (`Page`): a rebuild does no per-event round trips.

- a campaign closed (its results are in): the campaign's followers, but not the
  owner who closed it. Answering its poll or submitting an idea under it follows it.
Other followable things plug in with a handler in `HANDLERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, String, bindparam, delete, select, type_coerce

from domain.campaign import Campaign, PollAnswer
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
from projections.bulk import insert_rows, upsert, uuid_of
from projections.tables import (
    NOTIFICATION_TABLES,
    campaigns,
    email_outbox,
    follows,
    notification_preferences,
    notifications,
    outcomes,
    proposals,
)

DETAIL_MAX = 300
IDEA = "idea"
CAMPAIGN = "campaign"
CHUNK = 5_000  # ids per IN (...) list
Choice = tuple[dict[str, str], bool]  # (channel per kind, digest)


class Page:
    """One page of events being turned into notices, in one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.following: dict[UUID, dict[UUID, bool]] = {}  # loaded targets: member -> on?
        self.on: dict[UUID, set[UUID]] = {}  # loaded targets: who follows now
        # Follows to write, keyed by (target.int, member.int): hashing ints is done in C,
        # a UUID's `__hash__` is a Python call (~5 of them per vote).
        self.writes: dict[tuple[int, int], dict[str, Any]] = {}
        self.choices: dict[UUID, Choice | None] = {}  # None: the defaults
        self.titles: dict[UUID, str] = {}
        self.inbox: list[dict[str, Any]] = []
        self.mail: list[dict[str, Any]] = []

    def load(self, targets: Iterable[UUID]) -> None:
        """Read who follows these targets, and their titles (ideas), in a few queries."""
        wanted = [t for t in dict.fromkeys(targets) if t not in self.following]
        for chunk in _chunks(wanted):
            found: dict[UUID, dict[UUID, bool]] = {t: {} for t in chunk}
            rows = self.conn.execute(_FOLLOWERS_OF, {"ids": chunk})
            for target, same in groupby(rows, key=_first):  # rows come in key order
                known = found[uuid_of(target)]
                for _, member, on in same:
                    known[uuid_of(member)] = on
            for row in self.writes.values():  # not written yet
                target, member = row["target_id"], row["member_id"]
                if target in found and (row["chosen"] or member not in found[target]):
                    found[target][member] = row["following"]
            self.following.update(found)
            self.on.update((t, _following_now(known)) for t, known in found.items())
            rows = self.conn.execute(_TITLES_OF, {"ids": chunk})
            self.titles.update((uuid_of(id_), title) for id_, title in rows)

    def follow(self, target: UUID, member: UUID, following: bool = True,
               chosen: bool = False, kind: str = IDEA) -> None:
        """A member's own choice (`chosen`) always counts; an automatic follow only
        where there is no row yet (no earlier choice, no earlier follow)."""
        key = (target.int, member.int)
        if not chosen and key in self.writes:
            return
        known = self.following.get(target)
        if not chosen and known is not None and member in known:
            return
        if known is not None:
            known[member] = following
            (self.on[target].add if following else self.on[target].discard)(member)
        self.writes[key] = {"target_id": target, "member_id": member, "target_kind": kind,
                            "following": following, "chosen": chosen}

    def followers(self, target: UUID) -> set[UUID]:
        if target not in self.on:
            self.load([target])
        return set(self.on[target])

    def title(self, proposal_id: UUID) -> str:
        if proposal_id not in self.following:
            self.load([proposal_id])
        return self.titles.get(proposal_id, "an idea")

    def choose(self, member: UUID, channels: dict[str, str], digest: bool) -> None:
        self.choices[member] = (dict(channels), digest)
        stored = ",".join(f"{kind}={channel}" for kind, channel in channels.items())
        upsert(self.conn, notification_preferences,
                [{"member_id": member, "channels": stored, "digest": digest}], ("member_id",))

    def tell(self, position: int, at: datetime, members: Iterable[UUID], kind: NoticeKind,
             subject_id: UUID, title: str, detail: str, link: str) -> None:
        """Tell each member as their preference for `kind` says: one notice per (event,
        member), and an e-mail for those who want one."""
        told = sorted(set(members), key=_as_int)  # the order of their text, without it
        choices = self.choices
        if any(member not in choices for member in told):
            self.load_choices(told)
        when = utc_naive(at)
        # Looked up once, not per member: an enum's `value` and hash are Python calls.
        value, default, short = kind.value, DEFAULT_CHANNELS[kind], title[:200]
        for member in told:
            choice = choices.get(member)
            if choice is None:  # the defaults
                channel, digest = default, False
            else:
                channel, digest = choice[0].get(value, default), choice[1]
            if channel == Channel.OFF:
                continue
            self.inbox.append({"position": position, "member_id": member, "kind": value,
                               "subject_id": subject_id, "title": short,
                               "detail": detail, "link": link, "at": when})
            if channel == Channel.EMAIL:
                self.mail.append({
                    "key": f"{position}:{member}", "member_id": member, "kind": value,
                    "subject": _subject(kind, title),
                    "body": f"{title}\n\n{detail}\n\n{{base_url}}{link}\n",
                    "event_at": when, "digest": digest, "state": "pending", "attempts": 0,
                    "next_attempt_at": when, "last_error": "", "digest_key": None,
                    "sent_at": None})

    def forget(self, member: UUID) -> None:
        self.flush()
        for table in (follows, notification_preferences, notifications, email_outbox):
            self.conn.execute(delete(table).where(table.c.member_id == member))
        for known in self.following.values():
            known.pop(member, None)
        for members in self.on.values():
            members.discard(member)
        self.choices[member] = None

    def flush(self) -> None:
        auto = [row for row in self.writes.values() if not row["chosen"]]
        chosen = [row for row in self.writes.values() if row["chosen"]]
        if auto:
            insert_rows(self.conn, follows, auto, skip_taken=True)
        if chosen:
            upsert(self.conn, follows, chosen, ("target_id", "member_id"))
        if self.inbox:
            insert_rows(self.conn, notifications, self.inbox)
        if self.mail:
            insert_rows(self.conn, email_outbox, self.mail, skip_taken=True)
        self.writes, self.inbox, self.mail = {}, [], []

    def load_choices(self, members: Iterable[UUID]) -> None:
        """Read the preferences of these members (those not read yet), in few queries."""
        missing = [m for m in dict.fromkeys(members) if m not in self.choices]
        for chunk in _chunks(missing):
            self.choices.update(dict.fromkeys(chunk))
            rows = self.conn.execute(_CHOICES_OF, {"ids": chunk})
            for row in rows:
                self.choices[row.member_id] = (parse_channels(row.channels), row.digest)


class NotificationProjection:
    name = "notifications"
    # Bump when a handler's logic changes: the next start rebuilds. 2: campaigns.
    version = 2
    tables = NOTIFICATION_TABLES
    side_tables = (email_outbox,)  # kept by a rebuild; a replay finds its keys taken

    def apply(self, conn: Connection, events: Sequence[tuple[Any, int]]) -> None:
        page = Page(conn)
        page.load(_notice_targets(events))
        page.load_choices(_members_in(events, page))
        for event, position in events:
            handler = HANDLERS.get(type(event))
            if handler is not None:
                handler(page, event, position)
        page.flush()

    def caught_up(self, engine: Engine) -> None:
        """Nothing: the board's `caught_up` remakes every projected table's indexes."""


def _members_in(events: Sequence[tuple[Any, int]], page: Page) -> set[UUID]:
    """Everyone this page may tell: followers already known, and whoever acts in it.
    A set filled from dicts and sets takes their keys' stored hashes: a UUID's
    `__hash__` is a Python call, and the followers are most of the page's members."""
    members: set[UUID] = set()
    for known in page.following.values():
        members.update(known)
    members.update(_actors(events))
    return members


def _following_now(known: dict[UUID, bool]) -> set[UUID]:
    """Members of `known` that follow (nearly all): copied with their stored hashes."""
    now = set(known)
    now.difference_update([member for member, on in known.items() if not on])
    return now


def _actors(events: Sequence[tuple[Any, int]]) -> Iterable[UUID]:
    for event, _ in events:
        kind = type(event)
        if kind is Vote.Cast or kind is Vote.Recast:
            yield event.member_id
        elif kind is Comment.Posted or kind is Proposal.Submitted:
            yield event.author_id
        elif kind is Follow.Chosen or kind is Follow.Changed:
            yield event.member_id
        elif kind is Outcome.Published:
            yield from event.involved
        elif kind is PollAnswer.Given:
            yield event.member_id


def _notice_targets(events: Sequence[tuple[Any, int]]) -> Iterable[UUID]:
    for event, _ in events:
        kind = type(event)
        if kind is Comment.Posted:
            yield event.proposal_id
        elif kind is Proposal.StatusChanged:
            yield event.originator_id
        elif kind is Proposal.MergedInto:
            yield event.originator_id
            yield event.canonical_id
        elif kind is Campaign.Closed:
            yield event.originator_id
        elif kind is PollAnswer.Given:
            yield event.campaign_id


# ---- following and preferences ----

def _submitted(page: Page, event: Proposal.Submitted, position: int) -> None:
    page.follow(event.originator_id, event.author_id)
    if event.campaign_id is not None:  # an idea given to a campaign follows it too
        page.follow(event.campaign_id, event.author_id, kind=CAMPAIGN)


def _answered(page: Page, event: PollAnswer.Given, position: int) -> None:
    page.follow(event.campaign_id, event.member_id, kind=CAMPAIGN)


def _voted(page: Page, event: Vote.Cast | Vote.Recast, position: int) -> None:
    page.follow(event.proposal_id, event.member_id)


def _chose_to_follow(page: Page, event: Follow.Chosen | Follow.Changed, position: int) -> None:
    page.follow(event.target_id, event.member_id, event.following, chosen=True,
                kind=event.target_kind)


def _chose_notices(page: Page, event: Any, position: int) -> None:
    page.choose(event.member_id, event.channels, event.digest)


def _forgotten(page: Page, event: Member.Forgotten, position: int) -> None:
    page.forget(event.originator_id)


# ---- notices ----

def _commented(page: Page, event: Comment.Posted, position: int) -> None:
    told = page.followers(event.proposal_id) - {event.author_id}
    page.tell(position, event.timestamp, told, NoticeKind.REPLY, event.proposal_id,
              page.title(event.proposal_id), f"New comment: {_excerpt(event.text)}",
              f"/ideas/{event.proposal_id}")
    page.follow(event.proposal_id, event.author_id)


def _status_changed(page: Page, event: Proposal.StatusChanged, position: int) -> None:
    told = page.followers(event.originator_id) - {event.changed_by}
    detail = f"{Status(event.status).label}. {_excerpt(event.answer)}".strip()
    page.tell(position, event.timestamp, told, NoticeKind.STATUS, event.originator_id,
              page.title(event.originator_id), detail, f"/ideas/{event.originator_id}")


def _merged(page: Page, event: Proposal.MergedInto, position: int) -> None:
    """The duplicate's followers are told, and follow the canonical idea from now on
    (an undo leaves them following it)."""
    followers = page.followers(event.originator_id)
    canonical = page.title(event.canonical_id)
    page.tell(position, event.timestamp, followers - {event.merged_by}, NoticeKind.STATUS,
              event.originator_id, page.title(event.originator_id),
              f"Merged into “{canonical}”: its votes and comments count there.",
              f"/ideas/{event.canonical_id}")
    for member in followers:
        page.follow(event.canonical_id, member)


def _published(page: Page, event: Outcome.Published, position: int) -> None:
    # As published (the outcome projection set it from this event, in log order);
    # the current title may already be a later correction's in this page.
    title = page.conn.execute(select(outcomes.c.original_title)
                              .where(outcomes.c.id == event.originator_id)).scalar() or ""
    page.tell(position, event.timestamp, set(event.involved) - {event.published_by},
              NoticeKind.OUTCOME, event.originator_id, title,
              "You said, we did: IT published what it did.",
              f"/outcomes/{event.originator_id}")


def _campaign_closed(page: Page, event: Campaign.Closed, position: int) -> None:
    question = page.conn.execute(select(campaigns.c.question)  # never changes once asked
                                 .where(campaigns.c.id == event.originator_id)).scalar()
    told = page.followers(event.originator_id) - {event.closed_by}
    page.tell(position, event.timestamp, told, NoticeKind.CAMPAIGN, event.originator_id,
              question or "A campaign", "Closed: the results are in.",
              f"/campaigns/{event.originator_id}")


HANDLERS: dict[type, Callable[[Page, Any, int], None]] = {
    Proposal.Submitted: _submitted,
    Vote.Cast: _voted,
    Vote.Recast: _voted,
    Follow.Chosen: _chose_to_follow,
    Follow.Changed: _chose_to_follow,
    NotificationPreferences.Chosen: _chose_notices,
    NotificationPreferences.Changed: _chose_notices,
    Member.Forgotten: _forgotten,
    Comment.Posted: _commented,
    Proposal.StatusChanged: _status_changed,
    Proposal.MergedInto: _merged,
    Outcome.Published: _published,
    PollAnswer.Given: _answered,
    Campaign.Closed: _campaign_closed,
}


def followers_of(conn: Connection, target_ids: Iterable[UUID]) -> set[UUID]:
    """Members following any of these targets (for queries outside a page)."""
    query = (select(follows.c.member_id)
             .where(follows.c.target_id.in_(list(target_ids)), follows.c.following)
             .distinct())
    return set(conn.execute(query).scalars())


def parse_channels(stored: str) -> dict[str, str]:
    chosen = dict(part.split("=", 1) for part in stored.split(",") if "=" in part)
    return {kind.value: chosen.get(kind.value, DEFAULT_CHANNELS[kind]) for kind in NoticeKind}


def _subject(kind: NoticeKind, title: str) -> str:
    what = {NoticeKind.STATUS: "News on", NoticeKind.OUTCOME: "You said, we did:",
            NoticeKind.REPLY: "New comment on", NoticeKind.CAMPAIGN: "Campaign result:"}[kind]
    return f"{what} “{title[:200]}”"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def _chunks(ids: list[UUID]) -> Iterable[list[UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


_first = itemgetter(0)


_as_int = attrgetter("int")  # in C: a key function called for every member told


# Ids read as stored, made into UUIDs by `uuid_of` (see projections/bulk.py).
_TARGET_ID = type_coerce(follows.c.target_id, String)
_MEMBER_ID = type_coerce(follows.c.member_id, String)
_PROPOSAL_ID = type_coerce(proposals.c.id, String)
# Built once (see projections/queries.py): every live page (each vote) runs them.
_FOLLOWERS_OF = (select(_TARGET_ID, _MEMBER_ID, follows.c.following)
                 .where(follows.c.target_id.in_(bindparam("ids", expanding=True))))
_TITLES_OF = (select(_PROPOSAL_ID, proposals.c.title)
              .where(proposals.c.id.in_(bindparam("ids", expanding=True))))
_CHOICES_OF = (select(notification_preferences)
               .where(notification_preferences.c.member_id.in_(bindparam("ids", expanding=True))))

