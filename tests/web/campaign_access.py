"""Representative requests for the campaign routes, for tests/web/test_access.py."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import World


def campaign_calls(world: World) -> dict[str, tuple[Any, ...]]:
    """(method, path, ok[, data]) per route: an open and a closed campaign in Wi-Fi."""
    app = world.services.app
    open_one = app.open_campaign("Which rooms need better Wi-Fi?", "", world.wifi, None,
                                 "Which floor?", ["First", "Second"], world.cleo).id
    closed = app.open_campaign("Which printers do you use most?", "", world.wifi, None,
                               "", [], world.cleo).id
    app.close_campaign(closed, world.cleo, "")
    world.settle()
    return {
        "campaign_list": ("GET", "/campaigns", 200),
        "campaign_new": ("GET", "/campaigns/new", 200),
        "campaign_open": ("POST", "/campaigns", 422, {"question": ""}),
        "campaign_detail": ("GET", f"/campaigns/{open_one}", 200),
        "campaign_answer": ("POST", f"/campaigns/{open_one}/poll", 422, {"option": "9"}),
        "campaign_idea_submit": ("POST", f"/campaigns/{open_one}/ideas", 422, {"title": ""}),
        "campaign_close": ("POST", f"/campaigns/{open_one}/close", 422, {"note": "x" * 1001}),
        "outcome_draft_campaign": ("POST", f"/campaigns/{closed}/outcome", 303),
        "campaign_follow": ("POST", f"/campaigns/{open_one}/follow", 303),
        "campaign_unfollow": ("POST", f"/campaigns/{open_one}/unfollow", 303),
    }
