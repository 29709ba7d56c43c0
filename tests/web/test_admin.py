"""Admins list members, grant and revoke roles, disable, enable and forget members."""

from __future__ import annotations

from domain.member import COMMAND_LINE, Role
from incubator.identity import Identity
from projections.member_queries import member_summary
from projections.schema import save_member_profile
from tests.helpers import event_names
from tests.web.conftest import World


def as_admin(world: World) -> None:
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()
    world.sign_in(world.cleo)


def roles(world: World, member: object) -> set[tuple[str, str]]:
    summary = member_summary(world.services.read_model.engine, member)  # type: ignore[arg-type]
    assert summary is not None
    return {(g.role.value, g.category_name) for g in summary.grants}


def test_the_member_list_shows_names_e_mails_and_roles(world: World) -> None:
    Identity(world.services).create_local_account("dana@example.org", "four words make a phrase",
                                                  "Dana Diaz")
    as_admin(world)
    page = world.client.get("/admin/members").text
    for text in ("Ann Archer", "Bob Baker", "Cleo Cole", "Dana Diaz", "dana@example.org",
                 "signs in with local", "Admin"):
        assert text in page
    assert "Members</a>" in page  # the admins' link in the header


def test_granting_and_revoking_a_role_are_events_with_the_admin_s_name(world: World) -> None:
    as_admin(world)
    grant = world.client.post(f"/admin/members/{world.bob}/roles",
                              data={"role": "owner", "category": str(world.wifi)},
                              follow_redirects=False)
    assert grant.status_code == 303
    assert grant.headers["location"] == f"/admin/members#member-{world.bob}"
    assert ("owner", "Wi-Fi") in roles(world, world.bob)
    member = world.services.app.get_member(world.bob)
    assert member.has_role(Role.OWNER, world.wifi)
    world.client.post(f"/admin/members/{world.bob}/roles/revoke",
                      data={"role": "owner", "category": str(world.wifi)})
    assert roles(world, world.bob) == {("staff", "")}
    assert event_names(world.services).count("Member.RoleGranted") == 2  # Cleo's admin too
    assert event_names(world.services).count("Member.RoleRevoked") == 1


def test_refusals_are_explained_on_the_page(world: World) -> None:
    as_admin(world)
    owner = world.client.post(f"/admin/members/{world.bob}/roles", data={"role": "owner"})
    assert owner.status_code == 422 and "Choose the category they will own." in owner.text
    unknown = world.client.post(f"/admin/members/{world.bob}/roles", data={"role": "king"})
    assert unknown.status_code == 422 and "Choose a role." in unknown.text
    myself = world.client.post(f"/admin/members/{world.cleo}/disable")
    assert myself.status_code == 422 and "You cannot disable yourself." in myself.text
    unconfirmed = world.client.post(f"/admin/members/{world.bob}/forget")
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.text
    missing = world.client.post("/admin/members/5f0c3c56-4b1e-4c7e-9d1e-3c0a8f0b1a2b/disable")
    assert missing.status_code == 404


def test_disabling_signs_the_member_out_at_once_and_enabling_lets_them_back(
    world: World,
) -> None:
    from starlette.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(services=world.services)) as bobs_browser:
        world.sign_in(world.bob, bobs_browser)
        assert "Bob Baker" in bobs_browser.get("/").text
        as_admin(world)
        world.client.post(f"/admin/members/{world.bob}/disable")
        assert "Signed in as" not in bobs_browser.get("/").text
        assert "disabled" in world.client.get("/admin/members").text
        world.client.post(f"/admin/members/{world.bob}/enable")
        world.sign_in(world.bob, bobs_browser)
        assert "Bob Baker" in bobs_browser.get("/").text


def test_a_forgotten_member_s_ideas_stay_as_a_former_member_s(world: World) -> None:
    idea = world.idea("Printers should tell me when toner is low", author=world.bob)
    as_admin(world)
    response = world.client.post(f"/admin/members/{world.bob}/forget", data={"confirm": "yes"})
    assert response.status_code == 200
    page = world.client.get(f"/ideas/{idea}").text
    assert "Printers should tell me when toner is low" in page
    assert "Bob Baker" not in page and "former member" in page
    assert "Bob Baker" not in world.client.get("/admin/members").text
    assert "Member.Forgotten" in event_names(world.services)


def test_an_admin_adds_a_local_account_and_mistakes_keep_what_was_typed(world: World) -> None:
    as_admin(world)
    refused = world.client.post("/admin/members", data={
        "email": "erin@example", "name": "Erin Evans", "password": "short"})
    assert refused.status_code == 422
    assert "Enter an e-mail address" in refused.text and "at least 15 characters" in refused.text
    assert 'value="erin@example"' in refused.text and 'value="Erin Evans"' in refused.text
    assert 'value="short"' not in refused.text
    created = world.client.post("/admin/members", data={
        "email": "erin@example.org", "name": "Erin Evans", "password": "first pass phrase here"},
        follow_redirects=False)
    assert created.status_code == 303
    member = Identity(world.services).authenticate("erin@example.org", "first pass phrase here")
    assert roles(world, member) == {("staff", "")}


def test_the_list_is_searchable_and_paged_and_changes_return_to_the_same_page(
    world: World,
) -> None:
    for n in range(55):
        member = world.services.app.register_member("local", f"extra-{n}").id
        save_member_profile(world.services.writer, member, f"Extra Member {n:02d}")
    as_admin(world)
    first = world.client.get("/admin/members").text
    assert "58 members · page 1 of 2" in first and "Next page" in first
    found = world.client.get("/admin/members?q=BOB").text
    assert "1 member" in found and "Bob Baker" in found and "Ann Archer" not in found
    assert "0 members" in world.client.get("/admin/members?q=%25").text  # % is no wildcard
    back = world.client.post(f"/admin/members/{world.bob}/disable", follow_redirects=False,
                             headers={"Referer": "http://testserver/admin/members?q=bob"})
    assert back.headers["location"] == f"/admin/members?q=bob#member-{world.bob}"
