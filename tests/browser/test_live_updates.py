"""Two people look at the same idea; what one does appears for the other, no reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.proposal import Status
from tests.browser.conftest import Site
from tests.browser.test_submit_and_vote import sign_in

pytestmark = pytest.mark.browser


def watch(page: Page, navigations: list[str], csp_errors: list[str]) -> None:
    page.on("framenavigated", lambda frame: navigations.append(frame.url)
            if frame == page.main_frame else None)
    page.on("console", lambda m: csp_errors.append(m.text)
            if "Content Security Policy" in m.text else None)


def test_a_vote_a_comment_and_a_status_appear_for_another_viewer(
        browser: Browser, site: Site) -> None:
    written = site.services.app.submit_proposal(
        "Guest Wi-Fi in every meeting room", "It drops in room 4.", site.category, site.member)
    site.services.runner.wait_for(written.position)
    idea_url = f"{site.url}/ideas/{written.id}"

    viewer_context, actor_context = browser.new_context(), browser.new_context()
    viewer, actor = viewer_context.new_page(), actor_context.new_page()
    navigations: list[str] = []
    csp_errors: list[str] = []
    watch(viewer, navigations, csp_errors)
    viewer.goto(idea_url)  # anonymous, read-only
    expect(viewer.locator(".idea-head [data-testid=vote-count]")).to_have_text("0")
    loaded = len(navigations)

    sign_in(actor, site)
    actor.goto(idea_url)
    actor.locator(".idea-head .vote-button").click()
    expect(actor.locator(".idea-head [data-testid=vote-count]")).to_have_text("1")
    expect(viewer.locator(".idea-head [data-testid=vote-count]")).to_have_text("1")

    actor.get_by_label("Add a comment").fill("Room 6 drops too, every afternoon.")
    actor.get_by_role("button", name="Post comment").click()
    expect(viewer.locator(".comment", has_text="Room 6 drops too")).to_be_visible()
    expect(viewer.locator("#comments-title")).to_have_text("Comments (1)")

    # An owner's answer, from another process's point of view: straight to the app.
    site.services.app.change_status(written.id, Status.PLANNED, site.member,
                                    "Access points go in next month.")
    expect(viewer.locator("#status-badge")).to_have_text("Planned")
    expect(viewer.get_by_text("Access points go in next month.")).to_be_visible()

    assert len(navigations) == loaded, "the viewer's page was reloaded"
    assert csp_errors == []
    viewer_context.close()
    actor_context.close()


def test_the_board_shows_new_counts_without_a_reload(browser: Browser, site: Site) -> None:
    written = site.services.app.submit_proposal(
        "Printers on every floor", "Walking to floor 2 takes ages.", site.category, site.member)
    site.services.runner.wait_for(written.position)
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url)
    card = page.locator(".card", has_text="Printers on every floor")
    expect(card.locator(".vote-count")).to_have_text("0")
    site.services.app.cast_vote(written.id, site.member)
    expect(card.locator(".vote-count")).to_have_text("1")
    context.close()
