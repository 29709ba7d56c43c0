"""A campaign in a real browser: the poll answered with htmx and without JavaScript,
then the deadline passes while nobody does anything and the page shows the results."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.member import Role
from tests.browser.conftest import Site
from tests.browser.test_hostile_content import (
    COMMENT,
    DESCRIPTION,
    NAME,
    TITLE,
    Watched,
    _hostile_member,
    _sign_in_as_eve,
    watched,  # noqa: F401 -- the fixture, shared
)
from tests.browser.test_submit_and_vote import sign_in

pytestmark = pytest.mark.browser

OPTION = "<svg onload=alert('option')></svg><b hx-get=\"/evil-option\" hx-trigger=\"load\">"
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


def test_a_hostile_campaign_renders_as_text_and_reports_no_csp_violation(
        site: Site, watched: Watched) -> None:  # noqa: F811 -- the fixture above
    app = site.services.app
    owner = _hostile_member(site, roles=(Role.ADMIN,))
    campaign = app.open_campaign(TITLE, DESCRIPTION, site.category, None, TITLE,
                                 [OPTION, NAME], owner).id
    closed = app.open_campaign("A closed campaign " + TITLE, DESCRIPTION, site.category,
                               None, "Hostile poll?", [OPTION, NAME], owner).id
    app.submit_proposal("An idea under it " + TITLE, DESCRIPTION, None, owner, closed)
    app.answer_poll(closed, owner, 1)
    written = app.close_campaign(closed, owner, COMMENT)
    site.services.runner.wait_for(written.position)
    page = watched.page
    _sign_in_as_eve(page, site)
    for path in ("/campaigns", "/campaigns/new", f"/campaigns/{campaign}",
                 f"/campaigns/{closed}"):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        assert watched.violations() == [], path
    page.goto(f"{site.url}/campaigns/{campaign}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("group", name=TITLE).get_by_label(OPTION)).to_be_visible()
    page.get_by_role("group", name=TITLE).get_by_label(NAME).check()
    page.locator("#poll").get_by_role("button").click()  # htmx, next to hostile text
    expect(page.locator("#poll .notice")).to_contain_text("Your answer is saved")
    page.wait_for_timeout(300)  # time for anything injected to have fired
    assert watched.dialogs == [] and watched.suspicious_requests() == []
    assert watched.violations() == []
