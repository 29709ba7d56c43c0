"""The Incubator application: every command loads aggregates, decides, saves once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Transcoder
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from domain.campaign import Campaign, InvalidCampaignError, PollAnswer
from domain.category import Category, InvalidCategoryError
from domain.clustering import ClusteringRequest, ClusteringRun, ThemeAssignment
from domain.comment import Comment
from domain.follow import Follow, FollowError
from domain.member import Member, MemberError, Role
from domain.moderation import ContentKind, Moderation
from domain.notification_preferences import NotificationPreferences
from domain.outcome import Outcome, Subject
from domain.proposal import InvalidProposalError, MergeError, Proposal, Status
from domain.theme import Theme, ThemeDecisionError
from domain.vote import Vote, VoteStateError
from incubator.group_commit import GroupCommit
from incubator.transcoding import EventTranscoder

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


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's `project_aggregate` without its `isinstance` check of each event
    against a runtime-checkable Protocol: ~40 us an event, 3 % of a vote's server time.
    Every event here is an `Aggregate` event, which has `mutate`."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


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
        # What can be followed: kind -> a check that raises when the target is missing.
        # Campaigns (or anything else) plug in with their own kind.
        self.followable: dict[str, Callable[[UUID], object]] = {
            "idea": self.get_proposal, "campaign": self.get_campaign}

    def construct_transcoder(self) -> Transcoder:
        """The library's encoding, decoded faster (see incubator/transcoding.py)."""
        transcoder = EventTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def create_category(self, slug: str, name: str, description: str) -> Written:
        """A second category with the same slug is refused (InvalidCategoryError)."""
        Category.check_definition(slug, name, description)
        if self._exists(Category, Category.id_for(slug)):
            raise InvalidCategoryError(f"There is already a category {slug!r}.")
        try:
            return self._save(Category(slug, name.strip(), description.strip()))
        except IntegrityError as lost:  # created meanwhile, by another request
            raise InvalidCategoryError(f"There is already a category {slug!r}.") from lost

    @retry_on_conflict
    def change_category(self, category_id: UUID, name: str, description: str,
                        changed_by: UUID) -> Written:
        Category.check_naming(name, description)
        try:
            category: Aggregate = self._load(category_id)
        except AggregateNotFoundError as missing:
            raise CategoryNotFoundError(category_id) from missing
        if not isinstance(category, Category):
            raise CategoryNotFoundError(category_id)
        category.change(name.strip(), description.strip(), changed_by)
        return self._save(category)

    def submit_proposal(
        self, title: str, description: str, category_id: UUID | None, author_id: UUID,
        campaign_id: UUID | None = None,
    ) -> Written:
        """Every problem is reported at once, the category's among them. Under a
        campaign, the idea goes into the campaign's category, while it is open."""
        try:
            Proposal.check_submission(title.strip(), description.strip())
            problems = {}
        except InvalidProposalError as invalid:
            problems = invalid.problems
        if campaign_id is not None:
            campaign = self.get_campaign(campaign_id)
            campaign.check_open(datetime.now(UTC))
            category_id = campaign.category_id
        if category_id is None or not self._exists(Category, category_id):
            problems["category"] = "Choose one of the categories."
        if problems or category_id is None:
            raise InvalidProposalError(problems)
        return self._save(Proposal.submit(title, description, category_id, author_id,
                                          campaign_id))

    @retry_on_conflict
    def cast_vote(self, proposal_id: UUID, member_id: UUID) -> Written:
        """Idempotent: voting twice leaves one vote, whatever the timing."""
        self._check_accepts_votes(self.get_proposal(proposal_id))
        vote_id = Vote.id_for(proposal_id, member_id)
        try:
            vote: Vote = self._load(vote_id)
        except AggregateNotFoundError:
            return self._save(Vote(proposal_id, member_id))
        try:
            vote.recast()
        except VoteStateError:
            return Written(vote_id, 0)
        return self._save(vote)

    @retry_on_conflict
    def withdraw_vote(self, proposal_id: UUID, member_id: UUID) -> Written:
        """Idempotent: withdrawing a vote that isn't there changes nothing. On an idea
        that absorbed duplicates, the member's votes on those are withdrawn too (they
        count here: see projections/merges.py), in one transaction."""
        proposal = self.get_proposal(proposal_id)
        self._check_accepts_votes(proposal)
        vote_id = Vote.id_for(proposal_id, member_id)
        withdrawn = []
        for idea_id in self._merge_tree(proposal):
            try:
                vote: Vote = self._load(Vote.id_for(idea_id, member_id))
                vote.withdraw()
            except (AggregateNotFoundError, VoteStateError):
                continue
            withdrawn.append(vote)
        if not withdrawn:
            return Written(vote_id, 0)
        return self._save_all(vote_id, *withdrawn)

    def _check_accepts_votes(self, proposal: Proposal) -> None:
        """The idea's own status, and its campaign's: a closed campaign's results stay
        as they were when it closed (CampaignClosedError)."""
        proposal.check_accepts_votes()
        if proposal.campaign_id is not None:
            self.get_campaign(proposal.campaign_id).check_open(datetime.now(UTC))

    def post_comment(self, proposal_id: UUID, author_id: UUID, text: str) -> Written:
        self.get_proposal(proposal_id).check_accepts_comments()
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

    def suggest_theme(self, run_id: UUID, proposal_id: UUID, theme_id: UUID | None,
                      similarity: float, model_version: str) -> Written:
        """The model placing a new idea (or not: `theme_id` None); once per run and
        idea, so a second suggestion writes nothing (position 0)."""
        try:
            return self._save(ThemeAssignment(run_id, proposal_id, theme_id, similarity,
                                              model_version))
        except IntegrityError:
            return Written(ThemeAssignment.create_id(run_id, proposal_id), 0)

    def request_clustering(self, requested_by: UUID, granularity: float = 1.0) -> Written:
        """An owner asks for a full re-run; the theme job picks it up."""
        return self._save(ClusteringRequest.request(requested_by, granularity))

    def register_member(self, issuer: str, subject: str) -> Written:
        """Idempotent and race-free: the id is derived from (issuer, subject), so a
        second registration, even from another process, finds or loses to the first
        (position 0 then: nothing new was written here)."""
        member_id = Member.id_for(issuer, subject)
        if self._exists(Member, member_id):
            return Written(member_id, 0)
        try:
            return self._save(Member.register(issuer, subject))
        except IntegrityError:
            return Written(member_id, 0)

    @retry_on_conflict
    def grant_role(self, member_id: UUID, role: Role, category_id: UUID | None,
                   granted_by: UUID) -> Written:
        member = self.get_member(member_id)
        if category_id is not None and not self._exists(Category, category_id):
            raise MemberError("Choose one of the categories.")
        if not member.grant(role, category_id, granted_by):
            return Written(member_id, 0)
        return self._save(member)

    @retry_on_conflict
    def revoke_role(self, member_id: UUID, role: Role, category_id: UUID | None,
                    revoked_by: UUID) -> Written:
        if role is Role.ADMIN and member_id == revoked_by:
            raise MemberError("You cannot revoke your own admin role: ask another admin.")
        member = self.get_member(member_id)
        if not member.revoke(role, category_id, revoked_by):
            return Written(member_id, 0)
        return self._save(member)

    @retry_on_conflict
    def disable_member(self, member_id: UUID, disabled_by: UUID) -> Written:
        if member_id == disabled_by:
            raise MemberError("You cannot disable yourself.")
        member = self.get_member(member_id)
        return self._save(member) if member.disable(disabled_by) else Written(member_id, 0)

    @retry_on_conflict
    def enable_member(self, member_id: UUID, enabled_by: UUID) -> Written:
        member = self.get_member(member_id)
        return self._save(member) if member.enable(enabled_by) else Written(member_id, 0)

    @retry_on_conflict
    def forget_member(self, member_id: UUID, forgotten_by: UUID) -> Written:
        member = self.get_member(member_id)
        return self._save(member) if member.forget(forgotten_by) else Written(member_id, 0)

    @retry_on_conflict
    def follow(self, target_kind: str, target_id: UUID, member_id: UUID,
               following: bool = True) -> Written:
        """Follow or unfollow; idempotent, whatever the timing (the id is derived)."""
        check = self.followable.get(target_kind)
        if check is None:
            raise FollowError(f"{target_kind[:40]!r} is not something one can follow.")
        check(target_id)
        follow_id = Follow.id_for(target_kind, target_id, member_id)
        try:
            follow: Follow = self.repository.get(follow_id)
        except AggregateNotFoundError:
            return self._save(Follow.choose(target_kind, target_id, member_id, following))
        return self._save(follow) if follow.change(following) else Written(follow_id, 0)

    @retry_on_conflict
    def choose_notifications(self, member_id: UUID, channels: dict[str, str],
                             digest: bool) -> Written:
        """A member's notification preferences (PreferencesError for unknown values)."""
        prefs_id = NotificationPreferences.id_for(member_id)
        try:
            prefs: NotificationPreferences = self.repository.get(prefs_id)
        except AggregateNotFoundError:
            return self._save(NotificationPreferences.choose(member_id, channels, digest))
        return self._save(prefs) if prefs.change(channels, digest) else Written(prefs_id, 0)

    def get_member(self, member_id: UUID) -> Member:
        return self._get(Member, member_id, MemberNotFoundError)

    def get_proposal(self, proposal_id: UUID) -> Proposal:
        return self._get(Proposal, proposal_id, ProposalNotFoundError)

    def get_comment(self, comment_id: UUID) -> Comment:
        return self._get(Comment, comment_id, CommentNotFoundError)

    def _get(self, kind: type[A], aggregate_id: UUID, error: type[Exception]) -> A:
        try:
            aggregate: Aggregate = self._load(aggregate_id)
        except AggregateNotFoundError:
            raise error(aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise error(aggregate_id)
        return aggregate

    def _load(self, aggregate_id: UUID) -> Any:
        return self.repository.get(aggregate_id, projector_func=_project)

    def _exists(self, kind: type[Aggregate], aggregate_id: UUID) -> bool:
        try:
            return isinstance(self._load(aggregate_id), kind)
        except AggregateNotFoundError:
            return False

    def _save(self, aggregate: Aggregate) -> Written:
        return self._save_all(aggregate.id, aggregate)

    def _save_all(self, main_id: UUID, *aggregates: Aggregate) -> Written:
        """Save several aggregates' events in ONE transaction. Concurrent commands
        share one transaction (group commit). Saved as events: this app has no
        snapshots or aggregate cache, which would need the aggregates."""
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        recordings = self._group_commit.save(events)
        position = recordings[-1].notification.id if recordings else 0
        for listener in self.on_recorded:
            listener(position)
        return Written(main_id, position)

    # ---- Triage: owners' and admins' decisions (merges, moderation, themes) ----------
    # Each takes the acting member's id; who may act is the web layer's check, the
    # rules of the decision itself are the domain's.

    @retry_on_conflict
    def merge_proposals(self, duplicate_id: UUID, canonical_id: UUID, merged_by: UUID,
                        reason: str) -> Written:
        """Merge a duplicate into a canonical idea: both record it in one transaction,
        so a concurrent merge or status change on either idea is retried or refused."""
        duplicate = self.get_proposal(duplicate_id)
        canonical = self.get_proposal(canonical_id)
        duplicate.merge_into(canonical, merged_by, reason)
        return self._save_all(duplicate_id, duplicate, canonical)

    @retry_on_conflict
    def undo_merge(self, duplicate_id: UUID, undone_by: UUID, reason: str) -> Written:
        duplicate = self.get_proposal(duplicate_id)
        if duplicate.merged_into is None:
            raise MergeError("This idea is not merged.")
        canonical = self.get_proposal(duplicate.merged_into)
        duplicate.undo_merge(canonical, undone_by, reason)
        return self._save_all(duplicate_id, duplicate, canonical)

    def _merge_tree(self, proposal: Proposal) -> list[UUID]:
        """The idea and every idea merged into it, at any depth."""
        tree, frontier = [proposal.id], list(proposal.duplicates)
        while frontier:
            tree.extend(frontier)
            frontier = [d for idea in frontier for d in self.get_proposal(idea).duplicates]
        return tree

    @retry_on_conflict
    def report_content(self, target_id: UUID, reporter_id: UUID, reason: str) -> Written:
        """Report an idea or a comment to the admins."""
        case = self._moderation(target_id)
        case.report(reporter_id, reason)
        return self._save(case)

    @retry_on_conflict
    def hide_content(self, target_id: UUID, decided_by: UUID, reason: str) -> Written:
        case = self._moderation(target_id)
        case.hide(decided_by, reason)
        return self._save(case)

    @retry_on_conflict
    def restore_content(self, target_id: UUID, decided_by: UUID, reason: str) -> Written:
        case = self._moderation(target_id)
        case.restore(decided_by, reason)
        return self._save(case)

    @retry_on_conflict
    def dismiss_reports(self, target_id: UUID, decided_by: UUID, reason: str) -> Written:
        case = self._moderation(target_id)
        case.dismiss(decided_by, reason)
        return self._save(case)

    def _moderation(self, target_id: UUID) -> Moderation:
        """The item's moderation case, opened (unsaved) on its first report or decision."""
        try:
            case: Moderation = self._load(Moderation.id_for(target_id))
            return case
        except AggregateNotFoundError:
            pass
        try:
            target: Aggregate = self._load(target_id)
        except AggregateNotFoundError:
            raise ContentNotFoundError(target_id) from None
        if isinstance(target, Proposal):
            return Moderation(target_id, ContentKind.IDEA.value, target.id, target.author_id)
        if isinstance(target, Comment):
            return Moderation(target_id, ContentKind.COMMENT.value, target.proposal_id,
                              target.author_id)
        raise ContentNotFoundError(target_id)

    @retry_on_conflict
    def confirm_theme(self, theme_id: UUID, confirmed_by: UUID, label: str,
                      proposal_ids: list[UUID]) -> Written:
        """Confirm the theme as the owner saw it: its label and its ideas stay."""
        theme = self._theme(theme_id)
        theme.confirm(confirmed_by, label, proposal_ids)
        return self._save(theme)

    @retry_on_conflict
    def rename_theme(self, theme_id: UUID, renamed_by: UUID, label: str) -> Written:
        theme = self._theme(theme_id)
        theme.rename(renamed_by, label)
        return self._save(theme)

    @retry_on_conflict
    def move_suggestion(self, proposal_id: UUID, from_theme_id: UUID | None,
                        to_theme_id: UUID | None, moved_by: UUID, note: str = "") -> Written:
        """Move an idea out of a theme (`to_theme_id` None) or into another."""
        self.get_proposal(proposal_id)
        if to_theme_id is None:
            if from_theme_id is None:
                raise ThemeDecisionError("Say which theme the idea leaves or joins.")
            theme = self._theme(from_theme_id)
            theme.move_out(proposal_id, moved_by, note)
        else:
            theme = self._theme(to_theme_id)
            theme.move_in(proposal_id, from_theme_id, moved_by, note)
        return self._save(theme)

    def _theme(self, theme_id: UUID) -> Theme:
        try:
            theme: Theme = self._load(theme_id)
        except AggregateNotFoundError:
            return Theme.adopt(theme_id)
        if not isinstance(theme, Theme):
            raise ThemeDecisionError("That is not a theme.")
        return theme

    # ---- Campaigns: IT asks a question (web/campaigns.py, incubator/campaigns.py) ----

    def open_campaign(self, question: str, description: str, category_id: UUID,
                      deadline: datetime | None, poll_question: str, poll_options: list[str],
                      opened_by: UUID) -> Written:
        """Every problem is reported at once, the category's among them."""
        problems = {}
        if not self._exists(Category, category_id):
            problems["category"] = "Choose one of the categories."
        try:
            campaign = Campaign.open(question, description, category_id, deadline,
                                     poll_question, poll_options, opened_by, datetime.now(UTC))
        except InvalidCampaignError as invalid:
            raise InvalidCampaignError({**invalid.problems, **problems}) from None
        if problems:
            raise InvalidCampaignError(problems)
        return self._save(campaign)

    @retry_on_conflict
    def answer_poll(self, campaign_id: UUID, member_id: UUID, option: int) -> Written:
        """One answer per member, whatever the timing (the answer's id is derived from
        campaign and member); a member may change it while the campaign is open."""
        campaign = self.get_campaign(campaign_id)
        campaign.check_open(datetime.now(UTC))
        campaign.check_option(option)
        answer_id = PollAnswer.id_for(campaign_id, member_id)
        try:
            answer: PollAnswer = self.repository.get(answer_id)
        except AggregateNotFoundError:
            return self._save(PollAnswer(campaign_id, member_id, option))
        return self._save(answer) if answer.change(option) else Written(answer_id, 0)

    @retry_on_conflict
    def close_campaign(self, campaign_id: UUID, closed_by: UUID, note: str) -> Written:
        campaign = self.get_campaign(campaign_id)
        campaign.close(closed_by, note)
        return self._save(campaign)

    @retry_on_conflict
    def close_campaign_at_deadline(self, campaign_id: UUID, now: datetime) -> Written:
        """The deadline job's command: recorded as the system's close."""
        campaign = self.get_campaign(campaign_id)
        campaign.close_at_deadline(now)
        return self._save(campaign)

    def get_campaign(self, campaign_id: UUID) -> Campaign:
        return self._get(Campaign, campaign_id, CampaignNotFoundError)

    # ---- Outcomes: "you said, we did" (drafts are prepared in incubator/outcomes.py) --

    def draft_outcome(self, subject: Subject, subject_id: UUID, title: str, you_said: str,
                      facts: dict[str, Any], drafted_by: UUID) -> Written:
        """Idempotent: an idea or theme has one outcome (its id is derived from the
        subject), so a second draft, even a concurrent one, finds the first."""
        outcome_id = Outcome.id_for(subject_id)
        if self._exists(Outcome, outcome_id):
            return Written(outcome_id, 0)
        try:
            return self._save(Outcome.draft(subject, subject_id, title, you_said, facts,
                                            drafted_by))
        except IntegrityError:
            return Written(outcome_id, 0)

    @retry_on_conflict
    def change_outcome(self, outcome_id: UUID, change: Callable[[Outcome], None]) -> Written:
        """Load the outcome, apply `change` (its edit, publish, correct or withdraw
        with their arguments), save: one transaction for all it records."""
        outcome = self.get_outcome(outcome_id)
        change(outcome)
        return self._save(outcome)

    def get_outcome(self, outcome_id: UUID) -> Outcome:
        return self._get(Outcome, outcome_id, OutcomeNotFoundError)


class ProposalNotFoundError(LookupError):
    pass


class ConcurrentChangeError(Exception):
    pass


class CommentNotFoundError(LookupError):
    pass


class ContentNotFoundError(LookupError):
    """Neither an idea nor a comment has this id."""


class MemberNotFoundError(LookupError):
    pass



class OutcomeNotFoundError(LookupError):
    pass


class CategoryNotFoundError(LookupError):
    pass


class CampaignNotFoundError(LookupError):
    pass
