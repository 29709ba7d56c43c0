"""CSRF: where a request comes from, and the session's token in forms and htmx headers."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from domain.member import COMMAND_LINE, Role
from tests.web.conftest import World
from web.app import create_app
from web.identity import CSRF_HEADER


def plain_client(world: World) -> TestClient:
    """Signed in as Bob, but sending only what a browser's plain form would send."""
    world.sign_in(world.bob)
    world.client.headers.pop(CSRF_HEADER)
    return world.client


def test_a_form_without_the_session_token_is_refused_with_a_clear_page(world: World) -> None:
    idea = world.idea()
    client = plain_client(world)
    for token in (None, "0" * 64):
        data = {"text": "Forged"} | ({"csrf_token": token} if token else {})
        response = client.post(f"/ideas/{idea}/comments", data=data)
        assert response.status_code == 403
        assert "This form could not be checked" in response.text and "reload the page" in \
            response.text
    assert "Forged" not in client.get(f"/ideas/{idea}").text


def test_the_token_in_the_page_s_form_is_accepted(world: World) -> None:
    idea = world.idea()
    client = plain_client(world)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(f"/ideas/{idea}").text)
    assert token
    response = client.post(f"/ideas/{idea}/comments", data={"text": "Real",
                                                             "csrf_token": token.group(1)})
    assert response.status_code == 200 and "Real" in response.text


def test_a_token_belongs_to_one_session(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.ann)
    anns = world.client.headers[CSRF_HEADER]
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/vote", headers={CSRF_HEADER: anns})
    assert response.status_code == 403


def test_requests_from_another_site_are_refused_even_with_a_token(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://evil.example"}, {"Origin": "null"}):
        response = world.client.post(f"/ideas/{idea}/vote", headers=headers)
        assert response.status_code == 403, headers
        assert "came from another site" in response.text
    for headers in ({"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}):
        assert world.client.post(f"/ideas/{idea}/vote", headers=headers).status_code == 200
    anonymous = TestClient(create_app(services=world.services))
    with anonymous:
        forged = anonymous.post("/sign-in", data={"email": "a@example.org", "password": "x"},
                                headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403


def test_every_post_form_carries_the_token_and_htmx_sends_it(world: World) -> None:
    idea = world.idea(author=world.cleo)
    comment = world.services.app.post_comment(idea, world.cleo, "Mine").id
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()
    world.sign_in(world.cleo)
    token = world.client.headers[CSRF_HEADER]
    pages = ["/", f"/ideas/{idea}", "/ideas/new", f"/comments/{comment}/edit", "/account",
             "/admin/members", "/themes"]
    forms = 0
    for path in pages:
        page = world.client.get(path).text
        assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page, path
        for form in re.findall(r"<form\b[^>]*>.*?</form>", page, re.S):
            if 'method="post"' in form:
                forms += 1
                assert f'name="csrf_token" value="{token}"' in form, (path, form[:200])
    assert forms > 10


def test_an_htmx_refusal_replaces_the_main_content_so_the_click_is_not_lost(
    world: World,
) -> None:
    """A vote button whose page outlived its session must say why nothing was counted."""
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/vote",
                                 headers={"HX-Request": "true", CSRF_HEADER: "0" * 64})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#main"
    assert "This form could not be checked" in response.text
    assert "<html" not in response.text  # the fragment, not a page inside the page
    unknown = world.client.get("/ideas/not-an-id", headers={"HX-Request": "true"})
    assert unknown.status_code in (400, 404) and unknown.headers["HX-Retarget"] == "#main"
