"""Back and forward after in-place updates restore whole pages (htmx keeps no history
cache: pages are not copied into localStorage, they are fetched again)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


def test_back_after_a_filter_change_shows_the_whole_page(browser: Browser, site: Site) -> None:
    for title in ("Guest Wi-Fi password changes too often", "Printer on floor three jams"):
        written = site.services.app.submit_proposal(title, "", site.category, site.member)
    site.services.runner.wait_for(written.position)
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url)
    page.get_by_label("Sort").select_option(label="New")
    expect(page).to_have_url(f"{site.url}/?sort=new&status=&category=")
    page.go_back()
    expect(page).to_have_url(f"{site.url}/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas")
    expect(page.locator("#board .card")).to_have_count(2, timeout=15_000)
    page.go_forward()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    # Restoring history is a request to the server: allow for a loaded machine.
    expect(page.get_by_label("Sort")).to_have_value("new", timeout=15_000)
    context.close()
