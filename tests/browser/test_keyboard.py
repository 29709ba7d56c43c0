"""Keyboard only: sign in, submit an idea, vote and comment with Tab, Shift+Tab, Enter, Space.

Every element the keyboard lands on must show where focus is, and focus must land
somewhere sensible after htmx swaps part of the page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import DemoSite, Site

pytestmark = pytest.mark.browser

# Focus must be visible: our stylesheet draws an outline of at least 2px (:focus-visible).
FOCUS_RING_JS = """e => {
  const s = getComputedStyle(e);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
    && s.outlineColor !== 'rgba(0, 0, 0, 0)';
}"""
DESCRIBE_JS = """() => {
  const e = document.activeElement;
  if (!e) return 'nothing';
  const name = (e.getAttribute('aria-label') || e.innerText || e.value || '').trim();
  return `<${e.tagName.toLowerCase()}${e.id ? ' id=' + e.id : ''}> ` + name.slice(0, 60);
}"""


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("e => e === document.activeElement"))


def tab_to(page: Page, target: Locator, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until `target` has focus, checking every stop's focus ring."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        visited.append(page.evaluate(DESCRIBE_JS))
        assert page.evaluate(f"({FOCUS_RING_JS})(document.activeElement)"), (
            f"no visible focus indicator on {visited[-1]}"
        )
        if is_focused(target):
            return
    raise AssertionError(f"{key} never reached {target}; stops: {visited}")


def focused_description(page: Page) -> str:
    return str(page.evaluate(DESCRIBE_JS))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_skip_link_is_first_visible_when_focused_and_jumps_to_main(page: Page,
                                                                    site: Site) -> None:
    page.goto(site.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 10, "skip link is off screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main").get_by_role("link", name="Submit an idea")).to_be_focused()


def sign_in_with_keyboard(page: Page, site: Site) -> None:
    tab_to(page, page.get_by_role("link", name="Sign in", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    tab_to(page, page.get_by_label("E-mail address"))
    page.keyboard.type(site.email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(site.password)
    tab_to(page, page.get_by_role("button", name="Sign in", exact=True))
    page.keyboard.press("Space")
    expect(page.get_by_text("Signed in as")).to_contain_text("Dana Diaz")


def test_sign_in_submit_vote_and_comment_with_the_keyboard_only(page: Page, site: Site) -> None:
    page.goto(site.url)
    sign_in_with_keyboard(page, site)

    # A rejected idea: the error summary takes focus and leads back to the field.
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link",
                                                                           name="Submit an idea"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit an idea")
    expect(page.get_by_role("navigation", name="Main").locator("[aria-current=page]")).to_have_text(
        "Submit an idea")
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Short")
    tab_to(page, page.get_by_role("button", name="Submit idea"))
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Title", "Category"])
    tab_to(page, summary.get_by_role("link", name="Title"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" Wi-Fi drops in meeting room 4")
    tab_to(page, page.get_by_label("Description"))
    page.keyboard.type("It drops during video calls.")
    tab_to(page, page.get_by_label("Category"))
    page.keyboard.type("Wi-Fi")
    tab_to(page, page.get_by_role("button", name="Submit idea"))
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Short Wi-Fi drops in meeting room 4")

    # Vote, withdraw, vote again: the button keeps focus across the htmx swap.
    title = "Short Wi-Fi drops in meeting room 4"
    vote = page.locator(".idea-head .vote-button")
    tab_to(page, vote)
    for key, count, pressed in (("Enter", "1 vote", "true"), ("Space", "0 votes", "false"),
                                ("Enter", "1 vote", "true")):
        # Let the last swap settle first (htmx's 20 ms): a key pressed inside that window
        # loses focus now and then, faster than any person presses twice.
        expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping")).to_have_count(0)
        page.keyboard.press(key)
        expect(vote).to_have_attribute("aria-pressed", pressed)
        expect(vote.locator(".vote-count")).to_have_text(count.split()[0])
        expect(vote).to_be_focused()
        expect(vote).to_have_accessible_name(f"Vote for “{title}”, {count}")
    expect(page.locator("#announcer")).to_have_text(
        "Vote counted: 1 vote for “Short Wi-Fi drops in meeting room 4”.")

    # Comment: an empty one is refused with focus on the text box, then it is posted.
    text = page.get_by_label("Add a comment")
    post = page.get_by_role("button", name="Post comment")
    tab_to(page, post)
    page.keyboard.press("Enter")
    expect(page.locator("#comment-error")).to_be_visible()
    expect(text).to_be_focused()
    page.keyboard.type("Same in room 5.")
    tab_to(page, post)
    page.keyboard.press("Enter")
    expect(page.locator(".comment .comment-text")).to_have_text("Same in room 5.")
    expect(page.locator("#announcer")).to_have_text("Your comment was posted.")
    expect(post).to_be_focused()
    assert "/ideas/" in page.url, focused_description(page)


def test_vote_for_a_similar_idea_from_the_keyboard(page: Page, site: Site) -> None:
    existing = site.services.app.submit_proposal(
        "Guest Wi-Fi password changes too often", "", site.category, site.member)
    site.services.runner.wait_for(existing.position)
    page.goto(site.url)
    sign_in_with_keyboard(page, site)
    page.goto(f"{site.url}/ideas/new")
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("guest wifi password", delay=20)
    item = page.locator("#similar .similar-item", has_text="Guest Wi-Fi password")
    expect(item).to_be_visible()
    expect(page.locator("#announcer")).to_have_text("1 similar idea below the form.")
    vote = item.locator(".vote-button")
    tab_to(page, vote)
    page.keyboard.press("Enter")
    expect(vote.locator(".vote-count")).to_have_text("1")
    expect(vote).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(
        "Vote counted: 1 vote for “Guest Wi-Fi password changes too often”.")
    expect(page.get_by_label("Title")).to_have_value("guest wifi password")


def test_paging_the_board_moves_focus_to_the_new_page_of_results(page: Page,
                                                                  demo_site: DemoSite) -> None:
    page.goto(demo_site.url)
    tab_to(page, page.get_by_role("link", name="Next page"), limit=200)
    page.keyboard.press("Enter")
    count = page.locator("#board .count")
    expect(count).to_contain_text("page 2 of")
    expect(count).to_be_focused()  # like a page load: at the top of the results
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('board').contains(document.activeElement)")
    tab_to(page, page.get_by_role("link", name="Newer page"), limit=200)
    page.keyboard.press("Enter")
    expect(count).to_contain_text("page 1 of")
    expect(count).to_be_focused()
    # Changing a filter leaves focus on the filter.
    sort = page.get_by_label("Sort")
    tab_to(page, sort, backwards=True)
    page.keyboard.type("New")
    expect(page).to_have_url(f"{demo_site.url}/?sort=new&status=&category=")
    expect(sort).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("ideas · page 1 of")


def test_without_javascript_a_rejected_form_puts_focus_on_what_to_fix(browser: Browser,
                                                                       site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url)
    sign_in_with_keyboard(page, site)
    page.goto(f"{site.url}/ideas/new")
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Short")
    tab_to(page, page.get_by_role("button", name="Submit idea"))
    page.keyboard.press("Enter")
    expect(page).to_have_title("Error: Submit an idea · Incubator")
    expect(page.locator(".error-summary")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_be_focused()
    expect(page.get_by_label("Title")).to_have_value("Short")

    idea = site.services.app.submit_proposal("Printer on floor 3 jams", "", site.category,
                                             site.member)
    site.services.runner.wait_for(idea.position)
    page.goto(f"{site.url}/ideas/{idea.id}")
    tab_to(page, page.get_by_role("button", name="Post comment"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Add a comment")).to_be_focused()
    context.close()
