"""Outcomes as owners work on them: drafts prepared from the data, edits, publishing.

The draft's *you said* is counted from the read model (projections/you_said.py) and
kept in the `Drafted` event as it was, so the published outcome says what people
had said when IT answered. Publishing names everyone involved at that moment in the
`Published` event: that list is what a notifier tells, exactly once per outcome.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from domain.outcome import Outcome, Subject
from incubator.application import OutcomeNotFoundError, Written
from projections.campaign_queries import answerers
from projections.notification_queries import followers
from projections.outcome_views import YouSaid
from projections.you_said import (
    involved_in,
    you_said_for_campaign,
    you_said_for_idea,
    you_said_for_theme,
)

if TYPE_CHECKING:
    from incubator.bootstrap import Services


def summary(said: YouSaid, subject: Subject = Subject.IDEA) -> str:
    """The draft's *you said* sentence, which the owner edits before publishing."""
    people = _plural(said.people, "person", "people")
    counts = ", ".join(part for part in (
        _plural(said.ideas, "idea", "ideas") if said.ideas > 1 or subject is Subject.CAMPAIGN
        else "",
        _plural(said.votes, "vote", "votes"),
        _plural(said.comments, "comment", "comments")) if part)
    if subject is Subject.CAMPAIGN:  # the poll's answerers are among the people
        return f"{people} answered in {', '.join(said.categories)}: {counts}."
    return f"{people} asked for this in {', '.join(said.categories)}: {counts}."


def draft_for(services: Services, subject: Subject, subject_id: UUID,
              drafted_by: UUID) -> Written:
    """Draft the outcome of an idea, a theme or a campaign (or find the one already
    drafted)."""
    try:
        return Written(services.app.get_outcome(Outcome.id_for(subject_id)).id, 0)
    except OutcomeNotFoundError:
        pass  # count what people said, then draft
    engine = services.read_model.engine
    said = {Subject.IDEA: you_said_for_idea, Subject.THEME: you_said_for_theme,
            Subject.CAMPAIGN: you_said_for_campaign}[subject](engine, subject_id)
    if said is None:
        raise NothingToAnswerError(f"There is no {subject.value} to answer at this address.")
    return services.app.draft_outcome(subject, subject_id, said.subject_title,
                                      summary(said, subject), said.facts(), drafted_by)


def save_draft(services: Services, outcome_id: UUID, by: UUID, title: str, you_said: str,
               we_did: str, done_on: date | None, links: list[str],
               publish: bool = False) -> Written:
    """Save the owner's edits; with `publish`, publish them in the same transaction."""
    involved = _involved(services, outcome_id) if publish else []

    def change(outcome: Outcome) -> None:
        outcome.edit(by, title, you_said, we_did, done_on, links)
        if publish:
            outcome.publish(by, involved)

    return services.app.change_outcome(outcome_id, change)


def correct(services: Services, outcome_id: UUID, by: UUID, note: str, title: str,
            we_did: str, done_on: date | None, links: list[str]) -> Written:
    return services.app.change_outcome(
        outcome_id, lambda outcome: outcome.correct(by, note, title, we_did, done_on, links))


def withdraw(services: Services, outcome_id: UUID, by: UUID, reason: str) -> Written:
    return services.app.change_outcome(outcome_id,
                                       lambda outcome: outcome.withdraw(by, reason))


def _involved(services: Services, outcome_id: UUID) -> list[UUID]:
    """Who submitted, votes, commented on or follows the ideas the draft answers now
    (for a theme: whose ideas are in it), who follows the outcome's subject, and for a
    campaign, who answered its poll."""
    outcome = services.app.get_outcome(outcome_id)
    ideas = [UUID(p) for p in outcome.facts["proposal_ids"]]
    engine = services.read_model.engine
    people = involved_in(engine, ideas) + followers(engine, [*ideas, outcome.subject_id])
    if outcome.subject_kind == Subject.CAMPAIGN.value:
        people += answerers(engine, outcome.subject_id)
    return sorted(set(people), key=str)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


class NothingToAnswerError(LookupError):
    pass
