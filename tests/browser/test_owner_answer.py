"""An owner answers an idea with a status; a signed-out visitor then sees the answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from domain.member import COMMAND_LINE, Role
from tests.browser.conftest import Site
from tests.browser.test_submit_and_vote import sign_in

pytestmark = pytest.mark.browser
ANSWER = "We are ordering two more access points for meeting room 4; they arrive in May."


def test_an_owner_answers_and_a_visitor_sees_it(browser: Browser, site: Site) -> None:
    app = site.services.app
    app.grant_role(site.member, Role.OWNER, site.category, COMMAND_LINE)
    author = app.register_member("local", "someone-else").id
    idea = app.submit_proposal("Wi-Fi in meeting room 4 keeps dropping",
                               "It drops during every video call.", site.category, author)
    site.services.runner.wait_for(idea.position)
    csp_errors: list[str] = []
    owner = browser.new_context(viewport={"width": 1200, "height": 1400})
    page = owner.new_page()
    page.on("console", lambda m: csp_errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    sign_in(page, site)
    page.goto(f"{site.url}/ideas/{idea.id}")
    panel = page.locator("#owner-panel")
    expect(panel.get_by_role("heading", name="Owner decisions")).to_be_visible()

    # A refusal shows in place (htmx), keeping what was typed.
    panel.get_by_label("New status").select_option(label="Already possible")
    panel.get_by_label("Public answer").fill("Use VPN.")
    panel.get_by_role("button", name="Publish answer").click()
    expect(page.locator("#status-error")).to_contain_text("at least 20 characters")
    expect(page.locator("#owner-panel").get_by_label("Public answer")).to_have_value("Use VPN.")
    if shots := os.environ.get("INCUBATOR_SCREENSHOTS"):
        page.screenshot(path=str(Path(shots) / "owner-panel.png"), full_page=True)

    panel = page.locator("#owner-panel")
    panel.get_by_label("New status").select_option(label="Planned")
    panel.get_by_label("Public answer").fill(ANSWER)
    panel.get_by_role("button", name="Publish answer").click()
    expect(page.locator(".answer")).to_contain_text(ANSWER)
    expect(page.locator(".idea-head .badge")).to_have_text("Planned")
    owner.close()

    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(f"{site.url}/ideas/{idea.id}")
    expect(public.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    expect(public.locator(".answer")).to_contain_text(ANSWER)
    expect(public.locator("#owner-panel")).to_have_count(0)
    public.get_by_role("link", name="History").click()
    expect(public.locator("table.history")).to_contain_text(f"Planned. {ANSWER}")
    visitor.close()
    assert csp_errors == []


def test_without_javascript_an_owner_merges_a_duplicate_and_undoes_it(
        browser: Browser, site: Site) -> None:
    app = site.services.app
    app.grant_role(site.member, Role.OWNER, site.category, COMMAND_LINE)
    author = app.register_member("local", "someone-else").id
    canonical = app.submit_proposal("Guest Wi-Fi in every meeting room", "Visitors need it.",
                                    site.category, author).id
    duplicate = app.submit_proposal("Guest Wi-Fi in the meeting rooms please", "",
                                    site.category, author)
    site.services.runner.wait_for(duplicate.position)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}/ideas/{duplicate.id}")
    panel = page.locator("#owner-panel")
    panel.get_by_label("Guest Wi-Fi in every meeting room").check()
    panel.get_by_label("Reason").fill("Same request")  # required: the browser asks first
    panel.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("heading", name="Merged into Guest Wi-Fi in every meeting room")
           ).to_be_visible()
    page.get_by_label("Why undo it?").fill("Different rooms after all")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.locator(".idea-head .badge")).to_have_text("Open")
    page.goto(f"{site.url}/ideas/{canonical}")
    expect(page.locator(".duplicates")).to_have_count(0)
    context.close()
