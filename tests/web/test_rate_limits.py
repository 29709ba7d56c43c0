"""A person over a rate limit gets 429, a Retry-After and their form back as typed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from incubator.bootstrap import bootstrap
from incubator.identity import Identity
from incubator.rate_limits import (
    SIGN_IN_ACCOUNT,
    SIGN_IN_IP,
    Limit,
    RateLimiter,
    limits_from,
)
from incubator.settings import Settings
from tests.web.conftest import World, make_world
from web.app import create_app

HTMX = {"HX-Request": "true"}
SMALL = Settings(secret_key="test", rate_limit_ideas="2/hour", rate_limit_comments="2/hour",
                 rate_limit_votes="3/hour", rate_limit_sign_in="3/minute")


# Windows are fixed (each minute, each hour): on the real clock, attempts that
# straddle a minute's end start a new count, and a test of 3/minute saw a 4th allowed.
# One second into an hour, every window of these tests has room for the whole test.
A_MOMENT = 1_800_000_000.0 + 1  # 1_800_000_000 is a whole hour


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    for world in make_world(replace(SMALL, data_dir=tmp_path)):
        services = world.services
        services.rate_limits = RateLimiter(services.writer, limits_from(services.settings),
                                           clock=lambda: A_MOMENT)
        yield world


def idea_form(world: World, title: str) -> dict[str, str]:
    return {"title": title, "description": "Typed with care", "category": str(world.wifi)}


def test_a_third_idea_within_the_hour_comes_back_filled_in_with_429(world: World) -> None:
    world.sign_in(world.ann)
    for n in (1, 2):
        posted = world.client.post("/ideas", data=idea_form(world, f"Idea number {n} here"),
                                   follow_redirects=False)
        assert posted.status_code == 303
    for headers in ({}, HTMX):
        refused = world.client.post("/ideas", data=idea_form(world, "A third idea today"),
                                    headers=headers)
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 3_600
        assert "submitted many ideas in a short time" in refused.text
        assert 'value="A third idea today"' in refused.text
        assert "Typed with care</textarea>" in refused.text
    assert world.services.read_model.board("new", None, None, 1).total == 2


def test_the_limit_is_per_member(world: World) -> None:
    world.sign_in(world.ann)
    for n in (1, 2, 3):
        world.client.post("/ideas", data=idea_form(world, f"Ann's idea number {n}"))
    world.sign_in(world.bob)
    posted = world.client.post("/ideas", data=idea_form(world, "Bob's first idea"),
                               follow_redirects=False)
    assert posted.status_code == 303


def test_a_limited_comment_keeps_its_text(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    for n in (1, 2):
        assert world.client.post(f"/ideas/{idea}/comments", data={"text": f"Note {n}"},
                                 headers=HTMX).status_code == 200
    refused = world.client.post(f"/ideas/{idea}/comments", data={"text": "My third note"},
                                headers=HTMX)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert refused.text.lstrip().startswith('<section id="comments"')
    assert "My third note</textarea>" in refused.text
    assert "posted many comments" in refused.text
    assert len(world.services.read_model.comments(idea)) == 2


def test_a_limited_vote_says_why_and_leaves_the_tally(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    for action in ("vote", "unvote", "vote"):
        assert world.client.post(f"/ideas/{idea}/{action}", headers=HTMX).status_code == 200
    refused = world.client.post(f"/ideas/{idea}/unvote", headers=HTMX)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "voted many times" in refused.text and 'aria-pressed="true"' in refused.text
    plain = world.client.post(f"/ideas/{idea}/unvote", follow_redirects=False)
    assert plain.status_code == 429 and "<h1" in plain.text
    assert world.services.read_model.has_voted(idea, world.bob)


def test_password_sign_ins_are_limited_per_address(world: World) -> None:
    for n in range(3):
        world.client.post("/sign-in", data={"email": f"guess{n}@example.org",
                                            "password": "a wrong guess"})
    refused = world.client.post("/sign-in", data={"email": "ann@example.org",
                                                  "password": "typed secret",
                                                  "next": "/ideas/new"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert "too many sign-in attempts from your network" in refused.text
    assert 'value="ann@example.org"' in refused.text and "typed secret" not in refused.text
    assert 'value="/ideas/new"' in refused.text
    assert "set-cookie" not in refused.headers


def test_demo_sign_ins_count_against_the_same_address_limit(world: World) -> None:
    world.services.settings = replace(world.services.settings, demo=True)
    world.client.post("/sign-in", data={"email": "guess@example.org", "password": "wrong"})
    for _ in range(2):
        world.client.post("/sign-in/demo", data={"member_id": "not-a-member"})
    refused = world.client.post("/sign-in/demo", data={"member_id": str(world.ann),
                                                       "next": "/ideas/new"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "too many sign-in attempts" in refused.text
    assert f'value="{world.ann}" selected' in refused.text
    assert 'value="/ideas/new"' in refused.text
    assert "set-cookie" not in refused.headers
    assert "Signed in as" not in world.client.get("/").text


PASSWORD = "four words make a phrase"


def few_password_tries(world: World) -> None:
    """Two failed passwords per account; the per-address limit out of the way."""
    world.services.rate_limits.limits.update({SIGN_IN_ACCOUNT: Limit(2, 900),
                                              SIGN_IN_IP: Limit(1_000, 60)})
    Identity(world.services).create_local_account("dana@example.org", PASSWORD, "Dana Diaz")


def sign_in(world: World, email: str, password: str) -> Any:  # the client's response
    return world.client.post("/sign-in", data={"email": email, "password": password,
                                               "next": "/themes"}, follow_redirects=False)


def test_after_failed_passwords_the_account_is_throttled_even_for_the_right_one(
        world: World) -> None:
    few_password_tries(world)
    for _ in range(2):
        assert sign_in(world, "dana@example.org", "a wrong guess").status_code == 422
    refused = sign_in(world, " Dana@Example.org", PASSWORD)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 900
    assert "too many failed sign-ins to this account" in refused.text
    assert 'value="Dana@Example.org"' in refused.text and PASSWORD not in refused.text
    assert 'value="/themes"' in refused.text
    assert "set-cookie" not in refused.headers
    assert "Signed in as" not in world.client.get("/").text
    Identity(world.services).create_local_account("erin@example.org", PASSWORD, "Erin")
    assert sign_in(world, "erin@example.org", PASSWORD).status_code == 303, \
        "another account is not affected"


def test_a_successful_sign_in_clears_the_failures(world: World) -> None:
    few_password_tries(world)
    assert sign_in(world, "dana@example.org", "a wrong guess").status_code == 422
    assert sign_in(world, "dana@example.org", PASSWORD).status_code == 303
    world.sign_out()
    for _ in range(2):
        assert sign_in(world, "dana@example.org", "a wrong guess").status_code == 422
    assert sign_in(world, "dana@example.org", PASSWORD).status_code == 429


def test_two_app_instances_on_one_database_share_the_limit(world: World,
                                                           tmp_path: Path) -> None:
    other = bootstrap(replace(SMALL, data_dir=tmp_path))
    try:
        with TestClient(create_app(services=other)) as second:
            world.sign_in(world.ann)
            world.sign_in(world.ann, second)  # another session of the same member
            for client in (world.client, second):
                assert client.post("/ideas", data=idea_form(world, "Shared limit idea"),
                                   follow_redirects=False).status_code == 303
            for client in (world.client, second):
                assert client.post("/ideas", data=idea_form(world, "One idea too many"),
                                   follow_redirects=False).status_code == 429
    finally:
        other.close()
