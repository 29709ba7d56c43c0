"""An idea's page, submitting ideas (and getting errors back), history, 404s and 400s."""

from __future__ import annotations

from uuid import uuid4

from domain.proposal import Status
from tests.web.conftest import World


def test_an_idea_page_shows_the_idea_its_author_and_its_thread(world: World) -> None:
    idea = world.idea("Guest Wi-Fi in every meeting room")
    world.services.app.post_comment(idea, world.bob, "Room 4 especially!")
    world.settle()
    page = world.client.get(f"/ideas/{idea}")
    assert page.status_code == 200
    assert "Guest Wi-Fi in every meeting room" in page.text
    assert "Ann Archer" in page.text
    assert "Room 4 especially!" in page.text
    assert "Sign in</a> to comment" in page.text


def test_an_unknown_idea_is_a_404_page(world: World) -> None:
    response = world.client.get(f"/ideas/{uuid4()}")
    assert response.status_code == 404
    assert "Not found" in response.text


def test_a_malformed_idea_id_is_a_400_page_not_a_500(world: World) -> None:
    for path in ("/ideas/not-an-id", "/ideas/123/history"):
        response = world.client.get(path)
        assert response.status_code == 400, path
        assert "not a valid id" in response.text
    assert world.client.post("/ideas/xyz/vote", follow_redirects=False).status_code in {303, 400}


def test_submitting_needs_a_signed_in_member(world: World) -> None:
    response = world.client.get("/ideas/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fideas%2Fnew"


def test_a_submitted_idea_opens_its_page_and_joins_the_board(world: World) -> None:
    world.sign_in(world.bob)
    response = world.client.post(
        "/ideas", data={"title": "Longer service desk hours", "description": "Until 6pm.",
                        "category": str(world.wifi)}, follow_redirects=False,
    )
    assert response.status_code == 303
    idea_page = world.client.get(response.headers["location"])
    assert "Longer service desk hours" in idea_page.text and "Bob Baker" in idea_page.text
    assert "Longer service desk hours" in world.client.get("/").text


def test_a_rejected_idea_comes_back_with_messages_and_everything_typed(world: World) -> None:
    world.sign_in(world.bob)
    typed = {"title": "Short", "description": "x" * 5001, "category": str(world.printing)}
    response = world.client.post("/ideas", data=typed)
    assert response.status_code == 422
    assert "A title needs 8 to 140 characters (it has 5)." in response.text
    assert "at most 5,000 characters (it has 5,001)" in response.text
    assert 'value="Short"' in response.text
    assert "x" * 5001 in response.text
    assert f'value="{world.printing}" selected' in response.text
    assert world.client.get("/").text.count('class="card"') == 0


def test_a_missing_or_forged_category_is_refused_with_a_message(world: World) -> None:
    world.sign_in(world.bob)
    for category in ("", "not-a-uuid", str(uuid4())):
        response = world.client.post(
            "/ideas", data={"title": "A perfectly fine title", "category": category}
        )
        assert response.status_code == 422
        assert "Choose one of the categories." in response.text
        assert 'value="A perfectly fine title"' in response.text


def test_the_htmx_submit_form_swaps_in_errors_and_redirects_on_success(world: World) -> None:
    world.sign_in(world.bob)
    htmx = {"HX-Request": "true"}
    refused = world.client.post("/ideas", data={"title": "Tiny"}, headers=htmx)
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<form id="idea-form"')
    accepted = world.client.post(
        "/ideas", data={"title": "A fine new idea", "category": str(world.wifi)}, headers=htmx
    )
    assert accepted.status_code == 204
    assert accepted.headers["HX-Redirect"].startswith("http://testserver/ideas/")


def test_the_history_shows_every_event_with_who_and_when(world: World) -> None:
    idea = world.idea()
    app = world.services.app
    app.cast_vote(idea, world.bob)
    app.withdraw_vote(idea, world.bob)
    app.post_comment(idea, world.cleo, "Agreed")
    app.change_status(idea, Status.UNDER_REVIEW, world.cleo, "Looking into it.")
    world.settle()
    page = world.client.get(f"/ideas/{idea}/history").text
    rows = page.split("<tbody>")[1]
    for who, what in [("Ann Archer", "Submitted the idea"), ("Bob Baker", "Voted"),
                      ("Bob Baker", "Withdrew their vote"), ("Cleo Cole", "Commented"),
                      ("Cleo Cole", "Changed the status")]:
        assert f"<td>{who}</td>\n      <td>{what}</td>" in rows
    assert "Under review. Looking into it." in rows
