"""An outcome: "you said, we did" for an idea, a whole theme or a campaign.

Drafted from the data (*you said*: how many people, across which categories, a few
quotes, the votes, as a snapshot taken when drafting), edited by an owner, then
published with *we did*, a date and optional links. After publishing, the text is
never silently replaced: a correction is its own event with a note saying what
changed, and the read model keeps the text as first published.

The id is derived from the subject (idea or theme), so an idea or theme has at most
one outcome, even when two owners draft at the same moment.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.decision import InvalidDecisionError, check_reason

TITLE_MAX = 160
TEXT_MAX = 5_000
LINKS_MAX = 10
LINK_MAX = 2_000


class Subject(StrEnum):
    IDEA = "idea"
    THEME = "theme"
    CAMPAIGN = "campaign"


class Stage(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Outcome(Aggregate):
    class Drafted(Aggregate.Created):
        subject_kind: str
        subject_id: UUID
        title: str
        you_said: str
        facts: dict[str, Any]  # the data snapshot (see incubator/outcomes.py)
        drafted_by: UUID

    class Edited(Aggregate.Event):
        edited_by: UUID
        title: str
        you_said: str
        we_did: str
        done_on: str  # ISO date, "" while not chosen
        links: list[str]

    class Published(Aggregate.Event):
        """`involved`: every member who submitted, voted or commented (for a theme:
        on any of its ideas) when it was published: whom the notifier tells."""

        published_by: UUID
        involved: list[UUID]

    class Corrected(Aggregate.Event):
        corrected_by: UUID
        note: str
        title: str
        we_did: str
        done_on: str
        links: list[str]

    class Withdrawn(Aggregate.Event):
        withdrawn_by: UUID
        reason: str

    @event(Drafted)
    def __init__(self, subject_kind: str, subject_id: UUID, title: str, you_said: str,
                 facts: dict[str, Any], drafted_by: UUID) -> None:
        self.subject_kind, self.subject_id = subject_kind, subject_id
        self.title, self.you_said, self.facts = title, you_said, facts
        self.we_did, self.done_on = "", ""
        self.links: list[str] = []
        self.stage = Stage.DRAFT.value

    @staticmethod
    def id_for(subject_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/outcomes/{subject_id}")

    @staticmethod
    def create_id(subject_id: UUID, **_: Any) -> UUID:
        return Outcome.id_for(subject_id)

    @classmethod
    def draft(cls, subject: Subject, subject_id: UUID, title: str, you_said: str,
              facts: dict[str, Any], drafted_by: UUID) -> Outcome:
        title, you_said = _title(title), _text(you_said, "What people said")
        return cls(subject.value, subject_id, title, you_said, facts, drafted_by)

    # ---- rules ----

    def check_is_draft(self) -> None:
        if self.stage == Stage.PUBLISHED.value:
            raise OutcomeStageError("This outcome is published: correct it instead.")
        if self.stage == Stage.WITHDRAWN.value:
            raise OutcomeStageError("This outcome was withdrawn.")

    def check_is_published(self) -> None:
        if self.stage != Stage.PUBLISHED.value:
            raise OutcomeStageError("Only a published outcome can be corrected or withdrawn.")

    def check_publishable(self) -> None:
        problems = {}
        if not self.we_did:
            problems["we_did"] = "Say what IT did before publishing."
        if not self.done_on:
            problems["done_on"] = "Give the date it was done before publishing."
        if problems:
            raise InvalidOutcomeError(problems)

    # ---- commands ----

    def edit(self, edited_by: UUID, title: str, you_said: str, we_did: str,
             done_on: date | None, links: list[str]) -> None:
        """Save a draft as it stands (`we_did` may still be empty)."""
        self.check_is_draft()
        fields = check_fields(title=title, you_said=you_said, we_did=we_did, links=links,
                              we_did_required=False)
        self._edit(edited_by, fields["title"], fields["you_said"], fields["we_did"],
                   done_on.isoformat() if done_on else "", fields["links"])

    def publish(self, published_by: UUID, involved: list[UUID]) -> None:
        self.check_is_draft()
        self.check_publishable()
        self._publish(published_by, list(dict.fromkeys(involved)))

    def correct(self, corrected_by: UUID, note: str, title: str, we_did: str,
                done_on: date | None, links: list[str]) -> None:
        self.check_is_published()
        problems: dict[str, str] = {}
        try:
            note = check_reason(note, "A note saying what was corrected", maximum=1_000)
        except InvalidDecisionError as invalid:
            problems["note"] = str(invalid)
        try:
            fields = check_fields(title=title, you_said=self.you_said, we_did=we_did,
                                  links=links, we_did_required=True)
        except InvalidOutcomeError as invalid:
            problems |= invalid.problems
        if done_on is None:
            problems["done_on"] = "Give the date it was done."
        if problems or done_on is None:
            raise InvalidOutcomeError(problems)
        unchanged = (fields["title"], fields["we_did"], done_on.isoformat(),
                     fields["links"]) == (self.title, self.we_did, self.done_on, self.links)
        if unchanged:
            raise InvalidOutcomeError({"we_did": "Nothing changed: there is nothing to correct."})
        self._correct(corrected_by, note, fields["title"], fields["we_did"],
                      done_on.isoformat(), fields["links"])

    def withdraw(self, withdrawn_by: UUID, reason: str) -> None:
        self.check_is_published()
        try:
            reason = check_reason(reason, "A reason for withdrawing it", maximum=1_000)
        except InvalidDecisionError as invalid:
            raise InvalidOutcomeError({"reason": str(invalid)}) from None
        self._withdraw(withdrawn_by, reason)

    # ---- events ----

    @event(Edited)
    def _edit(self, edited_by: UUID, title: str, you_said: str, we_did: str, done_on: str,
              links: list[str]) -> None:
        self.title, self.you_said, self.we_did = title, you_said, we_did
        self.done_on, self.links = done_on, links

    @event(Published)
    def _publish(self, published_by: UUID, involved: list[UUID]) -> None:
        self.stage = Stage.PUBLISHED.value

    @event(Corrected)
    def _correct(self, corrected_by: UUID, note: str, title: str, we_did: str, done_on: str,
                 links: list[str]) -> None:
        self.title, self.we_did, self.done_on, self.links = title, we_did, done_on, links

    @event(Withdrawn)
    def _withdraw(self, withdrawn_by: UUID, reason: str) -> None:
        self.stage = Stage.WITHDRAWN.value


def check_fields(title: str, you_said: str, we_did: str, links: list[str],
                 we_did_required: bool) -> dict[str, Any]:
    """Every field checked at once, so a form can show every problem."""
    checked: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, check in (("title", lambda: _title(title)),
                        ("you_said", lambda: _text(you_said, "What people said")),
                        ("we_did", lambda: _we_did(we_did, we_did_required)),
                        ("links", lambda: check_links(links))):
        try:
            checked[name] = check()
        except InvalidOutcomeError as invalid:
            problems |= invalid.problems
    if problems:
        raise InvalidOutcomeError(problems)
    return checked


def check_links(links: list[str]) -> list[str]:
    """Absolute http(s) URLs only: a link on the public board must not run script."""
    cleaned = [link.strip() for link in links if link.strip()]
    if len(cleaned) > LINKS_MAX:
        raise InvalidOutcomeError({"links": f"At most {LINKS_MAX} links."})
    for link in cleaned:
        parts = urlsplit(link)
        if (parts.scheme not in ("http", "https") or not parts.netloc or len(link) > LINK_MAX
                or any(c.isspace() for c in link)):
            raise InvalidOutcomeError(
                {"links": f"“{link[:80]}” is not a web address (http:// or https://)."})
    return list(dict.fromkeys(cleaned))


def _title(text: str) -> str:
    return _checked(text, "A headline", "title", TITLE_MAX)


def _text(text: str, what: str) -> str:
    return _checked(text, what, "you_said", TEXT_MAX)


def _we_did(text: str, required: bool) -> str:
    if not required and not text.strip():
        return ""
    return _checked(text, "What IT did", "we_did", TEXT_MAX)


def _checked(text: str, what: str, field: str, maximum: int) -> str:
    try:
        return check_reason(text, what, maximum=maximum)
    except InvalidDecisionError as invalid:
        raise InvalidOutcomeError({field: str(invalid)}) from None


class InvalidOutcomeError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class OutcomeStageError(ValueError):
    pass
