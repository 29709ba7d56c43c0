"""Owners' and admins' decisions on the aggregates alone: no I/O."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain.moderation import Moderation, ModerationError
from domain.proposal import (
    ALREADY_POSSIBLE_MIN,
    ANSWER_MAX,
    InvalidStatusChangeError,
    MergeError,
    Proposal,
    ProposalClosedError,
    Status,
    allowed_transitions,
)
from domain.theme import Theme, ThemeDecisionError

ANSWER = "We looked at it; details follow here."


def idea() -> Proposal:
    proposal = Proposal.submit("Self-service password reset", "", uuid4(), uuid4())
    proposal.collect_events()
    return proposal


def replayed(events: list[Any]) -> Any:
    state = None
    for domain_event in events:
        state = domain_event.mutate(state)
    return state


# ---- Status with a public answer ----

def test_the_pipeline_can_be_walked_forward_with_answers() -> None:
    proposal = idea()
    for status in (Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS, Status.DONE):
        proposal.change_status(status, uuid4(), ANSWER)
    assert [e.status for e in proposal.collect_events()] == [
        "under_review", "planned", "in_progress", "done"]


@pytest.mark.parametrize(("start", "target"), [
    (Status.OPEN, Status.DONE),  # a quick fix skips steps
    (Status.PLANNED, Status.UNDER_REVIEW),  # plans change
    (Status.IN_PROGRESS, Status.DECLINED),
    (Status.DONE, Status.UNDER_REVIEW),  # reopened
    (Status.DECLINED, Status.OPEN),
])
def test_allowed_moves(start: Status, target: Status) -> None:
    assert target in allowed_transitions(start)


@pytest.mark.parametrize(("start", "target", "message"), [
    (Status.UNDER_REVIEW, Status.OPEN, "can't become open"),
    (Status.DONE, Status.DECLINED, "reopen it first"),
    (Status.ALREADY_POSSIBLE, Status.PLANNED, "reopen it first"),
])
def test_refused_moves_say_why(start: Status, target: Status, message: str) -> None:
    proposal = idea()
    if start is not Status.OPEN:
        proposal.change_status(start, uuid4(), ANSWER)
        proposal.collect_events()
    with pytest.raises(InvalidStatusChangeError, match=message):
        proposal.change_status(target, uuid4(), ANSWER)
    assert proposal.collect_events() == []
    assert proposal.status == start.value


@pytest.mark.parametrize(("answer", "message"), [
    ("", "A public answer is required"),
    ("   \n ", "A public answer is required"),
    ("a" * (ANSWER_MAX + 1), f"at most {ANSWER_MAX:,}"),
    ("Planned\x00", "control characters"),
])
def test_an_answer_is_required_and_checked(answer: str, message: str) -> None:
    proposal = idea()
    with pytest.raises(InvalidStatusChangeError, match=message):
        proposal.change_status(Status.PLANNED, uuid4(), answer)
    assert proposal.collect_events() == []


def test_already_possible_must_explain_how() -> None:
    proposal = idea()
    with pytest.raises(InvalidStatusChangeError, match="how it is already possible"):
        proposal.change_status(Status.ALREADY_POSSIBLE, uuid4(), "It is.")
    proposal.change_status(Status.ALREADY_POSSIBLE, uuid4(), "x" * ALREADY_POSSIBLE_MIN)
    assert proposal.status == Status.ALREADY_POSSIBLE.value


# ---- Merging duplicates ----

def test_a_merge_is_recorded_on_both_ideas_and_undone_exactly() -> None:
    canonical, owner = idea(), uuid4()
    duplicate = Proposal.submit("Reset my own password", "", uuid4(), uuid4())
    duplicate.change_status(Status.PLANNED, owner, ANSWER)
    history = duplicate.collect_events()

    duplicate.merge_into(canonical, owner, " Same request. ")

    assert (duplicate.status, duplicate.merged_into) == ("merged", canonical.id)
    assert canonical.duplicates == [duplicate.id]
    (merged,) = duplicate.collect_events()
    assert isinstance(merged, Proposal.MergedInto)
    assert (merged.merged_by, merged.reason, merged.previous_status) == (
        owner, "Same request.", "planned")
    with pytest.raises(ProposalClosedError, match="merged into another one"):
        duplicate.check_accepts_votes()
    with pytest.raises(ProposalClosedError, match="discussion continues there"):
        duplicate.check_accepts_comments()
    with pytest.raises(InvalidStatusChangeError, match="undo the merge first"):
        duplicate.change_status(Status.DONE, owner, ANSWER)

    duplicate.undo_merge(canonical, owner, "Not the same after all.")

    assert (duplicate.status, duplicate.merged_into, canonical.duplicates) == (
        "planned", None, [])
    (undone,) = duplicate.collect_events()
    restored = replayed([*history, merged, undone])
    assert vars(restored) == vars(duplicate)


def test_merge_rules() -> None:
    first, second, third, owner = idea(), idea(), idea(), uuid4()
    with pytest.raises(MergeError, match="into itself"):
        first.merge_into(first, owner, "Same.")
    with pytest.raises(MergeError, match="reason for the merge is required"):
        first.merge_into(second, owner, " ")
    first.merge_into(second, owner, "Same.")
    with pytest.raises(MergeError, match="already merged"):
        first.merge_into(third, owner, "Same.")
    with pytest.raises(MergeError, match="itself merged"):
        third.merge_into(first, owner, "Same.")
    with pytest.raises(MergeError, match="not merged into that one"):
        third.undo_merge(second, owner, "Oops.")
    with pytest.raises(MergeError, match="not merged into that one"):
        first.undo_merge(third, owner, "Oops.")


def test_a_canonical_idea_may_itself_be_merged_later() -> None:
    duplicate, canonical, final, owner = idea(), idea(), idea(), uuid4()
    duplicate.merge_into(canonical, owner, "Same.")
    canonical.merge_into(final, owner, "Same again.")
    assert (canonical.merged_into, canonical.duplicates) == (final.id, [duplicate.id])


# ---- Moderation ----

def case() -> Moderation:
    moderation = Moderation(uuid4(), "comment", uuid4(), uuid4())
    moderation.collect_events()
    return moderation


def test_reports_then_hide_then_restore() -> None:
    moderation, reporter, admin = case(), uuid4(), uuid4()
    moderation.report(reporter, "Insulting.")
    with pytest.raises(ModerationError, match="already reported"):
        moderation.report(reporter, "Again.")
    moderation.hide(admin, "Breaks the code of conduct.")
    with pytest.raises(ModerationError, match="already hidden"):
        moderation.hide(admin, "Twice.")
    with pytest.raises(ModerationError, match="already hidden"):
        moderation.report(uuid4(), "Still there?")
    moderation.restore(admin, "Edited by the author.")
    with pytest.raises(ModerationError, match="not hidden"):
        moderation.restore(admin, "Twice.")
    moderation.report(reporter, "It's back.")  # a new round of reports
    events = moderation.collect_events()
    assert [type(e).__name__ for e in events] == ["Reported", "Hidden", "Restored", "Reported"]
    hidden = events[1]
    assert (hidden.target_id, hidden.author_id, hidden.decided_by, hidden.reason) == (
        moderation.target_id, moderation.author_id, admin, "Breaks the code of conduct.")


@pytest.mark.parametrize("reason", ["", "\x07", "r" * 1_001])
def test_moderation_needs_a_reason(reason: str) -> None:
    moderation = case()
    with pytest.raises(ModerationError):
        moderation.report(uuid4(), reason)
    with pytest.raises(ModerationError):
        moderation.hide(uuid4(), reason)


def test_dismissing_needs_open_reports() -> None:
    moderation = case()
    with pytest.raises(ModerationError, match="no open reports"):
        moderation.dismiss(uuid4(), "Fine.")
    moderation.report(uuid4(), "Spam?")
    moderation.dismiss(uuid4(), "Not spam.")
    assert moderation.open_reporters == []


def test_a_moderation_case_per_item() -> None:
    target = uuid4()
    assert Moderation(target, "idea", target, uuid4()).id == Moderation.id_for(target)


# ---- Themes ----

def test_theme_decisions() -> None:
    theme_id, owner, ideas = uuid4(), uuid4(), [uuid4(), uuid4()]
    theme = Theme.adopt(theme_id)
    assert theme.id == theme_id
    theme.confirm(owner, " Service desk hours ", [*ideas, ideas[0]])
    with pytest.raises(ThemeDecisionError, match="already confirmed"):
        theme.confirm(owner, "Again", ideas)
    with pytest.raises(ThemeDecisionError, match="already has this name"):
        theme.rename(owner, "Service desk hours")
    theme.rename(owner, "Opening hours")
    with pytest.raises(ThemeDecisionError, match="already in this theme"):
        theme.move_in(ideas[0], theme_id, owner)
    theme.move_in(uuid4(), uuid4(), owner, "Belongs here.")
    theme.move_out(ideas[1], owner)
    events = theme.collect_events()
    assert [type(e).__name__ for e in events] == [
        "Adopted", "Confirmed", "Renamed", "SuggestionMovedIn", "SuggestionMovedOut"]
    assert (events[1].label, events[1].proposal_ids) == ("Service desk hours", ideas)
    assert vars(replayed(events)) == vars(theme)


@pytest.mark.parametrize("label", ["", "  ", "x" * 201, "ta\x0bb"])
def test_theme_names_are_checked(label: str) -> None:
    with pytest.raises(ThemeDecisionError, match=r"name|control"):
        Theme.adopt(uuid4()).rename(uuid4(), label)


def test_confirming_needs_ideas() -> None:
    with pytest.raises(ThemeDecisionError, match="has none"):
        Theme.adopt(uuid4()).confirm(uuid4(), "Label", [])

