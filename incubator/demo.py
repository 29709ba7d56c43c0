"""Seeds the demo data set once: members, categories, ideas, votes, comments, answers,
campaigns."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from domain.member import COMMAND_LINE, Member, Role
from domain.proposal import Status
from incubator.demo_campaigns import seed_campaigns
from incubator.demo_clock import DemoClock, backdated, demo_clock
from incubator.demo_data import CATEGORIES, COMMENTS, IDEAS, MEMBERS, THEME_COMMENTS
from incubator.demo_outcomes import seed_outcomes
from incubator.themes import run_clustering
from projections.schema import save_member_profile

if TYPE_CHECKING:
    from incubator.bootstrap import Services

ANSWERS = {
    Status.UNDER_REVIEW: "Thanks, we're looking into what this would take and will report back.",
    Status.PLANNED: "Good call: this is planned for next quarter; we'll post progress here.",
    Status.IN_PROGRESS: "We've started on this and expect to roll it out within a few weeks.",
    Status.DONE: "Done: this is now live for everyone. Thanks for raising it.",
    Status.DECLINED: (
        "We can't do this one: it conflicts with our security baseline. Here's why, and "
        "what we're doing instead."
    ),
    Status.ALREADY_POSSIBLE: (
        "Good news: you can already do this from the self-service portal under "
        "'My devices'. We'll make it easier to find."
    ),
}
ANSWER_STATUSES = list(ANSWERS)


DEMO_ISSUER = "demo"


def demo_member_id(name: str) -> UUID:
    return Member.id_for(DEMO_ISSUER, name)


def grant_demo_roles(services: Services, it_staff: list[UUID], categories: list[UUID]) -> None:
    """The first member is an admin; the other IT people own two categories each."""
    admin, *owners = it_staff
    services.app.grant_role(admin, Role.ADMIN, None, COMMAND_LINE)
    for n, category_id in enumerate(categories):
        services.app.grant_role(owners[n % len(owners)], Role.OWNER, category_id, admin)


def seed_demo(services: Services, seed: int = 2026) -> bool:
    """Write the demo data set unless the event store already holds events. Its
    events are dated over the last half year (see `incubator/demo_clock.py`)."""
    if services.app.recorder.max_notification_id():
        return False
    with backdated(demo_clock()) as clock:
        _seed(services, seed, clock)
    # The newcomer's first page shows all of it.
    services.runner.wait_for(services.app.recorder.max_notification_id() or 0, timeout=30)
    return True


# The ideas arrive over this many days; members and categories exist a little earlier.
STORY_DAYS = 180


def _seed(services: Services, seed: int, clock: DemoClock) -> None:
    app = services.app
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not security  # nosec B311
    # Dates come from a generator of their own, so they don't change what is seeded.
    when = random.Random(seed + 1)  # noqa: S311 -- demo dates, not security  # nosec B311
    clock.days_ago(STORY_DAYS + 20)
    members = [app.register_member(DEMO_ISSUER, name).id for name in MEMBERS]
    for member_id, name in zip(members, MEMBERS, strict=True):
        save_member_profile(services.writer, member_id, name)
    categories = {slug: app.create_category(slug, name, about).id
                  for slug, name, about in CATEGORIES}
    it_staff = members[:6]  # the first members answer as IT
    grant_demo_roles(services, it_staff, list(categories.values()))
    for n, (slug, title, description) in enumerate(IDEAS):
        submitted = clock.days_ago(STORY_DAYS * (1 - n / len(IDEAS)) - when.random())
        author = rng.choice(members)
        idea = app.submit_proposal(title, description, categories[slug], author).id
        voters = rng.sample(members, k=min(48, int(rng.paretovariate(1.2)) - 1))
        for voter in voters:
            clock.set(submitted + timedelta(days=when.expovariate(1 / 6)))
            app.cast_vote(idea, voter)
        if voters and rng.random() < 0.1:
            clock.set(clock.current + timedelta(days=1))
            app.withdraw_vote(idea, voters[0])
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3, 4))):
            text = rng.choice(COMMENTS + THEME_COMMENTS.get(slug, ()))
            clock.set(submitted + timedelta(days=when.uniform(0.05, 25)))
            app.post_comment(idea, rng.choice(members), text)
        if rng.random() < 0.2:
            status = rng.choice(ANSWER_STATUSES)
            clock.set(submitted + timedelta(days=when.uniform(2, 30)))
            app.change_status(idea, status, rng.choice(it_staff), ANSWERS[status])
    seed_campaigns(services, members, categories, it_staff[0], rng, clock)  # on /campaigns
    clock.set(clock.now)
    written = run_clustering(app, backend=services.ml_backend)  # so /themes shows something
    services.runner.wait_for(written.position, timeout=30)
    seed_outcomes(services, it_staff, clock)  # "you said, we did" on /outcomes
