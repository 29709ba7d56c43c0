"""Over a rate limit, htmx shows the refusal in place and the form keeps what was typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from incubator.rate_limits import IDEAS, VOTES, Limit
from tests.browser.conftest import Site
from tests.browser.test_submit_and_vote import sign_in

pytestmark = pytest.mark.browser


def test_a_limited_person_reads_why_and_keeps_their_text(browser: Browser, site: Site) -> None:
    site.services.rate_limits.limits.update({IDEAS: Limit(1, 3_600), VOTES: Limit(1, 3_600)})
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, site)
    for title in ("The first idea of the day", "A second idea, too soon"):
        page.goto(f"{site.url}/ideas/new")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Description").fill("Typed with care.")
        page.get_by_label("Category").select_option(label="Wi-Fi and network")
        page.get_by_role("button", name="Submit idea").click()
        if title.startswith("The first"):
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
    alert = page.locator("#idea-form .error-summary")
    expect(alert).to_contain_text("submitted many ideas in a short time")
    expect(page.get_by_label("Title")).to_have_value("A second idea, too soon")
    expect(page.get_by_label("Description")).to_have_value("Typed with care.")
    expect(page.get_by_label("Category")).to_have_value(str(site.category))

    page.goto(site.url)
    card = page.locator(".card", has_text="The first idea of the day")
    card.locator(".vote-button").click()
    expect(card.locator(".vote-count")).to_have_text("1")
    card.locator(".vote-button").click()  # withdrawing is the second change: refused
    expect(card.locator(".vote .error")).to_contain_text("voted many times")
    expect(card.locator(".vote-count")).to_have_text("1")
    context.close()
