"""Outcomes over HTTP: owners draft, edit, publish and correct; anyone reads the board
and the feed; idea pages and board cards show the outcome."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID, uuid4
from xml.etree import ElementTree as ET

import pytest

from domain.member import COMMAND_LINE, Role
from domain.outcome import Subject
from incubator import outcomes
from tests.triage_scenario import record_run
from tests.web.conftest import World

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def owner(world: World) -> UUID:
    """Bob owns the Wi-Fi category."""
    world.services.app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    world.settle()
    return world.bob


def publish(world: World, idea: UUID, title: str = "Guest Wi-Fi fixed",
            done_on: date | None = None, we_did: str = "New access points.") -> UUID:
    outcome_id = outcomes.draft_for(world.services, Subject.IDEA, idea, world.cleo).id
    outcomes.save_draft(world.services, outcome_id, world.cleo, title, "You asked.", we_did,
                        done_on or date.today(), ["https://intranet.example.org/wifi"],
                        publish=True)
    world.settle()
    return outcome_id


def test_an_owner_drafts_edits_and_publishes_an_outcome_for_an_idea(
        world: World, owner: UUID) -> None:
    idea = world.idea()
    world.services.app.cast_vote(idea, world.cleo)
    world.settle()
    world.sign_in(owner)
    page = world.client.get(f"/ideas/{idea}")
    assert "Prepare an outcome" in page.text

    drafted = world.client.post(f"/ideas/{idea}/outcome", follow_redirects=False)
    assert drafted.status_code == 303
    edit_url = drafted.headers["location"]
    form = world.client.get(edit_url)
    assert "2 people asked for this in Wi-Fi: 1 vote, 0 comments." in form.text
    assert "It drops in room 4." in form.text  # the idea's words, quoted

    typed = {"title": "Wi-Fi in every room", "you_said": "You asked for Wi-Fi.",
             "we_did": "We added access points.", "done_on": "2026-02-30",
             "links": "javascript:alert(1)", "action": "publish"}
    refused = world.client.post(edit_url.removesuffix("/edit"), data=typed)
    assert refused.status_code == 422
    assert "YYYY-MM-DD" in refused.text and "We added access points." in refused.text
    assert world.client.get("/outcomes").text.count('class="outcome"') == 0

    typed |= {"done_on": date.today().isoformat(), "links": "https://intranet.example.org/x"}
    published = world.client.post(edit_url.removesuffix("/edit"), data=typed,
                                   follow_redirects=False)
    assert published.status_code == 303

    world.sign_out()
    board = world.client.get("/outcomes")
    assert "Wi-Fi in every room" in board.text
    assert "<strong>2</strong> people asked; done in 0 days" in board.text
    assert "We added access points." in world.client.get(f"/ideas/{idea}").text
    assert "outcome-badge" in world.client.get("/").text


def test_only_owners_of_the_category_or_admins_answer(world: World, owner: UUID) -> None:
    printing_idea = world.idea("Double-sided printing by default", category=world.printing)
    world.sign_in(owner)  # owns Wi-Fi, not Printing
    assert "Prepare an outcome" not in world.client.get(f"/ideas/{printing_idea}").text
    refused = world.client.post(f"/ideas/{printing_idea}/outcome", follow_redirects=False)
    assert refused.status_code == 403
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()
    world.sign_in(world.cleo)
    assert world.client.post(f"/ideas/{printing_idea}/outcome",
                             follow_redirects=False).status_code == 303


def test_drafts_stay_private(world: World, owner: UUID) -> None:
    idea = world.idea()
    draft = outcomes.draft_for(world.services, Subject.IDEA, idea, owner).id
    world.settle()
    assert world.client.get(f"/outcomes/{draft}").status_code == 404
    assert "class=\"outcome\"" not in world.client.get("/outcomes").text
    world.sign_in(owner)
    assert "only owners and admins see it" in world.client.get(f"/outcomes/{draft}").text


def test_the_board_filters_by_category_and_period_newest_first(world: World) -> None:
    old = publish(world, world.idea("Guest Wi-Fi in the canteen"), "Canteen Wi-Fi",
                  date.today() - timedelta(days=200))
    new = publish(world, world.idea("Scan to e-mail", category=world.printing), "Scanning",
                  date.today() - timedelta(days=2))
    assert _order(world.client.get("/outcomes").text) == [new, old]
    assert _order(world.client.get("/outcomes?category=wifi").text) == [old]
    fragment = world.client.get("/outcomes?category=wifi", headers={"HX-Request": "true"})
    assert _order(fragment.text) == [old] and "<html" not in fragment.text  # htmx filters
    assert _order(world.client.get("/outcomes?period=30d").text) == [new]
    assert _order(world.client.get("/outcomes?period=365d&category=printing").text) == [new]
    assert world.client.get("/outcomes?period=week").status_code == 400
    assert world.client.get("/outcomes?page=x").status_code == 400


def _order(html: str) -> list[UUID]:
    return [UUID(found) for found in re.findall(r'id="outcome-([0-9a-f-]{36})"', html)]


def test_a_correction_shows_as_a_correction_with_the_original(world: World,
                                                              owner: UUID) -> None:
    outcome_id = publish(world, world.idea(), done_on=date(2026, 1, 10))
    world.sign_in(owner)
    form = {"note": "The date was wrong.", "title": "Guest Wi-Fi fixed",
            "we_did": "New access points on every floor.", "done_on": "2026-01-17",
            "links": ""}
    corrected = world.client.post(f"/outcomes/{outcome_id}/correct", data=form,
                                  follow_redirects=False)
    assert corrected.status_code == 303
    world.sign_out()
    page = world.client.get(f"/outcomes/{outcome_id}").text
    assert "Corrected" in page and "The date was wrong." in page
    assert "As first published" in page and "New access points." in page
    assert "New access points on every floor." in page
    assert "Corrected" in world.client.get("/outcomes").text


def test_an_owner_drafts_an_outcome_for_a_theme_from_the_themes_page(
        world: World, owner: UUID) -> None:
    ideas = [world.idea(f"Guest Wi-Fi problem number {n}") for n in range(3)]
    theme = uuid4()
    record_run(world.services, {theme: ("guest wifi", ideas)})
    world.settle()
    world.sign_in(owner)
    assert "Prepare an outcome for this theme" in world.client.get("/themes").text
    drafted = world.client.post(f"/themes/{theme}/outcome", follow_redirects=False)
    form = world.client.get(drafted.headers["location"])
    assert "a theme of 3 ideas" in form.text
    assert "Guest Wi-Fi problem number 0" in form.text  # the representative, quoted
    world.sign_in(world.ann)  # staff: the access table refuses
    assert world.client.post(f"/themes/{theme}/outcome",
                             follow_redirects=False).status_code == 403


def test_the_atom_feed_has_what_rfc_4287_requires_and_escapes_text(world: World) -> None:
    outcome_id = publish(world, world.idea(), title="<script>alert('x')</script> & more",
                         we_did="Fixed <b>it</b> & tested.")
    response = world.client.get("/outcomes.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in response.content
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert (feed.findtext(ATOM + required) or "").strip(), required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"urn:uuid:{outcome_id}"
    assert entry.findtext(f"{ATOM}title") == "<script>alert('x')</script> & more"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated") or "")
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and link.get("href", "").endswith(f"/outcomes/{outcome_id}")
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "text"
    assert "We did: Fixed <b>it</b> & tested." in (content.text or "")
    assert (feed.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")


UNKNOWN = "5f0c3c56-4b1e-4c7e-9d1e-3c0a8f0b1a2b"
ELEVEN_LINKS = "\n".join(f"https://example.org/{n}" for n in range(11))


def test_bad_input_gets_a_clear_answer_never_a_server_error(world: World, owner: UUID) -> None:
    idea = world.idea()
    published = publish(world, idea)
    draft = outcomes.draft_for(world.services, Subject.IDEA, world.idea("Another Wi-Fi idea"),
                               owner).id
    world.settle()
    world.sign_in(owner)
    answers = {
        ("GET", "/outcomes?period=forever", ()): 400,
        ("GET", "/outcomes?page=0", ()): 400,
        ("GET", "/outcomes?page=99999&category=no-such", ()): 200,
        ("GET", "/outcomes/not-an-id", ()): 400,
        ("GET", f"/outcomes/{UNKNOWN}", ()): 404,
        ("POST", f"/outcomes/{UNKNOWN}", (("title", "x"),)): 404,
        ("POST", f"/ideas/{UNKNOWN}/outcome", ()): 404,
        ("POST", f"/themes/{UNKNOWN}/outcome", ()): 404,
        ("POST", f"/outcomes/{draft}", (("title", "\x00" * 9), ("we_did", "w" * 9_000))): 422,
        ("POST", f"/outcomes/{draft}", (("title", "Fine"), ("you_said", "Asked."),
                                        ("done_on", "2026-13-45"))): 422,
        ("POST", f"/outcomes/{draft}", (("title", "Fine"), ("you_said", "Asked."),
                                        ("links", ELEVEN_LINKS))): 422,
        ("POST", f"/outcomes/{published}", (("title", "Changed"),)): 409,
        ("POST", f"/outcomes/{draft}/correct", (("note", "Typo."),)): 409,
        ("POST", f"/outcomes/{draft}/withdraw", (("reason", "Oops."),)): 409,
    }
    got = {key: world.client.request(key[0], key[1], data=dict(key[2]) or None,
                                     follow_redirects=False).status_code for key in answers}
    assert got == answers
    kept = world.client.post(f"/outcomes/{draft}", data={
        "title": "Fine", "you_said": "Asked.", "we_did": "Typed with care.", "done_on": "x"})
    assert "Typed with care." in kept.text and "YYYY-MM-DD" in kept.text
