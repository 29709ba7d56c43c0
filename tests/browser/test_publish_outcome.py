"""An owner publishes an outcome for a theme; a signed-out visitor reads it on /outcomes."""

from __future__ import annotations

from uuid import uuid4

import pytest
from playwright.sync_api import Browser, expect

from domain.member import COMMAND_LINE, Role
from tests.browser.conftest import Site
from tests.triage_scenario import record_run

pytestmark = pytest.mark.browser


def test_an_owner_publishes_a_theme_outcome_that_the_public_sees(
        browser: Browser, site: Site) -> None:
    app = site.services.app
    app.grant_role(site.member, Role.OWNER, site.category, COMMAND_LINE)
    ideas = [app.submit_proposal(title, "", site.category, uuid4()).id for title in (
        "Guest Wi-Fi drops in the canteen", "Wi-Fi is slow in the canteen at lunch",
        "More access points in the canteen")]
    app.cast_vote(ideas[0], uuid4())
    record_run(site.services, {uuid4(): ("canteen wifi", ideas)})
    site.services.runner.wait_for(app.recorder.max_notification_id() or 0)

    owner = browser.new_context()
    page = owner.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(f"{site.url}/sign-in")
    page.get_by_label("E-mail address").fill(site.email)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{site.url}/themes")
    page.get_by_role("button", name="Prepare an outcome for this theme").click()
    expect(page.get_by_label("You said")).to_have_value(
        "4 people asked for this in Wi-Fi and network: 3 ideas, 1 vote, 0 comments.")
    page.get_by_label("Headline").fill("Canteen Wi-Fi doubled")
    page.get_by_label("We did").fill("Two more access points in the canteen.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Canteen Wi-Fi doubled")).to_be_visible()
    assert [m for m in console if "Content Security Policy" in m] == []
    owner.close()

    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(f"{site.url}/outcomes")
    expect(public.get_by_role("link", name="Sign in").first).to_be_visible()
    outcome = public.locator(".outcome").first
    expect(outcome).to_contain_text("Canteen Wi-Fi doubled")
    expect(outcome).to_contain_text("4 people asked; done in 0 days")
    expect(outcome).to_contain_text("Two more access points in the canteen.")
    public.get_by_label("Done in").select_option("30d")  # htmx swaps the list in place
    expect(public.locator(".outcome")).to_have_count(1)
    visitor.close()
