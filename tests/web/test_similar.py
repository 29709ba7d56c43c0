"""The submit form's similar-ideas panel (an htmx fragment)."""

from __future__ import annotations

from tests.web.conftest import World


def test_typing_a_title_lists_similar_ideas_with_a_vote_button(world: World) -> None:
    idea = world.idea("Guest Wi-Fi password changes too often")
    world.idea("Printer on the third floor always jams", category=world.printing)
    world.sign_in(world.bob)
    response = world.client.get("/ideas/similar?title=guest+wifi+password",
                                headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Already suggested?" in response.text
    assert "Guest Wi-Fi password changes too often" in response.text
    assert f"/ideas/{idea}/vote" in response.text
    assert "Printer on the third floor" not in response.text


def test_a_new_sounding_title_says_so(world: World) -> None:
    world.idea("Guest Wi-Fi password changes too often")
    world.sign_in(world.bob)
    response = world.client.get("/ideas/similar?title=quantum+pizza+telescope")
    assert "This looks like a new idea." in response.text
    assert "Already suggested?" not in response.text


def test_a_title_too_short_to_search_gives_an_empty_panel(world: World) -> None:
    world.sign_in(world.bob)
    response = world.client.get("/ideas/similar?title=ab")
    assert response.status_code == 200
    assert '<section id="similar"' in response.text and "<li" not in response.text


def test_the_submit_form_asks_for_similar_ideas_as_the_title_changes(world: World) -> None:
    world.sign_in(world.bob)
    form = world.client.get("/ideas/new").text
    assert 'hx-get="http://testserver/ideas/similar"' in form
    assert 'id="similar"' in form


def test_the_description_brings_up_an_idea_the_title_missed(world: World) -> None:
    idea = world.idea("Guest Wi-Fi password changes too often")
    world.sign_in(world.bob)
    title_only = world.client.get("/ideas/similar", params={"title": "Visitors complain"})
    assert "Guest Wi-Fi password" not in title_only.text
    both = world.client.get("/ideas/similar", params={
        "title": "Visitors complain",
        "description": "Every week the guest wifi password changes and visitors cannot connect."})
    assert "Guest Wi-Fi password changes too often" in both.text
    assert f"/ideas/{idea}/vote" in both.text


def test_the_description_field_also_asks_for_similar_ideas(world: World) -> None:
    world.sign_in(world.bob)
    form = world.client.get("/ideas/new").text
    textarea = form[form.index('<textarea id="description"'):]
    assert 'hx-get="http://testserver/ideas/similar"' in textarea[:textarea.index(">")]
