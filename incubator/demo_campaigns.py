"""The demo's campaigns: one open (with a deadline ahead, a poll, ideas and votes) and
one closed by its owner, whose results wait on its page for an outcome."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

if TYPE_CHECKING:
    from incubator.bootstrap import Services
    from incubator.demo_clock import DemoClock


class DemoCampaign(NamedTuple):
    question: str
    description: str
    category: str  # slug
    days_left: int | None  # None: closed by its owner
    poll_question: str
    options: tuple[str, ...]
    weights: tuple[int, ...]  # how the demo members lean
    ideas: tuple[str, ...]


CLOSED = DemoCampaign(
    "We are thinking of changing service desk hours: what would work for you?",
    "The service desk is staffed 8:30 to 17:00 today. Before we change the rota we want to "
    "know when you actually need us, and what else would help outside those hours.",
    "service-desk", None, "Which service desk hours would work for you?",
    ("7:00-19:00 with fewer people at the edges", "8:00-18:00", "Keep 8:30-17:00",
     "8:30-17:00, plus a chat line until 20:00"), (5, 8, 1, 4),
    ("Open the service desk at 7:30 for early shifts",
     "A chat line in the evening instead of longer phone hours",
     "Publish the desk hours on the intranet front page",
     "Let people book a call-back slot after hours"))

OPEN = DemoCampaign(
    "How should laptop replacement work from next year?",
    "Laptops are replaced every four years whatever their state. We could replace them on "
    "a schedule, when they slow you down, or let you choose the model. Tell us what works.",
    "laptops", 10, "How often should laptops be replaced?",
    ("Every 3 years", "Every 4 years, as now", "When it gets slow, whatever its age"),
    (4, 2, 6),
    ("Let staff choose between two laptop models",
     "Swap the battery instead of the whole laptop",
     "Collect the old laptop on the day the new one arrives"))


def seed_campaigns(services: Services, members: list[UUID], categories: dict[str, UUID],
                   admin: UUID, rng: random.Random, clock: DemoClock) -> None:
    """Call before the clustering run, so the closed campaign's ideas have themes. The
    closed one ran for a month and ended two weeks ago; the open one began 12 days ago."""
    for demo, (began, lasted) in ((CLOSED, (45, 30)), (OPEN, (12, 12))):
        _seed(services, demo, members, categories[demo.category], admin, rng,
              _Dates(clock, began, lasted))


class _Dates:
    """Moves the demo clock to a moment `lasted` days long from `began` days ago."""

    def __init__(self, clock: DemoClock, began: float, lasted: float) -> None:
        self.clock, self.start, self.lasted = clock, clock.now - timedelta(days=began), lasted
        self.when = random.Random(began)  # noqa: S311 -- demo dates, not security  # nosec B311

    def opening(self) -> None:
        self.clock.set(self.start)

    def during(self) -> None:
        self.clock.set(self.start + timedelta(days=self.when.uniform(0.1, self.lasted)))

    def closing(self) -> None:
        self.clock.set(self.start + timedelta(days=self.lasted))


def _seed(services: Services, demo: DemoCampaign, members: list[UUID], category: UUID,
          admin: UUID, rng: random.Random, dates: _Dates) -> None:
    app = services.app
    dates.opening()
    deadline = (None if demo.days_left is None
                else datetime.now(UTC) + timedelta(days=demo.days_left))
    campaign = app.open_campaign(demo.question, demo.description, category, deadline,
                                 demo.poll_question, list(demo.options), admin).id
    voters = rng.sample(members, k=len(members) * 3 // 4)
    for member in voters:
        dates.during()
        app.answer_poll(campaign, member, rng.choices(range(len(demo.options)),
                                                      demo.weights)[0])
    for member in voters[:5]:  # some changed their mind
        dates.during()
        app.answer_poll(campaign, member, rng.randrange(len(demo.options)))
    for title in demo.ideas:
        dates.during()
        idea = app.submit_proposal(title, "", None, rng.choice(members), campaign).id
        for voter in rng.sample(members, k=rng.randint(2, 25)):
            app.cast_vote(idea, voter)
    if demo.days_left is None:
        dates.closing()
        app.close_campaign(campaign, admin, "Thank you: we have enough answers to decide. "
                           "The results are below; the new hours will be announced here.")
