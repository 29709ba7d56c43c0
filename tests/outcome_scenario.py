"""Outcomes of an idea and of a theme, shared by the projection and rebuild tests."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.outcome import Subject
from incubator import outcomes
from incubator.bootstrap import Services
from tests.triage_scenario import record_run


def outcome_history(services: Services, theme_ideas: list[UUID], idea: UUID,
                    other: UUID) -> dict[str, UUID]:
    """Outcomes for a theme of `theme_ideas`, for `idea` and for `other`: drafted,
    edited and published; the idea's corrected, the other's withdrawn. Returns the
    outcome ids by name ("theme", "idea", "withdrawn")."""
    owner, theme = uuid4(), uuid4()
    record_run(services, {theme: ("printers", theme_ideas)})
    services.runner.catch_up()  # drafts are counted from the read model
    made = {
        "theme": outcomes.draft_for(services, Subject.THEME, theme, owner).id,
        "idea": outcomes.draft_for(services, Subject.IDEA, idea, owner).id,
        "withdrawn": outcomes.draft_for(services, Subject.IDEA, other, owner).id,
    }
    for name, outcome_id in made.items():
        outcomes.save_draft(services, outcome_id, owner, f"{name} done", "You asked.",
                            f"We did {name}.", date(2026, 2, 1),
                            ["https://intranet.example.org/news"], publish=True)
    outcomes.correct(services, made["idea"], owner, "Wrong date.", "idea done",
                     "We did idea.", date(2026, 2, 8), [])
    outcomes.withdraw(services, made["withdrawn"], owner, "Answered the wrong idea.")
    return made
