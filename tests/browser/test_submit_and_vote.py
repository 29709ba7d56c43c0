"""A person submits an idea and votes for it: with htmx, and with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


def sign_in(page: Page, site: Site) -> None:
    page.goto(site.url)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill(site.email)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_contain_text("Dana Diaz")


def submit_idea(page: Page, site: Site, title: str) -> None:
    page.get_by_role("link", name="Submit an idea").first.click()
    page.get_by_label("Title").fill("Short")
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("A title needs 8 to 140 characters")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Short")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("It keeps dropping during video calls.")
    page.get_by_label("Category").select_option(label="Wi-Fi and network")
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def vote_count(page: Page) -> str:
    return page.locator(".idea-head [data-testid=vote-count]").inner_text()


def test_vote_updates_in_place_with_htmx_and_persists(browser: Browser, site: Site) -> None:
    context = browser.new_context()
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url)
            if frame == page.main_frame else None)

    sign_in(page, site)
    submit_idea(page, site, "Wi-Fi in meeting room 4 keeps dropping")
    assert vote_count(page) == "0"
    before = len(navigations)
    page.locator(".idea-head .vote-button").click()
    expect(page.locator(".idea-head [data-testid=vote-count]")).to_have_text("1")
    expect(page.locator(".idea-head .vote-button")).to_have_attribute("aria-pressed", "true")
    assert len(navigations) == before, "the vote reloaded the page"

    page.reload()
    assert vote_count(page) == "1"
    page.goto(site.url)
    card = page.locator(".card", has_text="meeting room 4")
    expect(card.locator(".vote-count")).to_have_text("1")
    assert csp_errors == []
    context.close()


def test_the_same_flow_works_without_javascript(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, site)
    submit_idea(page, site, "Printer on the third floor jams daily")
    assert vote_count(page) == "0"
    page.locator(".idea-head .vote-button").click()
    expect(page.locator(".idea-head [data-testid=vote-count]")).to_have_text("1")
    page.reload()
    assert vote_count(page) == "1"
    page.locator(".idea-head .vote-button").click()  # withdraw
    expect(page.locator(".idea-head [data-testid=vote-count]")).to_have_text("0")
    context.close()


def test_typing_a_title_offers_similar_ideas_to_vote_for(browser: Browser, site: Site) -> None:
    existing = site.services.app.submit_proposal(
        "Guest Wi-Fi password changes too often", "", site.category, site.member)
    site.services.runner.wait_for(existing.position)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}/ideas/new")
    page.get_by_label("Title").press_sequentially("guest wifi password", delay=20)
    similar = page.locator("#similar .similar-item", has_text="Guest Wi-Fi password")
    expect(similar).to_be_visible()
    similar.locator(".vote-button").click()
    expect(similar.locator(".vote-count")).to_have_text("1")
    expect(page.get_by_label("Title")).to_have_value("guest wifi password")
    context.close()
