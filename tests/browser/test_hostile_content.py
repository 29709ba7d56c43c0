"""Hostile titles, descriptions, comments and names render as text, and no page of the
app makes the browser report a Content-Security-Policy violation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from domain.member import Role
from incubator.identity import Identity
from incubator.themes import run_clustering
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

TITLE = "<script>alert('title')</script><img src=x onerror=alert('title')>"
DESCRIPTION = ("<img src=x onerror=\"alert('description')\"> "
               "<a href=\"javascript:alert('link')\">a javascript link</a> "
               "<div hx-get=\"/evil-description\" hx-trigger=\"load\">htmx load</div> "
               "<button hx-on:click=\"alert('hx-on')\">an hx-on button</button>")
COMMENT = ("<svg onload=alert('comment')></svg>"
           "<div hx-get=\"/evil-comment\" hx-trigger=\"load\">htmx in a comment</div>"
           "<a href=\"javascript:alert('comment link')\">comment link</a>")
NAME = "<img src=x onerror=alert('name')> Eve"
CATEGORY = "<b hx-get=\"/evil-category\" hx-trigger=\"load\">Network</b>"

# Records what a successful injection would do; added before any page script runs.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' blocked ' + e.blockedURI);
});
"""


@dataclass
class Watched:
    page: Page
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations")
        return found

    def suspicious_requests(self) -> list[str]:
        """Requests to an address the hostile content names. The text itself may travel
        in a query (the similar-ideas lookup sends what is being typed)."""
        paths = [(url, urlsplit(url).path) for url in self.requests]
        return [url for url, path in paths if "evil" in path or path.endswith("/x")]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH)
    seen = Watched(page)

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    yield seen
    context.close()


EVE = "eve@example.org"


def _hostile_member(site: Site, roles: tuple[Role, ...] = ()) -> UUID:
    """A member whose chosen name is an attack (staff, as every member is)."""
    return Identity(site.services).create_local_account(EVE, site.password, NAME, roles).id


def _sign_in_as_eve(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/sign-in")
    page.get_by_label("E-mail address").fill(EVE)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".signed-in strong")).to_have_text(NAME)


def test_hostile_content_renders_inert_and_widgets_still_work(site: Site,
                                                             watched: Watched) -> None:
    page = watched.page
    hostile_category = site.services.app.create_category("network", CATEGORY, "Cables").id
    _hostile_member(site)
    _sign_in_as_eve(page, site)

    page.goto(f"{site.url}/ideas/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_label("Category").select_option(value=str(hostile_category))
    page.get_by_role("button", name="Submit idea").click()  # through htmx
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".description")).to_have_text(DESCRIPTION)
    expect(page.get_by_role("link", name="a javascript link")).to_have_count(0)
    expect(page.get_by_role("button", name="an hx-on button")).to_have_count(0)

    page.get_by_label("Add a comment").fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()  # through htmx
    expect(page.locator(".comment-text")).to_have_text(COMMENT)
    expect(page.get_by_role("link", name="comment link")).to_have_count(0)

    page.locator(".idea-head .vote-button").click()  # the widget next to hostile text
    expect(page.locator(".idea-head [data-testid=vote-count]")).to_have_text("1")

    page.goto(site.url)
    page.get_by_label("Category").select_option(value="network")  # htmx filter
    expect(page.locator("#board .count")).to_have_text("1 idea")
    expect(page.locator(".card-title")).to_have_text(TITLE)

    page.wait_for_timeout(300)  # time for anything injected to have fired
    assert watched.dialogs == []
    assert watched.suspicious_requests() == []
    assert watched.violations() == []
    assert watched.console_errors == []


def test_no_page_of_the_app_reports_a_csp_violation(site: Site, watched: Watched) -> None:
    page = watched.page
    member = _hostile_member(site, roles=(Role.ADMIN,))  # to see the admin pages too
    site.services.app.create_category("network", CATEGORY, "Cables")
    ideas = [site.services.app.submit_proposal(title, DESCRIPTION, site.category, member)
             for title in (TITLE, "Guest Wi-Fi password changes too often",
                           "Daily guest wifi code is a pain", "Printer on floor three jams",
                           "Third floor printer jammed again", "Dark mode for the intranet",
                           "Intranet search never finds policies", "Later service desk hours",
                           "Service desk should stay open until 6pm",
                           "Book meeting rooms from the calendar")]
    idea = ideas[0].id
    comment = site.services.app.post_comment(idea, member, COMMENT)
    written = run_clustering(site.services.app)
    site.services.runner.wait_for(written.position)

    _sign_in_as_eve(page, site)
    for path in ("/", "/?sort=new&page=1", f"/ideas/{idea}", f"/ideas/{idea}/history",
                 "/ideas/new", "/themes", f"/comments/{comment.id}/edit", "/sign-in",
                 "/account", "/admin/members", "/admin/categories", "/admin/moderation",
                 "/triage", "/outcomes", "/no-such-page", "/ideas/not-an-id"):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        assert watched.violations() == [], path
    page.goto(f"{site.url}/admin/members")
    expect(page.locator(f"#member-{member} h2")).to_contain_text(NAME)  # as text
    page.goto(f"{site.url}/ideas/new")
    page.get_by_label("Title").press_sequentially("guest wifi", delay=20)  # similar ideas
    expect(page.locator("#similar .similar-item").first).to_be_visible()
    assert watched.violations() == []
    assert watched.dialogs == [] and watched.suspicious_requests() == []
    errors = [e for e in watched.console_errors if "404" not in e and "400" not in e]
    assert errors == []
