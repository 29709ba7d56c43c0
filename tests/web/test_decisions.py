"""Owners' decisions on the idea page: status with a public answer, merge, undo merge."""

from __future__ import annotations

from uuid import uuid4

from domain.member import COMMAND_LINE, Role
from tests.web.conftest import World

HTMX = {"HX-Request": "true"}


def owners(world: World) -> None:
    """Bob owns Wi-Fi; Cleo is an admin; Ann is staff only."""
    world.services.app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()


def test_the_owner_answers_and_everyone_sees_the_answer(world: World) -> None:
    owners(world)
    idea = world.idea()
    world.sign_in(world.bob)
    page = world.client.get(f"/ideas/{idea}").text
    assert "Owner decisions" in page and 'name="status"' in page
    response = world.client.post(f"/ideas/{idea}/status", follow_redirects=False, data={
        "status": "planned", "answer": "We order access points for room 4 in May."})
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/ideas/{idea}")
    world.sign_out()
    public = world.client.get(f"/ideas/{idea}").text
    assert "We order access points for room 4 in May." in public
    assert "Planned: answer from IT" in public
    assert "Owner decisions" not in public
    history = world.client.get(f"/ideas/{idea}/history").text
    assert "Changed the status" in history
    assert "Planned. We order access points for room 4 in May." in history
    assert "Bob Baker" in history


def test_an_admin_answers_any_category_with_htmx(world: World) -> None:
    owners(world)
    idea = world.idea(category=world.printing)
    world.sign_in(world.cleo)
    response = world.client.post(f"/ideas/{idea}/status", headers=HTMX, data={
        "status": "declined", "answer": "The printers are being replaced."})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"/ideas/{idea}")
    assert "The printers are being replaced." in world.client.get(f"/ideas/{idea}").text


def test_an_owner_of_another_category_is_refused(world: World) -> None:
    owners(world)
    idea = world.idea(category=world.printing)
    world.sign_in(world.bob)
    assert "Owner decisions" not in world.client.get(f"/ideas/{idea}").text
    for path, data in [("status", {"status": "planned", "answer": "Sure."}),
                       ("merge", {"canonical": str(world.idea("Another printer idea")),
                                  "reason": "Same."}),
                       ("unmerge", {"reason": "Oops."})]:
        response = world.client.post(f"/ideas/{idea}/{path}", data=data)
        assert response.status_code == 403, path
        assert "Only the owners of this idea" in response.text
    world.sign_out()
    assert "Sure." not in world.client.get(f"/ideas/{idea}").text


def test_a_missing_answer_comes_back_next_to_the_field(world: World) -> None:
    owners(world)
    idea = world.idea()
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/status", headers=HTMX,
                                 data={"status": "already_possible", "answer": "Use VPN."})
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<section id="owner-panel"')
    assert "needs at least 20 characters" in response.text
    assert ">Use VPN.</textarea>" in response.text
    assert '<option value="already_possible" selected>' in response.text
    plain = world.client.post(f"/ideas/{idea}/status", data={"status": "", "answer": "Hi"})
    assert plain.status_code == 422
    assert "Choose the new status." in plain.text and ">Hi</textarea>" in plain.text
    assert "<h1>" in plain.text  # the whole page without JavaScript
    bogus = world.client.post(f"/ideas/{idea}/status", data={"status": "merged", "answer": "x"})
    assert bogus.status_code == 422
    same = world.client.post(f"/ideas/{idea}/status", headers=HTMX,
                             data={"status": "open", "answer": "Still open."})
    assert same.status_code == 422 and "The idea is already open." in same.text
    assert 'aria-invalid="true" aria-describedby="status-error"' in same.text  # the select
    assert "status-answer-hint status-error" not in same.text
    assert ">Still open.</textarea>" in same.text


def test_unknown_ideas_answer_404(world: World) -> None:
    owners(world)
    world.sign_in(world.cleo)
    for path in ("status", "merge", "unmerge"):
        response = world.client.post(f"/ideas/{uuid4()}/{path}", data={"reason": "x"})
        assert response.status_code == 404, path


