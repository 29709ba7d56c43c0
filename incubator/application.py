"""The Incubator application: every command loads aggregates, decides, saves once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from domain.category import Category
from domain.clustering import ClusteringRun
from domain.comment import Comment
from domain.proposal import InvalidProposalError, Proposal, Status
from domain.vote import Vote, VoteStateError
from incubator.group_commit import GroupCommit

A = TypeVar("A", bound=Aggregate)
P = ParamSpec("P")
R = TypeVar("R")

# A lost optimistic-concurrency race is retried from the start (reload, re-decide,
# save) with exponential back-off and full jitter: a fixed wait lost votes in our tests.
_retrying = retry(
    retry=retry_if_exception_type(IntegrityError),
    wait=wait_random_exponential(multiplier=0.002, max=0.1),
    stop=stop_after_attempt(12),
    reraise=True,
)


def retry_on_conflict(command: Callable[P, R]) -> Callable[P, R]:
    """Retry a command that lost a race; if it keeps losing, say so plainly."""
    retrying = _retrying(command)

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return retrying(*args, **kwargs)
        except IntegrityError as conflict:
            raise ConcurrentChangeError(
                "Someone else changed this at the same moment. Please try again."
            ) from conflict

    return run


class Written(NamedTuple):
    """What a command wrote: the aggregate's id and the log position to wait for."""

    id: UUID
    position: int


class Incubator(Application[UUID]):
    name = "Incubator"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.on_recorded: list[Callable[[int], None]] = []
        self._group_commit = GroupCommit(self)

    def create_category(self, slug: str, name: str, description: str) -> Written:
        Category.check_definition(slug, name)
        return self._save(Category(slug, name.strip(), description.strip()))

    def submit_proposal(
        self, title: str, description: str, category_id: UUID | None, author_id: UUID
    ) -> Written:
        """Every problem is reported at once, the category's among them."""
        try:
            Proposal.check_submission(title.strip(), description.strip())
            problems = {}
        except InvalidProposalError as invalid:
            problems = invalid.problems
        if category_id is None or not self._exists(Category, category_id):
            problems["category"] = "Choose one of the categories."
        if problems or category_id is None:
            raise InvalidProposalError(problems)
        return self._save(Proposal.submit(title, description, category_id, author_id))

    @retry_on_conflict
    def cast_vote(self, proposal_id: UUID, member_id: UUID) -> Written:
        """Idempotent: voting twice leaves one vote, whatever the timing."""
        self.get_proposal(proposal_id).check_accepts_votes()
        vote_id = Vote.id_for(proposal_id, member_id)
        try:
            vote: Vote = self.repository.get(vote_id)
        except AggregateNotFoundError:
            return self._save(Vote(proposal_id, member_id))
        try:
            vote.recast()
        except VoteStateError:
            return Written(vote_id, 0)
        return self._save(vote)

    @retry_on_conflict
    def withdraw_vote(self, proposal_id: UUID, member_id: UUID) -> Written:
        """Idempotent: withdrawing a vote that isn't there changes nothing."""
        self.get_proposal(proposal_id).check_accepts_votes()
        vote_id = Vote.id_for(proposal_id, member_id)
        try:
            vote: Vote = self.repository.get(vote_id)
            vote.withdraw()
        except (AggregateNotFoundError, VoteStateError):
            return Written(vote_id, 0)
        return self._save(vote)

    def post_comment(self, proposal_id: UUID, author_id: UUID, text: str) -> Written:
        self.get_proposal(proposal_id)
        return self._save(Comment.post(proposal_id, author_id, text))

    @retry_on_conflict
    def edit_comment(self, comment_id: UUID, editor_id: UUID, text: str) -> Written:
        comment = self.get_comment(comment_id)
        comment.edit(editor_id, text, now=datetime.now(UTC))
        return self._save(comment)

    @retry_on_conflict
    def change_status(
        self, proposal_id: UUID, status: Status, changed_by: UUID, answer: str
    ) -> Written:
        proposal = self.get_proposal(proposal_id)
        proposal.change_status(status, changed_by, answer)
        return self._save(proposal)

    def record_clustering(
        self, model_version: str, parameters: dict[str, Any], themes: list[dict[str, Any]]
    ) -> Written:
        """The model's suggestion, kept as it was; owners decide later."""
        return self._save(ClusteringRun.record(model_version, parameters, themes))

    def get_proposal(self, proposal_id: UUID) -> Proposal:
        return self._get(Proposal, proposal_id, ProposalNotFoundError)

    def get_comment(self, comment_id: UUID) -> Comment:
        return self._get(Comment, comment_id, CommentNotFoundError)

    def _get(self, kind: type[A], aggregate_id: UUID, error: type[Exception]) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise error(aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise error(aggregate_id)
        return aggregate

    def _exists(self, kind: type[Aggregate], aggregate_id: UUID) -> bool:
        try:
            return isinstance(self.repository.get(aggregate_id), kind)
        except AggregateNotFoundError:
            return False

    def _save(self, aggregate: Aggregate) -> Written:
        # Concurrent commands share one transaction. Saved as events: this app has
        # no snapshots or aggregate cache, which would need the aggregates.
        recordings = self._group_commit.save(aggregate.collect_events())
        position = recordings[-1].notification.id if recordings else 0
        for listener in self.on_recorded:
            listener(position)
        return Written(aggregate.id, position)


class ProposalNotFoundError(LookupError):
    pass


class ConcurrentChangeError(Exception):
    pass


class CommentNotFoundError(LookupError):
    pass


