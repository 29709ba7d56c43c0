"""Merging duplicates, read back through the ReadModel on each backend.

The runner does not follow in the background: each test applies the log with
`catch_up()` (or a runner of its own batch size), so what the projection sees is
deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError

from domain.proposal import MergeError, ProposalClosedError, Status
from domain.vote import Vote
from incubator.bootstrap import Services, bootstrap
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from projections.board import BoardProjection
from projections.schema import empty_projected_tables
from tests.helpers import category, event_names, submit

OWNER = uuid4()


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def counts(services: Services, *ideas: UUID) -> list[tuple[int, int]]:
    """(votes, comments) of each idea as the idea page shows them."""
    services.runner.catch_up()
    tallies = []
    for idea_id in ideas:
        detail = services.read_model.proposal(idea_id)
        assert detail is not None
        tallies.append((detail.votes, detail.comments))
    return tallies


def vote(services: Services, idea_id: UUID, *members: UUID) -> None:
    for member_id in members:
        services.app.cast_vote(idea_id, member_id)


def test_every_voter_keeps_exactly_one_vote_and_undo_restores_the_counts(
        board: Services) -> None:
    app, desk = board.app, category(board)
    canonical, duplicate = submit(board, desk), submit(board, desk)
    both, only_canonical, only_duplicate = uuid4(), uuid4(), uuid4()
    vote(board, canonical, both, only_canonical)
    vote(board, duplicate, both, only_duplicate)
    app.post_comment(canonical, both, "On the canonical idea.")
    app.post_comment(duplicate, only_duplicate, "On the duplicate.")
    assert counts(board, canonical, duplicate) == [(2, 1), (2, 1)]
    events_before = len(event_names(board))

    app.merge_proposals(duplicate, canonical, OWNER, "Same request.")

    assert counts(board, canonical, duplicate) == [(3, 2), (0, 0)]
    assert event_names(board)[events_before:] == [
        "Proposal.MergedInto", "Proposal.DuplicateMerged"]  # no vote was rewritten
    read = board.read_model
    assert [c.text for c in read.comments(canonical)] == [
        "On the canonical idea.", "On the duplicate."]
    assert read.comments(duplicate) == ()
    assert read.has_voted(canonical, only_duplicate)
    assert not read.has_voted(duplicate, only_duplicate)
    assert read.voted_among(only_duplicate, [canonical, duplicate]) == {canonical}
    merged = read.merge_of(duplicate)
    assert merged is not None
    assert (merged.canonical_id, merged.reason) == (canonical, "Same request.")
    detail = read.proposal(duplicate)
    assert detail is not None and detail.status is Status.MERGED
    assert [m.duplicate_id for m in read.duplicates_of(canonical)] == [duplicate]
    with pytest.raises(ProposalClosedError, match="merged"):
        app.cast_vote(duplicate, uuid4())
    with pytest.raises(ProposalClosedError, match="merged"):
        app.post_comment(duplicate, uuid4(), "Hello?")

    app.undo_merge(duplicate, OWNER, "Different after all.")

    assert counts(board, canonical, duplicate) == [(2, 1), (2, 1)]
    detail = read.proposal(duplicate)
    assert detail is not None and detail.status is Status.OPEN
    assert read.merge_of(duplicate) is None and read.duplicates_of(canonical) == ()
    assert [c.text for c in read.comments(duplicate)] == ["On the duplicate."]
    assert not read.has_voted(canonical, only_duplicate)
    assert [e.kind for e in read.history(duplicate)][-2:] == ["merged_into", "merge_undone"]
    assert [e.kind for e in read.history(canonical)][-2:] == [
        "duplicate_merged", "duplicate_unmerged"]


def test_withdrawing_on_the_canonical_idea_withdraws_the_duplicate_vote(
        board: Services) -> None:
    desk = category(board)
    canonical, duplicate, member = submit(board, desk), submit(board, desk), uuid4()
    vote(board, duplicate, member)
    board.app.merge_proposals(duplicate, canonical, OWNER, "Same.")
    assert counts(board, canonical) == [(1, 0)]

    board.app.withdraw_vote(canonical, member)

    assert counts(board, canonical) == [(0, 0)]
    assert not board.read_model.has_voted(canonical, member)
    board.app.undo_merge(duplicate, OWNER, "Oops.")
    assert counts(board, duplicate) == [(0, 0)]  # the withdrawal was the member's own


def test_a_vote_that_lands_on_the_duplicate_after_the_merge_counts_once(
        board: Services) -> None:
    """A vote command that checked the duplicate just before the merge committed
    still saves its vote: it counts on the canonical idea, once per member."""
    desk = category(board)
    canonical, duplicate, already, late = (submit(board, desk), submit(board, desk),
                                           uuid4(), uuid4())
    vote(board, canonical, already)
    board.app.merge_proposals(duplicate, canonical, OWNER, "Same.")
    board.app.save(Vote(duplicate, already), Vote(duplicate, late))  # the race's losers

    assert counts(board, canonical, duplicate) == [(2, 0), (0, 0)]
    board.app.undo_merge(duplicate, OWNER, "Oops.")
    assert counts(board, canonical, duplicate) == [(1, 0), (2, 0)]


def test_votes_racing_a_merge_are_each_counted_once(board: Services) -> None:
    desk = category(board)
    canonical, duplicate = submit(board, desk), submit(board, desk)
    members = [uuid4() for _ in range(40)]
    vote(board, canonical, *members[:10])

    def cast(member_id: UUID) -> None:
        # Refused after the merge: the member votes on the canonical idea instead.
        with suppress(ProposalClosedError):
            board.app.cast_vote(duplicate, member_id)

    with ThreadPoolExecutor(4) as pool:  # members 5-9 vote for both ideas
        voting = [pool.submit(cast, m) for m in members[5:]]
        board.app.merge_proposals(duplicate, canonical, OWNER, "Same.")
        for done in voting:
            done.result()

    on_duplicate = {m for m in members[5:] if _has_vote(board, duplicate, m)}
    assert counts(board, canonical) == [(len(set(members[:10]) | on_duplicate), 0)]
    board.app.undo_merge(duplicate, OWNER, "Oops.")
    assert counts(board, canonical, duplicate) == [(10, 0), (len(on_duplicate), 0)]


def _has_vote(services: Services, idea_id: UUID, member_id: UUID) -> bool:
    try:
        services.app.repository.get(Vote.id_for(idea_id, member_id))
    except AggregateNotFoundError:
        return False
    return True


def test_merge_chains_count_at_the_root(board: Services) -> None:
    desk = category(board)
    first, second, third = (submit(board, desk) for _ in range(3))
    a, b, c = uuid4(), uuid4(), uuid4()
    vote(board, first, a, b)
    vote(board, second, b, c)
    vote(board, third, c)
    board.app.merge_proposals(first, second, OWNER, "Same.")
    board.app.merge_proposals(second, third, OWNER, "Same again.")
    assert counts(board, first, second, third) == [(0, 0), (0, 0), (3, 0)]
    assert board.read_model.has_voted(third, a)

    board.app.undo_merge(second, OWNER, "Not the same.")

    assert counts(board, first, second, third) == [(0, 0), (3, 0), (1, 0)]
    board.app.withdraw_vote(second, a)  # through both levels of the tree
    assert counts(board, second) == [(2, 0)]


def test_merge_rules_hold_in_the_application(board: Services) -> None:
    desk = category(board)
    first, second, third = (submit(board, desk) for _ in range(3))
    with pytest.raises(MergeError, match="itself"):
        board.app.merge_proposals(first, first, OWNER, "Same.")
    board.app.merge_proposals(first, second, OWNER, "Same.")
    with pytest.raises(MergeError, match="itself merged"):
        board.app.merge_proposals(third, first, OWNER, "Same.")
    with pytest.raises(MergeError, match="already merged"):
        board.app.merge_proposals(first, third, OWNER, "Same.")
    with pytest.raises(MergeError, match="not merged"):
        board.app.undo_merge(third, OWNER, "Oops.")


@pytest.mark.parametrize("batch_size", [1, 3, 1_000])
def test_counts_do_not_depend_on_how_the_log_is_paged(board: Services, batch_size: int) -> None:
    desk = category(board)
    canonical, duplicate = submit(board, desk), submit(board, desk)
    members = [uuid4() for _ in range(4)]
    vote(board, canonical, *members[:2])
    vote(board, duplicate, *members[1:])
    board.app.merge_proposals(duplicate, canonical, OWNER, "Same.")
    board.app.save(Vote(duplicate, uuid4()))
    board.app.withdraw_vote(canonical, members[1])
    board.app.undo_merge(duplicate, OWNER, "Oops.")
    board.app.merge_proposals(duplicate, canonical, OWNER, "Same after all.")
    live = counts(board, canonical, duplicate)
    assert live == [(4, 0), (0, 0)]

    empty_projected_tables(board.writer, "board")
    ProjectionRunner(board.app, board.writer, BoardProjection(), batch_size=batch_size).catch_up()

    assert counts(board, canonical, duplicate) == live


def test_two_owners_merging_two_ideas_into_each_other_make_one_merge(board: Services) -> None:
    desk = category(board)
    first, second = submit(board, desk), submit(board, desk)

    def merge(duplicate: UUID, canonical: UUID) -> str:
        try:
            board.app.merge_proposals(duplicate, canonical, uuid4(), "Same.")
        except MergeError as refused:
            return str(refused)
        return "merged"

    for _ in range(5):  # the race goes either way; never both, never a cycle
        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(lambda pair: merge(*pair),
                                       [(first, second), (second, first)]))
        assert outcomes[1] == "merged" and "merged" in outcomes[0] and outcomes[0] != "merged"
        merged = [i for i in (first, second) if board.app.get_proposal(i).merged_into]
        assert len(merged) == 1
        board.app.undo_merge(merged[0], OWNER, "Again.")
    assert counts(board, first, second) == [(0, 0), (0, 0)]
