"""Proposal rules, checked on the aggregate alone: no I/O."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.proposal import (
    DESCRIPTION_MAX,
    OPEN_STATUSES,
    TITLE_MAX,
    TITLE_MIN,
    InvalidProposalError,
    InvalidStatusChangeError,
    Proposal,
    ProposalClosedError,
    Status,
)

CLOSED_STATUSES = [Status.DONE, Status.DECLINED, Status.ALREADY_POSSIBLE, Status.MERGED]


def submitted(**overrides: object) -> Proposal:
    fields: dict[str, object] = {
        "title": "Self-service password reset",
        "description": "Let people reset their own password.",
        "category_id": uuid4(),
        "author_id": uuid4(),
    }
    proposal = Proposal.submit(**{**fields, **overrides})  # type: ignore[arg-type]
    proposal.collect_events()
    return proposal


def put_in(proposal: Proposal, status: Status) -> None:
    if status is Status.MERGED:  # merging is its own command; record its status change
        proposal._change_status(status.value, uuid4(), "")
    else:
        proposal.change_status(status, uuid4(), "Answered: use the self-service portal.")
    proposal.collect_events()


def test_submit_records_the_stripped_idea_as_open() -> None:
    category_id, author_id = uuid4(), uuid4()

    proposal = Proposal.submit("  Dark mode for the intranet \n", "  Please. ", category_id,
                               author_id)

    (submitted_event,) = proposal.collect_events()
    assert isinstance(submitted_event, Proposal.Submitted)
    assert submitted_event.title == "Dark mode for the intranet"
    assert submitted_event.description == "Please."
    assert submitted_event.category_id == category_id
    assert submitted_event.author_id == author_id
    assert proposal.status == Status.OPEN.value
    assert (proposal.title, proposal.description) == ("Dark mode for the intranet", "Please.")


@pytest.mark.parametrize("length", [TITLE_MIN, TITLE_MAX])
def test_title_length_limits_are_inclusive(length: int) -> None:
    assert submitted(title="t" * length).title == "t" * length


@pytest.mark.parametrize("title", ["t" * (TITLE_MIN - 1), "t" * (TITLE_MAX + 1), "", "   "])
def test_title_outside_limits_is_refused(title: str) -> None:
    with pytest.raises(InvalidProposalError) as raised:
        Proposal.submit(title, "", uuid4(), uuid4())
    assert set(raised.value.problems) == {"title"}
    assert f"{TITLE_MIN} to {TITLE_MAX}" in raised.value.problems["title"]


def test_title_length_is_counted_after_stripping() -> None:
    with pytest.raises(InvalidProposalError, match=r"it has 7\)"):
        Proposal.submit("   1234567   ", "", uuid4(), uuid4())


def test_description_may_be_empty_or_at_the_limit() -> None:
    assert submitted(description="").description == ""
    assert len(submitted(description="d" * DESCRIPTION_MAX).description) == DESCRIPTION_MAX


def test_description_over_the_limit_is_refused() -> None:
    with pytest.raises(InvalidProposalError) as raised:
        Proposal.submit("A fine title", "d" * (DESCRIPTION_MAX + 1), uuid4(), uuid4())
    assert set(raised.value.problems) == {"description"}
    assert "5,001" in raised.value.problems["description"]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidProposalError) as raised:
        Proposal.submit("short", "d" * (DESCRIPTION_MAX + 1), uuid4(), uuid4())
    problems = raised.value.problems
    assert set(problems) == {"title", "description"}
    assert str(raised.value) == f"{problems['title']} {problems['description']}"


def test_change_status_records_who_and_the_stripped_answer() -> None:
    proposal, admin = submitted(), uuid4()

    proposal.change_status(Status.PLANNED, admin, "  Next quarter.  ")

    (changed,) = proposal.collect_events()
    assert isinstance(changed, Proposal.StatusChanged)
    assert (changed.status, changed.changed_by, changed.answer) == ("planned", admin,
                                                                     "Next quarter.")
    assert proposal.status == Status.PLANNED.value


def test_a_closed_idea_can_be_reopened() -> None:
    proposal = submitted()
    put_in(proposal, Status.DECLINED)

    proposal.change_status(Status.OPEN, uuid4(), "Reopened: the budget came through.")

    assert proposal.status == Status.OPEN.value
    proposal.check_accepts_votes()


def test_changing_to_the_current_status_is_refused() -> None:
    proposal = submitted()
    with pytest.raises(InvalidStatusChangeError, match="already open"):
        proposal.change_status(Status.OPEN, uuid4(), "")
    assert proposal.collect_events() == []


def test_merging_is_not_a_status_change() -> None:
    proposal = submitted()
    with pytest.raises(InvalidStatusChangeError, match="Merging"):
        proposal.change_status(Status.MERGED, uuid4(), "")
    assert proposal.collect_events() == []
    assert proposal.status == Status.OPEN.value


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES, key=lambda s: s.value))
def test_open_statuses_accept_votes(status: Status) -> None:
    proposal = submitted()
    if status is not Status.OPEN:
        put_in(proposal, status)
    proposal.check_accepts_votes()
    assert status.accepts_votes


@pytest.mark.parametrize("status", CLOSED_STATUSES)
def test_closed_statuses_refuse_votes(status: Status) -> None:
    proposal = submitted()
    put_in(proposal, status)
    with pytest.raises(ProposalClosedError, match=f"This idea is {status.label.lower()}"):
        proposal.check_accepts_votes()
    assert not status.accepts_votes


def test_statuses_are_either_open_or_closed() -> None:
    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) == set(Status)
    assert Status.ALREADY_POSSIBLE.label == "Already possible"


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    proposal = Proposal.submit("Dark mode for the intranet", "", uuid4(), uuid4())
    proposal.change_status(Status.UNDER_REVIEW, uuid4(), "Looking at it.")
    events = proposal.collect_events()

    replayed = None
    for domain_event in events:
        replayed = domain_event.mutate(replayed)

    assert isinstance(replayed, Proposal)
    assert vars(replayed) == vars(proposal)


def test_control_characters_are_refused_but_line_breaks_are_fine() -> None:
    with pytest.raises(InvalidProposalError) as refused:
        Proposal.check_submission("Null\x00 byte title", "bell\x07")
    assert set(refused.value.problems) == {"title", "description"}
    Proposal.check_submission("A normal title", "Line one\nLine two\twith a tab")
