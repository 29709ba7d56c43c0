"""The board: full page, htmx fragment, sorting, filters, pagination, bad parameters."""

from __future__ import annotations

from domain.proposal import Status
from tests.web.conftest import World


def test_the_board_lists_ideas_as_cards_for_anonymous_visitors(world: World) -> None:
    world.idea("Guest Wi-Fi in every meeting room")
    response = world.client.get("/")
    assert response.status_code == 200
    assert "<html" in response.text
    assert "Guest Wi-Fi in every meeting room" in response.text
    assert "1 idea" in response.text
    assert ">Sign in<" in response.text


def test_an_htmx_request_gets_only_the_board_fragment(world: World) -> None:
    world.idea()
    response = world.client.get("/?sort=new", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="board"')
    assert "<html" not in response.text


def test_top_sorts_by_votes_and_new_by_age(world: World) -> None:
    older = world.idea("An older idea with votes")
    world.idea("A newer idea without votes")
    world.services.app.cast_vote(older, world.bob)
    world.settle()
    top = world.client.get("/?sort=top").text
    new = world.client.get("/?sort=new").text
    assert top.index("An older idea") < top.index("A newer idea")
    assert new.index("A newer idea") < new.index("An older idea")


def test_filters_by_status_and_category(world: World) -> None:
    planned = world.idea("Planned printer fix", category=world.printing)
    world.idea("Open wifi idea")
    world.services.app.change_status(planned, Status.PLANNED, world.cleo, "Next month.")
    world.settle()
    by_status = world.client.get("/?status=planned").text
    by_category = world.client.get("/?category=wifi").text
    assert "Planned printer fix" in by_status and "Open wifi idea" not in by_status
    assert "Open wifi idea" in by_category and "Planned printer fix" not in by_category


def test_pages_through_many_ideas(world: World) -> None:
    for number in range(25):
        world.idea(f"Numbered idea {number:02}")
    first = world.client.get("/?sort=new").text
    second = world.client.get("/?sort=new&page=2").text
    assert "page 1 of 2" in first and "Numbered idea 24" in first
    assert "Numbered idea 04" in second and "Numbered idea 24" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_bad_board_parameters_get_a_400_page(world: World) -> None:
    for query in ("sort=loudest", "status=finished", "page=two", "page=0"):
        response = world.client.get(f"/?{query}")
        assert response.status_code == 400, query
        assert "<html" in response.text


def test_every_response_carries_a_strict_content_security_policy(world: World) -> None:
    response = world.client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_htmx_is_served_by_the_app_with_its_licence(world: World) -> None:
    script = world.client.get("/static/htmx/htmx.min.js")
    licence = world.client.get("/static/htmx/LICENSE")
    assert script.status_code == 200 and 'version:"2.' in script.text
    assert licence.status_code == 200 and "Zero-Clause BSD" in licence.text
