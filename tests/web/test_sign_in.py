"""Signing in with e-mail and password, the session cookie, signing out (everywhere)."""

from __future__ import annotations

import dataclasses
import re

from starlette.testclient import TestClient

from domain.member import Role
from incubator.identity import Identity
from tests.web.conftest import World
from web.app import create_app

PASSWORD = "four words make a phrase"


def account(world: World, email: str = "dana@example.org", name: str = "Dana Diaz",
            roles: tuple[Role, ...] = ()) -> None:
    Identity(world.services).create_local_account(email, PASSWORD, name, roles)


def test_without_demo_the_sign_in_page_is_the_password_form_only(world: World) -> None:
    page = world.client.get("/sign-in").text
    assert 'type="password"' in page and 'autocomplete="current-password"' in page
    assert "Sign in as" not in page and "demo" not in page.lower()
    assert world.client.post("/sign-in/demo", data={"member_id": str(world.ann)}).status_code \
        == 404


def test_signing_in_with_the_password_opens_a_session(world: World) -> None:
    account(world)
    response = world.client.post("/sign-in", data={
        "email": "Dana@Example.org", "password": PASSWORD, "next": "/themes"},
        follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/themes"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("incubator_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    assert "Signed in as" in world.client.get("/").text


def test_a_wrong_password_keeps_the_e_mail_and_never_echoes_the_password(world: World) -> None:
    account(world)
    response = world.client.post("/sign-in", data={
        "email": "dana@example.org", "password": "not the right password at all"})
    assert response.status_code == 422
    assert "don&#39;t match an account" in response.text
    assert 'value="dana@example.org"' in response.text
    assert "not the right password" not in response.text
    empty = world.client.post("/sign-in", data={"email": "dana@example.org"})
    assert empty.status_code == 422 and "Enter your e-mail address and your password" in empty.text


def test_over_https_the_cookie_is_secure_and_host_prefixed(world: World) -> None:
    account(world)
    with TestClient(create_app(services=world.services), base_url="https://testserver") as tls:
        response = tls.post("/sign-in", data={"email": "dana@example.org", "password": PASSWORD},
                            follow_redirects=False)
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-incubator_session=")
        assert "Secure" in cookie and "HttpOnly" in cookie and "Domain" not in cookie
        assert "Signed in as" in tls.get("/").text


def test_signing_out_ends_the_session_on_the_server(world: World) -> None:
    account(world)
    world.client.post("/sign-in", data={"email": "dana@example.org", "password": PASSWORD})
    stolen = world.client.cookies["incubator_session"]
    token = _csrf(world.client.get("/").text)
    world.client.post("/sign-out", data={"csrf_token": token})
    assert "Signed in as" not in world.client.get("/").text
    world.client.cookies.set("incubator_session", stolen)  # a copy of the old cookie
    assert "Signed in as" not in world.client.get("/").text


def test_sign_out_everywhere_ends_every_session_of_the_member(world: World) -> None:
    account(world)
    other = TestClient(create_app(services=world.services))
    with other:
        for client in (world.client, other):
            client.post("/sign-in", data={"email": "dana@example.org", "password": PASSWORD})
        assert "Signed in as" in other.get("/").text
        token = _csrf(world.client.get("/account").text)
        world.client.post("/sign-out/everywhere", data={"csrf_token": token})
        assert "Signed in as" not in other.get("/").text
        assert "Signed in as" not in world.client.get("/").text


def test_a_disabled_member_is_signed_out_at_once_and_cannot_sign_in(world: World) -> None:
    account(world)
    world.client.post("/sign-in", data={"email": "dana@example.org", "password": PASSWORD})
    member = Identity(world.services).authenticate("dana@example.org", PASSWORD)
    Identity(world.services).disable_member(member, world.cleo)
    world.settle()
    assert "Signed in as" not in world.client.get("/").text
    response = world.client.post("/sign-in", data={"email": "dana@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 422 and "disabled" in response.text


def test_the_demo_sign_in_exists_only_in_demo_mode_and_says_so_everywhere(world: World) -> None:
    world.services.settings = dataclasses.replace(world.services.settings, demo=True)
    for path in ("/", "/themes", "/sign-in", "/no/such/page"):
        assert "Demo site" in world.client.get(path).text, path
    assert "Sign in as" in world.client.get("/sign-in").text
    response = world.client.post("/sign-in/demo", data={"member_id": str(world.ann),
                                                        "next": "//evil.example/"},
                                 follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "Ann Archer" in world.client.get("/").text
    token = _csrf(world.client.get("/").text)
    refused = world.client.post("/sign-in/demo", data={"member_id": "bob", "csrf_token": token})
    assert refused.status_code == 422 and "Choose a member" in refused.text


def test_a_member_downloads_their_own_data(world: World) -> None:
    idea = world.idea(author=world.ann)
    world.services.app.cast_vote(idea, world.ann)
    world.services.app.post_comment(idea, world.ann, "My own comment")
    world.settle()
    world.sign_in(world.ann)
    response = world.client.get("/account/data")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["profile"]["display_name"] == "Ann Archer"
    assert [i["id"] for i in data["ideas"]] == [str(idea)]
    assert [v["proposal_id"] for v in data["votes"]] == [str(idea)]
    assert data["comments"][0]["text"] == "My own comment"
    assert data["roles"] == [{"role": "staff", "category": None}]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def test_a_member_changes_their_password_and_other_sessions_end(world: World) -> None:
    account(world)
    other = TestClient(create_app(services=world.services))
    with other:
        for client in (world.client, other):
            client.post("/sign-in", data={"email": "dana@example.org", "password": PASSWORD})
        token = _csrf(world.client.get("/account").text)
        wrong = world.client.post("/account/password", data={
            "csrf_token": token, "current": "a guess that is wrong", "new": "x" * 20})
        assert wrong.status_code == 422 and "not your current password" in wrong.text
        weak = world.client.post("/account/password", data={
            "csrf_token": token, "current": PASSWORD, "new": "too short"})
        assert weak.status_code == 422 and "at least 15 characters" in weak.text
        done = world.client.post("/account/password", data={
            "csrf_token": token, "current": PASSWORD, "new": "a brand new pass phrase"})
        assert done.status_code == 200 and "Your password is changed" in done.text
        assert "Signed in as" in world.client.get("/").text
        assert "Signed in as" not in other.get("/").text
    identity = Identity(world.services)
    assert identity.authenticate("dana@example.org", "a brand new pass phrase")
