"""Voting: htmx fragment in place, plain form post without JavaScript, refusals."""

from __future__ import annotations

import re

from domain.proposal import Status
from tests.web.conftest import World

HTMX = {"HX-Request": "true"}


def vote_count(html: str) -> int:
    found = re.search(r'data-testid="vote-count">(\d+)<', html)
    assert found, html
    return int(found.group(1))


def test_an_htmx_vote_returns_the_widget_with_the_new_count(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/vote", headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div class="vote" id="vote-{idea}"')
    assert vote_count(response.text) == 1
    assert 'aria-pressed="true"' in response.text
    assert f"/ideas/{idea}/unvote" in response.text


def test_a_plain_form_vote_redirects_back_and_the_count_persists(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/vote", data={"next": "/?sort=top"},
                                 follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?sort=top"
    assert vote_count(world.client.get(f"/ideas/{idea}").text) == 1


def test_voting_twice_counts_once_and_withdrawing_takes_it_back(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    world.client.post(f"/ideas/{idea}/vote", headers=HTMX)
    again = world.client.post(f"/ideas/{idea}/vote", headers=HTMX)
    assert vote_count(again.text) == 1
    withdrawn = world.client.post(f"/ideas/{idea}/unvote", headers=HTMX)
    assert vote_count(withdrawn.text) == 0
    assert 'aria-pressed="false"' in withdrawn.text


def test_the_board_marks_the_ideas_the_member_voted_for(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.cleo)
    world.client.post(f"/ideas/{idea}/vote")
    assert "is-voted" in world.client.get("/").text


def test_a_closed_idea_refuses_the_vote_with_a_message(world: World) -> None:
    idea = world.idea()
    world.services.app.change_status(idea, Status.DONE, world.cleo, "Shipped.")
    world.settle()
    world.sign_in(world.bob)
    fragment = world.client.post(f"/ideas/{idea}/vote", headers=HTMX)
    page = world.client.post(f"/ideas/{idea}/vote")
    for response in (fragment, page):
        assert response.status_code == 409
        assert "This idea is done: votes can no longer be changed." in response.text
        assert vote_count(response.text) == 0


def test_voting_signed_out_sends_the_visitor_to_sign_in(world: World) -> None:
    idea = world.idea()
    plain = world.client.post(f"/ideas/{idea}/vote", follow_redirects=False)
    htmx = world.client.post(f"/ideas/{idea}/vote", headers={**HTMX, "HX-Current-URL":
                             "http://testserver/?sort=new"})
    assert plain.status_code == 303 and plain.headers["location"].startswith("/sign-in?next=")
    assert htmx.status_code == 204
    assert htmx.headers["HX-Redirect"] == "/sign-in?next=%2F%3Fsort%3Dnew"


def test_voting_on_an_unknown_idea_is_a_404(world: World) -> None:
    world.sign_in(world.bob)
    response = world.client.post("/ideas/5f0c3c56-4b1e-4c7e-9d1e-3c0a8f0b1a2b/vote")
    assert response.status_code == 404
