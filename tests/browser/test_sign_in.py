"""Sign in with a password, act, sign out: in Chromium, with the CSP watching."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


def test_sign_in_comment_and_sign_out(browser: Browser, site: Site) -> None:
    idea = site.services.app.submit_proposal(
        "Badge readers on the second floor are slow", "", site.category, site.member)
    site.services.runner.wait_for(idea.position)
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))

    page.goto(f"{site.url}/ideas/{idea.id}")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("E-mail address").fill(site.email)
    page.get_by_label("Password").fill("not the password of anyone here")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("don't match an account")
    expect(page.get_by_label("E-mail address")).to_have_value(site.email)
    expect(page.get_by_label("Password")).to_have_value("")

    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Badge readers on the second floor are slow")  # back where the visitor was
    page.get_by_label("Add a comment").fill("Same on the ground floor.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text("Same on the ground floor.")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    expect(page.get_by_label("Add a comment")).to_have_count(0)
    assert [m for m in console if "Content Security Policy" in m] == []
    context.close()
