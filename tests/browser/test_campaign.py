"""A campaign in a real browser: the poll answered with htmx and without JavaScript,
then the deadline passes while nobody does anything and the page shows the results."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site
from tests.browser.test_submit_and_vote import sign_in

pytestmark = pytest.mark.browser

DEADLINE_IN = timedelta(seconds=12)  # time to sign in and answer on a busy machine


def open_campaign(site: Site) -> tuple[UUID, datetime]:
    deadline = datetime.now(UTC) + DEADLINE_IN
    written = site.services.app.open_campaign(
        "Which service desk hours would work for you?", "We are thinking of changing them.",
        site.category, deadline, "Which hours?", ["7:00-19:00", "8:00-18:00"], site.member)
    site.services.runner.wait_for(written.position)
    return written.id, deadline


def answer(page: Page, option: str) -> None:
    poll = page.get_by_role("group", name="Which hours?")
    poll.get_by_label(option).check()
    page.locator("#poll").get_by_role("button").click()
    expect(page.locator("#poll .notice")).to_contain_text("Your answer is saved")


def test_the_poll_closes_at_the_deadline_while_the_page_sits_idle(
        browser: Browser, site: Site) -> None:
    _, deadline = open_campaign(site)
    page = browser.new_page()
    sign_in(page, site)
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Which service desk hours would work for you?").click()
    expect(page.get_by_text("closes in")).to_be_visible()
    answer(page, "8:00-18:00")  # htmx: the poll is swapped in place
    answer(page, "7:00-19:00")  # changed
    expect(page.get_by_role("button", name="Change my answer")).to_be_visible()

    time.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 2.5)  # idle
    page.reload()
    expect(page.get_by_text("Closed at its deadline")).to_be_visible()
    results = page.get_by_role("table")
    expect(results.get_by_role("row", name="7:00-19:00")).to_contain_text("1")
    expect(page.locator("#poll")).to_have_count(0)
    page.close()


def test_the_poll_and_the_idea_form_work_without_javascript(
        browser: Browser, site: Site) -> None:
    campaign, _ = open_campaign(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}/campaigns/{campaign}")
    answer(page, "8:00-18:00")
    assert "answered=1" in page.url
    page.get_by_label("Title").fill("Open the desk at 7:30 on Mondays")
    page.locator("#idea-form").get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("Submitted to the campaign")).to_be_visible()
    context.close()
