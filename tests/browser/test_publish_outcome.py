"""An owner publishes an outcome for a theme; a member who voted, with a page open,
sees the notice arrive live; a signed-out visitor reads it on /outcomes."""

from __future__ import annotations

from uuid import uuid4

import pytest
from playwright.sync_api import Browser, expect

from domain.member import COMMAND_LINE, Role
from incubator.identity import Identity
from tests.browser.conftest import Site
from tests.triage_scenario import record_run

pytestmark = pytest.mark.browser


VOTER_EMAIL, VOTER_PASSWORD = "vic@example.org", "a long passphrase for Vic"


def test_an_owner_publishes_a_theme_outcome_that_the_public_sees(
        browser: Browser, site: Site) -> None:
    app = site.services.app
    app.grant_role(site.member, Role.OWNER, site.category, COMMAND_LINE)
    voter = Identity(site.services).create_local_account(VOTER_EMAIL, VOTER_PASSWORD, "Vic Voss")
    ideas = [app.submit_proposal(title, "", site.category, uuid4()).id for title in (
        "Guest Wi-Fi drops in the canteen", "Wi-Fi is slow in the canteen at lunch",
        "More access points in the canteen")]
    app.cast_vote(ideas[0], voter.id)
    record_run(site.services, {uuid4(): ("canteen wifi", ideas)})
    site.services.runner.wait_for(app.recorder.max_notification_id() or 0)

    # Vic voted; he has the board open while the owner publishes.
    watching = browser.new_context()
    vic = watching.new_page()
    vic.goto(f"{site.url}/sign-in")
    vic.get_by_label("E-mail address").fill(VOTER_EMAIL)
    vic.get_by_label("Password").fill(VOTER_PASSWORD)
    vic.get_by_role("button", name="Sign in").click()
    vic.goto(f"{site.url}/")
    bell = vic.locator("#bell")
    expect(bell).to_contain_text("0 unread")

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

    # The notice reaches Vic's open page without a reload, and leads to the outcome.
    expect(bell).to_contain_text("1 unread", timeout=10_000)
    bell.click()
    expect(vic.get_by_text("Canteen Wi-Fi doubled").first).to_be_visible()
    watching.close()

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
