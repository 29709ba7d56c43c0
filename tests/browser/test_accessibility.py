"""axe-core finds no serious or critical problem on the main pages, signed out and in.

Runs on the demo data set, so every status badge, IT answers, comments, themes and
pagination are on the pages checked; forms are also checked in their rejected state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from uuid import UUID

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, StorageState, expect

from domain.proposal import Status
from incubator.demo import demo_member_id
from projections.campaign_queries import campaign_list
from tests.browser.axe import axe_results, blocking_violations, describe
from tests.browser.conftest import DemoSite

pytestmark = pytest.mark.browser

MEMBER = "Jonah Whitfield"


@dataclass(frozen=True)
class Places:
    """Where the interesting pages of the demo data set are."""

    answered: UUID  # declined, with IT's answer, comments and the member's own comment
    open_idea: UUID
    own_comment: UUID
    others_comment: UUID
    open_campaign: UUID
    closed_campaign: UUID


@pytest.fixture(scope="module")
def places(demo_site: DemoSite) -> Places:
    read_model, app = demo_site.services.read_model, demo_site.services.app
    answered = next(c for c in read_model.board(status=Status.DECLINED).cards if c.comments)
    open_idea = read_model.board(status=Status.OPEN).cards[0]
    others = read_model.comments(answered.id)[0]
    written = app.post_comment(answered.id, demo_member_id(MEMBER), "Agreed, and thanks.")
    demo_site.services.runner.wait_for(written.position)
    campaigns = campaign_list(read_model.engine)
    return Places(answered.id, open_idea.id, written.id, others.id,
                  next(c.id for c in campaigns if c.status == "open"),
                  next(c.id for c in campaigns if c.status == "closed"))


@pytest.fixture(scope="module")
def member_state(browser: Browser, demo_site: DemoSite) -> StorageState:
    """A signed-in browser state (cookies), made once through the demo sign-in page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{demo_site.url}/sign-in")
    page.get_by_label("Sign in as").select_option(label=MEMBER)
    page.get_by_role("button", name="Sign in as this member").click()
    expect(page.get_by_text("Signed in as")).to_contain_text(MEMBER)
    state = context.storage_state()
    context.close()
    return state


Visit = Callable[[Page, str, Places], None]


def go(path: str) -> Visit:
    return lambda page, url, places: _goto(page, url + path.format(p=places))


def _goto(page: Page, address: str) -> None:
    page.goto(address)


def sign_in_rejected(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not anyone's password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()


def demo_sign_in_rejected(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_role("button", name="Sign in as this member").click()
    expect(page.locator("#member-error")).to_be_visible()


def idea_voted(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/ideas/{places.open_idea}")
    button = page.locator(".idea-head .vote-button")
    if button.get_attribute("aria-pressed") == "false":
        button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def comment_rejected(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/ideas/{places.answered}")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-error")).to_be_visible()


def similar_ideas(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/ideas/new")
    page.get_by_label("Title").press_sequentially("guest wifi password", delay=10)
    expect(page.locator("#similar .similar-item").first).to_be_visible()


def idea_rejected(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/ideas/new")
    page.get_by_label("Title").fill("Short")
    page.get_by_role("button", name="Submit idea").click()
    expect(page.locator(".error-summary")).to_be_visible()


def campaign_answered(page: Page, url: str, places: Places) -> None:
    page.goto(f"{url}/campaigns/{places.open_campaign}")
    page.locator("#poll input[type=radio]").first.check()
    page.locator("#poll").get_by_role("button").click()
    expect(page.locator("#poll .notice")).to_be_visible()


SIGNED_OUT: dict[str, Visit] = {
    "board": go("/"),
    "board page 2, filtered": go("/?sort=new&category=wifi&page=2"),
    "board, nothing matches": go("/?status=merged"),
    "idea with answer and comments": go("/ideas/{p.answered}"),
    "idea history": go("/ideas/{p.answered}/history"),
    "themes": go("/themes"),
    "sign-in": go("/sign-in"),
    "sign-in rejected": sign_in_rejected,
    "demo sign-in rejected": demo_sign_in_rejected,
    "campaigns": go("/campaigns"),
    "closed campaign with results": go("/campaigns/{p.closed_campaign}"),
    "open campaign": go("/campaigns/{p.open_campaign}"),
    "404 page": go("/ideas/00000000-0000-0000-0000-000000000000"),
    "400 page": go("/ideas/not-an-id"),
    "outcome board": go("/outcomes"),
    "board as it was (time travel)": go("/?as_of=2026-01-15"),
    "idea, time travel to a future date refused": go("/ideas/{p.answered}?as_of=2099-01-15"),
}

SIGNED_IN: dict[str, Visit] = {
    "board": go("/"),
    "idea with own comment": go("/ideas/{p.answered}"),
    "idea voted for": idea_voted,
    "comment rejected": comment_rejected,
    "new idea": go("/ideas/new"),
    "new idea with similar ideas": similar_ideas,
    "new idea rejected": idea_rejected,
    "comment edit": go("/comments/{p.own_comment}/edit"),
    "403 page": go("/comments/{p.others_comment}/edit"),
    "themes": go("/themes"),
    "idea history": go("/ideas/{p.answered}/history"),
    "open campaign with poll and idea form": go("/campaigns/{p.open_campaign}"),
    "campaign poll answered": campaign_answered,
    "notifications inbox": go("/notifications"),
    "account with notification choices": go("/account"),
}


@dataclass
class Pages:
    """Browser pages, each in its own context, and what the browser said about CSP."""

    browser: Browser
    csp_errors: list[str]
    contexts: list[BrowserContext]

    def open(self, state: StorageState | None) -> Page:
        # Reduced motion: axe must see colours as they settle, not mid-transition.
        context = self.browser.new_context(storage_state=state, reduced_motion="reduce")
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: self.csp_errors.append(m.text)
                if "Content Security Policy" in m.text else None)
        return page

    def check(self, page: Page) -> None:
        results = axe_results(page)
        assert results["passes"], "axe found nothing to check: did the page load?"
        blocking = blocking_violations(results)
        assert not blocking, describe(blocking, page.url)
        assert self.csp_errors == []


@pytest.fixture
def pages(browser: Browser) -> Iterator[Pages]:
    opened = Pages(browser, [], [])
    yield opened
    for context in opened.contexts:
        context.close()


@pytest.mark.parametrize("name", SIGNED_OUT)
def test_signed_out_page_has_no_serious_violation(
    pages: Pages, demo_site: DemoSite, places: Places, name: str
) -> None:
    page = pages.open(None)
    SIGNED_OUT[name](page, demo_site.url, places)
    pages.check(page)


@pytest.mark.parametrize("name", SIGNED_IN)
def test_signed_in_page_has_no_serious_violation(
    pages: Pages, demo_site: DemoSite, places: Places, member_state: StorageState, name: str
) -> None:
    page = pages.open(member_state)
    SIGNED_IN[name](page, demo_site.url, places)
    expect(page.get_by_text("Signed in as")).to_contain_text(MEMBER)
    pages.check(page)
