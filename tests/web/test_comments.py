"""Comments: post (htmx and plain), errors keep the text, edit one's own only."""

from __future__ import annotations

from tests.web.conftest import World

HTMX = {"HX-Request": "true"}


def test_an_htmx_comment_returns_the_thread_with_it(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/comments", data={"text": "Yes please"},
                                 headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="comments"')
    assert "Yes please" in response.text and "Comments (1)" in response.text


def test_a_thread_is_shown_in_the_order_it_was_written(world: World) -> None:
    idea = world.idea()
    for member, text in [(world.bob, "First!"), (world.cleo, "Second."), (world.bob, "Third")]:
        world.services.app.post_comment(idea, member, text)
    world.settle()
    page = world.client.get(f"/ideas/{idea}").text
    assert page.index("First!") < page.index("Second.") < page.index("Third")


def test_an_empty_comment_comes_back_with_a_message(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/comments", data={"text": "   "}, headers=HTMX)
    assert response.status_code == 422
    assert "A comment cannot be empty." in response.text


def test_a_too_long_comment_keeps_what_was_typed(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    text = "word " * 1001
    response = world.client.post(f"/ideas/{idea}/comments", data={"text": text})
    assert response.status_code == 422
    assert "at most 5,000 characters" in response.text
    assert text.strip() in response.text


def test_a_plain_comment_post_redirects_to_the_thread(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/comments", data={"text": "Plain post"},
                                 follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/ideas/{idea}#comments")
    assert "Plain post" in world.client.get(f"/ideas/{idea}").text


def test_the_author_edits_their_comment(world: World) -> None:
    idea = world.idea()
    comment = world.services.app.post_comment(idea, world.bob, "Teh typo").id
    world.settle()
    world.sign_in(world.bob)
    assert f"/comments/{comment}/edit" in world.client.get(f"/ideas/{idea}").text
    form = world.client.get(f"/comments/{comment}/edit")
    assert form.status_code == 200 and "Teh typo" in form.text
    saved = world.client.post(f"/comments/{comment}", data={"text": "The typo"},
                              follow_redirects=False)
    assert saved.status_code == 303
    page = world.client.get(f"/ideas/{idea}").text
    assert "The typo" in page and "Teh typo" not in page and "(edited)" in page


def test_nobody_else_can_edit_a_comment(world: World) -> None:
    idea = world.idea()
    comment = world.services.app.post_comment(idea, world.bob, "Mine").id
    world.settle()
    world.sign_in(world.cleo)
    assert f"/comments/{comment}/edit" not in world.client.get(f"/ideas/{idea}").text
    assert world.client.get(f"/comments/{comment}/edit").status_code == 403
    assert world.client.post(f"/comments/{comment}", data={"text": "Hijack"}).status_code == 403


def test_an_emptied_edit_is_refused_and_the_comment_kept(world: World) -> None:
    idea = world.idea()
    comment = world.services.app.post_comment(idea, world.bob, "Keep me").id
    world.settle()
    world.sign_in(world.bob)
    response = world.client.post(f"/comments/{comment}", data={"text": ""})
    assert response.status_code == 422 and "A comment cannot be empty." in response.text
    assert "Keep me" in world.client.get(f"/ideas/{idea}").text


def test_commenting_on_an_unknown_idea_is_a_404(world: World) -> None:
    world.sign_in(world.bob)
    response = world.client.post(
        "/ideas/5f0c3c56-4b1e-4c7e-9d1e-3c0a8f0b1a2b/comments", data={"text": "Hello?"}
    )
    assert response.status_code == 404
    assert "Not found" in response.text
