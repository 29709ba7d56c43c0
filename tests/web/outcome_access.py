"""Representative requests for the outcome routes, for tests/web/test_access.py."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.outcome import Subject
from incubator import outcomes
from tests.web.conftest import World


def outcome_calls(world: World, idea: UUID, theme: UUID) -> dict[str, tuple[Any, ...]]:
    """(method, path, ok[, data]) per route: a draft for `idea` and a published
    outcome for `theme` (of the latest run) holding it, both in the Wi-Fi category."""
    services = world.services
    draft = outcomes.draft_for(services, Subject.IDEA, idea, world.cleo).id
    published = outcomes.draft_for(services, Subject.THEME, theme, world.cleo).id
    outcomes.save_draft(services, published, world.cleo, "Guest Wi-Fi", "You asked.",
                        "We did.", date(2026, 1, 5), [], publish=True)
    world.settle()
    return {
        "outcome_board": ("GET", "/outcomes", 200),
        "outcome_feed": ("GET", "/outcomes.atom", 200),
        "outcome_detail": ("GET", f"/outcomes/{published}", 200),
        "outcome_draft_idea": ("POST", f"/ideas/{idea}/outcome", 303),
        "outcome_draft_theme": ("POST", f"/themes/{theme}/outcome", 303),
        "outcome_edit": ("GET", f"/outcomes/{draft}/edit", 200),
        "outcome_save": ("POST", f"/outcomes/{draft}", 422, {"title": ""}),
        "outcome_correct": ("POST", f"/outcomes/{published}/correct", 422, {"note": ""}),
        "outcome_withdraw": ("POST", f"/outcomes/{published}/withdraw", 422, {"reason": ""}),
    }
