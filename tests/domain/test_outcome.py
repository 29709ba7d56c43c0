"""Outcome rules, without I/O: draft, edit, publish, correct, withdraw."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.outcome import (
    InvalidOutcomeError,
    Outcome,
    OutcomeStageError,
    Subject,
    check_links,
)

OWNER = uuid4()
FACTS: dict[str, Any] = {"people": 3, "ideas": 1, "votes": 2, "comments": 1,
                         "categories": ["Wi-Fi"], "category_ids": [], "quotes": ["Slow!"],
                         "proposal_ids": [], "first_asked_at": "2026-01-01T00:00:00"}


def drafted(subject_id: UUID | None = None) -> Outcome:
    return Outcome.draft(Subject.THEME, subject_id or uuid4(), "Guest Wi-Fi",
                         "3 people asked for this.", FACTS, OWNER)


def published() -> Outcome:
    outcome = drafted()
    outcome.edit(OWNER, "Guest Wi-Fi everywhere", "3 people asked.", "New access points.",
                 date(2026, 3, 1), ["https://intranet.example.org/wifi"])
    outcome.publish(OWNER, [OWNER, OWNER])
    return outcome


def test_an_idea_or_theme_has_one_outcome_id() -> None:
    subject = uuid4()
    assert drafted(subject).id == drafted(subject).id == Outcome.id_for(subject)
    assert drafted().id != drafted(subject).id


def test_a_draft_is_edited_then_published_naming_everyone_involved() -> None:
    outcome = published()
    events = outcome.collect_events()
    assert [type(e).__name__ for e in events] == ["Drafted", "Edited", "Published"]
    draft, edit, publish = events
    assert isinstance(draft, Outcome.Drafted) and draft.facts == FACTS
    assert isinstance(edit, Outcome.Edited) and edit.done_on == "2026-03-01"
    assert isinstance(publish, Outcome.Published)
    assert (publish.published_by, publish.involved) == (OWNER, [OWNER])  # each once
    assert outcome.stage == "published"


def test_publishing_needs_what_it_did_and_a_date() -> None:
    outcome = drafted()
    with pytest.raises(InvalidOutcomeError) as refused:
        outcome.publish(OWNER, [])
    assert set(refused.value.problems) == {"we_did", "done_on"}
    outcome.edit(OWNER, "Guest Wi-Fi", "3 people asked.", "", None, [])  # a draft may wait
    assert outcome.we_did == ""


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(InvalidOutcomeError) as refused:
        drafted().edit(OWNER, " ", "x" * 5_001, "bad\x00", None, ["javascript:alert(1)"])
    assert set(refused.value.problems) == {"title", "you_said", "we_did", "links"}
    assert "web address" in refused.value.problems["links"]


@pytest.mark.parametrize("link", ["ftp://example.org", "https://", "example.org/page",
                                  "https://exa mple.org", "data:text/html,hi"])
def test_links_must_be_http_urls(link: str) -> None:
    with pytest.raises(InvalidOutcomeError):
        check_links([link])


def test_links_are_trimmed_and_deduplicated() -> None:
    assert check_links([" https://a.example/x ", "", "https://a.example/x",
                        "http://b.example"]) == ["https://a.example/x", "http://b.example"]


def test_a_published_outcome_is_corrected_with_a_note_not_edited() -> None:
    outcome = published()
    with pytest.raises(OutcomeStageError, match="correct it instead"):
        outcome.edit(OWNER, "x title", "y", "z", None, [])
    with pytest.raises(OutcomeStageError):
        outcome.publish(OWNER, [])
    with pytest.raises(InvalidOutcomeError) as refused:
        outcome.correct(OWNER, "", outcome.title, outcome.we_did, date(2026, 3, 1), [])
    assert "note" in refused.value.problems
    with pytest.raises(InvalidOutcomeError, match="Nothing changed"):
        outcome.correct(OWNER, "Typo.", outcome.title, outcome.we_did, date(2026, 3, 1),
                        outcome.links)
    outcome.correct(OWNER, "Wrong date.", outcome.title, outcome.we_did, date(2026, 3, 8),
                    outcome.links)
    fix = outcome.collect_events()[-1]
    assert isinstance(fix, Outcome.Corrected)
    assert (fix.note, fix.done_on, fix.corrected_by) == ("Wrong date.", "2026-03-08", OWNER)


def test_only_a_published_outcome_is_corrected_or_withdrawn() -> None:
    with pytest.raises(OutcomeStageError):
        drafted().correct(OWNER, "note", "t", "w", date(2026, 1, 1), [])
    with pytest.raises(OutcomeStageError):
        drafted().withdraw(OWNER, "Mistake.")
    outcome = published()
    with pytest.raises(InvalidOutcomeError):
        outcome.withdraw(OWNER, "  ")
    outcome.withdraw(OWNER, "Published for the wrong theme.")
    assert outcome.stage == "withdrawn"
    with pytest.raises(OutcomeStageError, match="withdrawn"):
        outcome.edit(OWNER, "t title", "y", "", None, [])
