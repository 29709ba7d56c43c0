"""Whatever a visitor sends, the answer is a page with a 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests.web.conftest import World

UNKNOWN = "5f0c3c56-4b1e-4c7e-9d1e-3c0a8f0b1a2b"
REQUESTS = [
    ("GET", "/?sort=&status=&category=&page=", {}),
    ("GET", "/?page=99999", {}),
    ("GET", "/?category=no-such-category", {}),
    ("GET", f"/ideas/{UNKNOWN}/history", {}),
    ("GET", "/comments/not-an-id/edit", {}),
    ("GET", f"/comments/{UNKNOWN}/edit", {}),
    ("POST", f"/comments/{UNKNOWN}", {"text": "x"}),
    ("POST", "/comments/%00/", {"text": "x"}),
    ("POST", f"/ideas/{UNKNOWN}/unvote", {}),
    ("POST", "/ideas/not-an-id/comments", {"text": "x"}),
    ("POST", "/ideas", {"title": "\x00" * 20, "category": "\x00"}),
    ("POST", "/ideas", {"title": "t" * 10_000, "description": "d" * 100_000}),
    ("POST", "/sign-in", {"member_id": "", "next": "javascript:alert(1)"}),
    ("GET", "/sign-in?next=https://elsewhere.example/", {}),
    ("GET", "/no/such/page", {}),
    ("POST", "/sign-in", {"email": "\x00@example.org", "password": "\x00" * 20}),
    ("POST", "/sign-in", {"email": "a@b.c", "password": "p" * 100_000}),
    ("POST", "/sign-in/demo", {"member_id": "\x00"}),
    ("POST", "/account/password", {"current": "\x00", "new": "n" * 100_000}),
    ("POST", f"/admin/members/{UNKNOWN}/disable", {}),
    ("GET", "/admin/members/not-an-id", {}),
]


@pytest.mark.parametrize(("method", "path", "data"), REQUESTS)
def test_bad_input_gets_a_clear_answer(world: World, method: str, path: str,
                                       data: dict[str, str]) -> None:
    world.sign_in(world.ann)
    response = world.client.request(method, path, data=data or None)
    assert response.status_code < 500, response.text[:500]
    assert "<html" in response.text
