"""The demo's closed loop: answered and declined ideas, and "you said, we did" outcomes
for ideas and for the biggest themes, one of them corrected, so a newcomer sees on
/outcomes what happened to what people asked."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from domain.outcome import Subject
from domain.proposal import Status, allowed_transitions
from incubator import outcomes
from projections.views import ProposalCard

if TYPE_CHECKING:
    from incubator.bootstrap import Services
    from incubator.demo_clock import DemoClock

LINK = "https://intranet.example.org/it/news"

# (idea title, status, public answer, outcome headline, we did, days ago)
IDEA_OUTCOMES: tuple[tuple[str, Status, str, str, str, int], ...] = (
    ("Add a 'forgot password' link to the sign-in page", Status.DONE,
     "Done: the sign-in page now has a 'Forgot password?' link.",
     "Self-service password reset is live",
     "The sign-in page has a 'Forgot password?' link: confirm with the authenticator app and "
     "choose a new password, no phone call needed. Calls about lockouts fell by a third.", 2),
    ("Printer names make no sense", Status.DONE,
     "Done: every printer is now named by floor and place.",
     "Printers are named by floor and place",
     "All 38 printers were renamed ('3rd floor kitchen', 'Post room'), and the old names "
     "still work until the end of the quarter.", 9),
    ("Let staff buy their old laptop when it's replaced", Status.DECLINED,
     "We can't: the laptops are leased and go back to the supplier, who wipes and "
     "recycles them. We've asked for a buy-back option at the next contract renewal.",
     "Why old laptops can't be sold to staff",
     "We checked with finance and the supplier: leased laptops must be returned. The "
     "buy-back option is now on the list for the contract renewal next spring.", 20),
    ("Make the annual security training shorter", Status.ALREADY_POSSIBLE,
     "Already possible: the training has a 'test out' option. Pass the quiz at the start "
     "(10 minutes) and the modules you know are skipped.",
     "Security training: test out in 10 minutes",
     "We made the 'test out' quiz the first screen of the training and said so in the "
     "invitation e-mail, so people who know the material finish in ten minutes.", 35),
)

THEME_WE_DID = (
    "We read every suggestion in this theme together, grouped them into a plan and "
    "delivered the first part: the changes are live in every office and described on "
    "the IT news page.")


def seed_outcomes(services: Services, it_staff: list[UUID], clock: DemoClock) -> None:
    """Call after the ideas, votes, comments and the clustering run are projected.
    Each answer and outcome is dated a little before the day it says it was done."""
    admin = it_staff[0]
    by_title = {card.title: card.id for card in _all_cards(services)}
    for title, status, answer, headline, we_did, days in IDEA_OUTCOMES:
        idea = by_title[title]
        done_on = clock.now - timedelta(days=days)
        answered = max(services.app.get_proposal(idea).modified_on + timedelta(hours=2),
                       done_on - timedelta(days=2))
        clock.set(answered)
        _decide(services, idea, status, answer, admin)
        clock.set(answered + timedelta(hours=1))
        drafted = outcomes.draft_for(services, Subject.IDEA, idea, admin).id
        clock.set(max(done_on, answered + timedelta(hours=2)))
        outcomes.save_draft(services, drafted, admin, headline,
                            services.app.get_outcome(drafted).you_said, we_did,
                            done_on.date(), [LINK], publish=True)
    for n, theme in enumerate(services.read_model.themes()[:2]):
        done_on = clock.days_ago(5 + n)
        drafted = outcomes.draft_for(services, Subject.THEME, theme.id, admin).id
        outcome = services.app.get_outcome(drafted)
        outcomes.save_draft(services, drafted, admin, f"{theme.label}: what we changed",
                            outcome.you_said, THEME_WE_DID, done_on.date(),
                            [LINK], publish=True)
        if n == 0:
            clock.days_ago(1)
            outcomes.correct(services, drafted, admin, "The date was a week off.",
                             f"{theme.label}: what we changed", THEME_WE_DID,
                             (clock.now - timedelta(days=12)).date(), [LINK])
    clock.set(clock.now)
    last = services.read_model.themes()[2:3]
    if last:  # one draft waits for its owner: visible to owners and admins only
        outcomes.draft_for(services, Subject.THEME, last[0].id, admin)


def _decide(services: Services, idea: UUID, status: Status, answer: str,
            admin: UUID) -> None:
    current = Status(services.app.get_proposal(idea).status)
    if current is status:
        return
    if status not in allowed_transitions(current):
        services.app.change_status(idea, Status.UNDER_REVIEW, admin,
                                   "Reopened: we are looking at this again.")
    services.app.change_status(idea, status, admin, answer)


def _all_cards(services: Services) -> list[ProposalCard]:
    first = services.read_model.board(sort="new")
    cards = list(first.cards)
    for page in range(2, first.pages + 1):
        cards += services.read_model.board(sort="new", page=page).cards
    return cards