def test_merge_from_the_similar_ideas_then_undo(world: World) -> None:
    owners(world)
    app = world.services.app
    canonical = world.idea("Guest Wi-Fi in every meeting room")
    duplicate = world.idea("Guest Wi-Fi in all the meeting rooms", author=world.bob)
    for voter in (world.ann, world.cleo):
        app.cast_vote(canonical, voter)
    for voter in (world.ann, world.bob):
        app.cast_vote(duplicate, voter)
    app.post_comment(duplicate, world.bob, "Room 4 especially")
    world.settle()
    world.sign_in(world.bob)
    page = world.client.get(f"/ideas/{duplicate}").text
    assert f'name="canonical" value="{canonical}"' in page  # offered as a similar idea
    response = world.client.post(f"/ideas/{duplicate}/merge", follow_redirects=False,
                                 data={"canonical": [str(canonical), ""], "reason": "Same ask"})
    assert response.status_code == 303

    merged = world.client.get(f"/ideas/{duplicate}").text
    assert "Merged into" in merged and f'/ideas/{canonical}">' in merged
    assert "Undo merge" in merged
    main = world.client.get(f"/ideas/{canonical}").text
    assert vote_count(main) == 3  # Ann voted for both: counted once
    assert "Room 4 especially" in main and "Merged into this idea" in main
    assert "The discussion continues on" in merged
    late = world.client.post(f"/ideas/{duplicate}/comments", data={"text": "Me too"})
    assert late.status_code == 409 and "its discussion continues there" in late.text
    assert "Me too</blockquote>" in late.text  # what was typed is not lost
    world.sign_out()
    public = world.client.get(f"/ideas/{duplicate}").text
    assert "Merged into" in public and "Undo merge" not in public

    world.sign_in(world.bob)
    missing = world.client.post(f"/ideas/{duplicate}/unmerge", data={"reason": " "})
    assert missing.status_code == 422 and "is required" in missing.text
    undone = world.client.post(f"/ideas/{duplicate}/unmerge", follow_redirects=False,
                               data={"reason": "Different rooms after all"})
    assert undone.status_code == 303
    assert vote_count(world.client.get(f"/ideas/{canonical}").text) == 2
    assert vote_count(world.client.get(f"/ideas/{duplicate}").text) == 2
    assert "Merged into" not in world.client.get(f"/ideas/{duplicate}").text


def test_merge_by_pasting_a_link(world: World) -> None:
    owners(world)
    canonical = world.idea("Faster Wi-Fi on the fifth floor")
    duplicate = world.idea("Printer paper is always missing")
    world.sign_in(world.cleo)
    link = f"http://testserver/ideas/{canonical}#comments"
    response = world.client.post(f"/ideas/{duplicate}/merge", headers=HTMX,
                                 data={"canonical": ["", link], "reason": "Asked before"})
    assert response.status_code == 204
    assert "Merged into" in world.client.get(f"/ideas/{duplicate}").text


def test_merge_refusals_keep_what_was_typed(world: World) -> None:
    owners(world)
    idea = world.idea()
    world.sign_in(world.bob)
    cases = [
        ({"canonical": "not a link", "reason": "Same"}, "Choose the idea to merge into"),
        ({"canonical": str(uuid4()), "reason": "Same"}, "There is no idea with that link"),
        ({"canonical": str(idea), "reason": "Same"}, "can&#39;t be merged into itself"),
        ({"canonical": str(world.idea("Another Wi-Fi idea")), "reason": ""}, "is required"),
    ]
    for data, message in cases:
        response = world.client.post(f"/ideas/{idea}/merge", data=data, headers=HTMX)
        assert response.status_code == 422, data
        assert message in response.text
        if data["reason"]:
            assert f">{data['reason']}</textarea>" in response.text


def test_a_merged_idea_cannot_get_a_status(world: World) -> None:
    owners(world)
    canonical, duplicate = world.idea(), world.idea("Guest Wi-Fi for visitors")
    world.services.app.merge_proposals(duplicate, canonical, world.cleo, "Same")
    world.settle()
    world.sign_in(world.cleo)
    response = world.client.post(f"/ideas/{duplicate}/status",
                                 data={"status": "planned", "answer": "Yes"})
    assert response.status_code == 422
    assert "undo the merge first" in response.text


def vote_count(page: str) -> int:
    marker = 'data-testid="vote-count">'
    start = page.index(marker) + len(marker)
    return int(page[start:page.index("<", start)])



def test_a_hidden_idea_is_never_offered_as_a_merge_target(world: World) -> None:
    owners(world)
    app = world.services.app
    hidden = world.idea("Guest Wi-Fi in every meeting room")
    shown = world.idea("Guest Wi-Fi in each meeting room, please")
    duplicate = world.idea("Guest Wi-Fi in all the meeting rooms", author=world.bob)
    app.hide_content(hidden, world.cleo, "Spam.")
    world.settle()
    world.sign_in(world.bob)
    page = world.client.get(f"/ideas/{duplicate}").text
    assert f'name="canonical" value="{shown}"' in page
    assert str(hidden) not in page
    typing = world.client.get("/ideas/similar", params={"title": "Guest Wi-Fi meeting room"})
    assert str(hidden) not in typing.text and str(shown) in typing.text
