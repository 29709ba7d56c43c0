"""Admins add categories and rename them; every change is an event."""

from __future__ import annotations

from uuid import uuid4

from domain.category import Category
from domain.member import COMMAND_LINE, Role
from tests.web.conftest import World


def admin(world: World) -> None:
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()
    world.sign_in(world.cleo)


def test_an_admin_adds_a_category_that_staff_can_then_file_ideas_under(world: World) -> None:
    admin(world)
    added = world.client.post("/admin/categories", follow_redirects=False, data={
        "slug": "meeting-rooms", "name": "Meeting rooms", "description": "Booking, AV"})

    assert added.status_code == 303
    category_id = Category.id_for("meeting-rooms")
    assert added.headers["location"] == f"/admin/categories#category-{category_id}"
    world.settle()
    world.sign_in(world.ann)
    assert "Meeting rooms" in world.client.get("/ideas/new").text


def test_a_taken_slug_or_a_bad_one_comes_back_with_what_was_typed(world: World) -> None:
    admin(world)
    taken = world.client.post("/admin/categories", data={
        "slug": "wifi", "name": "Wireless again", "description": "Second try"})
    assert taken.status_code == 422
    assert "already a category" in taken.text and "Wireless again" in taken.text
    bad = world.client.post("/admin/categories", data={"slug": "Meeting Rooms!", "name": "X"})
    assert bad.status_code == 422 and "lowercase words" in bad.text


def test_renaming_shows_everywhere_and_is_recorded_with_who(world: World) -> None:
    admin(world)
    for page in ("/", "/outcomes"):  # the filters show the name as it was
        assert ">Wi-Fi</option>" in world.client.get(page).text
    renamed = world.client.post(f"/admin/categories/{world.wifi}", follow_redirects=False,
                                data={"name": "Wi-Fi and network", "description": "All of it"})
    assert renamed.status_code == 303
    for page in ("/", "/outcomes"):  # and at once the new one (no stale copy)
        text = world.client.get(page).text
        assert ">Wi-Fi and network</option>" in text and ">Wi-Fi</option>" not in text
    category = world.services.app.repository.get(world.wifi)
    assert category.name == "Wi-Fi and network"
    changed = [e for e in world.services.app.repository.event_store.get(world.wifi)
               if isinstance(e, Category.Changed)]
    assert [e.changed_by for e in changed] == [world.cleo]


def test_bad_changes_keep_the_text_and_unknown_categories_are_404(world: World) -> None:
    admin(world)
    empty = world.client.post(f"/admin/categories/{world.wifi}",
                              data={"name": "  ", "description": "Kept description"})
    assert empty.status_code == 422 and "Kept description" in empty.text
    assert world.client.post(f"/admin/categories/{uuid4()}",
                             data={"name": "Ghost", "description": ""}).status_code == 404
    assert world.client.post("/admin/categories/not-a-uuid",
                             data={"name": "Ghost"}).status_code == 400


def test_staff_and_owners_cannot_manage_categories(world: World) -> None:
    world.sign_in(world.ann)
    assert world.client.get("/admin/categories").status_code == 403
    assert world.client.post("/admin/categories", data={
        "slug": "sneaky", "name": "Sneaky"}).status_code == 403
