"""The bell, the inbox, following ideas and notification preferences, over HTTP."""

from __future__ import annotations

import re

from domain.member import Role
from domain.proposal import Status
from incubator.identity import COMMAND_LINE
from incubator.mailer import now_utc
from projections.sessions import add_account
from tests.web.conftest import World

HTMX = {"HX-Request": "true"}


def bell(world: World) -> str:
    response = world.client.get("/notifications/bell")
    assert response.status_code == 200 and "<html" not in response.text
    found = re.search(r"Notifications, (\d+) unread", response.text)
    assert found, response.text
    return found.group(1)


def test_a_voter_sees_the_answer_on_the_bell_and_in_the_inbox_then_marks_it_read(
        world: World) -> None:
    idea = world.idea("Guest Wi-Fi in every meeting room")
    world.services.app.cast_vote(idea, world.bob)
    world.services.app.change_status(idea, Status.PLANNED, world.cleo, "In March.")
    world.settle()
    world.sign_in(world.bob)

    assert bell(world) == "1"
    assert "Notifications, 1 unread" in world.client.get("/").text  # the header's bell
    inbox = world.client.get("/notifications").text
    assert "Guest Wi-Fi in every meeting room" in inbox and "Planned. In March." in inbox
    assert f'href="/ideas/{idea}"' in inbox

    done = world.client.post("/notifications/read", headers=HTMX)
    assert done.status_code == 200 and "Mark all read" not in done.text
    assert bell(world) == "0"


def test_marking_one_notice_read_without_javascript_comes_back_to_the_inbox(
        world: World) -> None:
    idea = world.idea()
    for text in ("First.", "Second."):
        world.services.app.post_comment(idea, world.bob, text)
    world.settle()
    world.sign_in(world.ann)
    positions = re.findall(r'action="[^"]*/notifications/(\d+)/read"', world.client.get(
        "/notifications").text)
    assert len(positions) == 2

    answer = world.client.post(f"/notifications/{positions[0]}/read", follow_redirects=False)

    assert (answer.status_code, answer.headers["location"]) == (303, "/notifications")
    assert bell(world) == "1"


def test_following_and_unfollowing_an_idea_with_htmx_and_without(world: World) -> None:
    idea = world.idea()
    world.sign_in(world.bob)
    assert 'aria-pressed="false">Follow<' in world.client.get(f"/ideas/{idea}").text

    followed = world.client.post(f"/ideas/{idea}/follow", headers=HTMX)
    assert followed.status_code == 200 and 'aria-pressed="true">Following<' in followed.text
    assert "You follow this idea" in followed.text
    world.services.app.change_status(idea, Status.UNDER_REVIEW, world.cleo, "Looking.")
    world.settle()
    assert bell(world) == "1"

    left = world.client.post(f"/ideas/{idea}/unfollow", data={"next": f"/ideas/{idea}"},
                             follow_redirects=False)
    assert (left.status_code, left.headers["location"]) == (303, f"/ideas/{idea}")
    assert 'aria-pressed="false">Follow<' in world.client.get(f"/ideas/{idea}").text
    world.services.app.change_status(idea, Status.PLANNED, world.cleo, "Soon.")
    world.settle()
    assert bell(world) == "1"  # not told again


def test_following_an_idea_that_is_not_there_is_a_404(world: World) -> None:
    world.sign_in(world.bob)
    missing = "00000000-0000-0000-0000-000000000001"
    assert world.client.post(f"/ideas/{missing}/follow").status_code == 404


def test_preferences_are_saved_on_the_account_page_and_a_bad_choice_is_explained(
        world: World) -> None:
    world.sign_in(world.ann)
    page = world.client.get("/account").text
    assert re.search(r'name="reply" value="in_app"\s+checked', page)  # the default
    assert "We keep no e-mail address for you" in page  # Ann has no local account

    saved = world.client.post("/account/notifications",
                              data={"status": "off", "reply": "email", "digest": "daily"})
    assert saved.status_code == 200 and "notification choices are saved" in saved.text
    assert re.search(r'name="status" value="off"\s+checked', saved.text)
    assert re.search(r'name="digest" value="daily"\s+checked', saved.text)

    refused = world.client.post("/account/notifications", data={"status": "carrier pigeon"})
    assert refused.status_code == 422 and "Choose how to be told" in refused.text

    idea = world.idea(author=world.ann)
    world.services.app.change_status(idea, Status.PLANNED, world.cleo, "Soon.")
    world.settle()
    assert bell(world) == "0"  # status notices are off


def test_without_smtp_admins_read_the_outbox_and_members_without_address_are_shown(
        world: World) -> None:
    add_account(world.services.writer, world.bob, "bob@example.org", "hash", now_utc())
    idea = world.idea("Guest Wi-Fi in every meeting room")
    world.services.app.cast_vote(idea, world.bob)
    world.services.app.change_status(idea, Status.PLANNED, world.cleo, "In March.")
    world.settle()
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()
    world.sign_in(world.cleo)

    page = world.client.get("/admin/outbox")

    assert page.status_code == 200
    assert "No SMTP server is configured" in page.text
    assert "bob@example.org" in page.text and "(no e-mail address)" in page.text  # Ann
    assert "News on “Guest Wi-Fi in every meeting room”" in page.text
    assert f"http://localhost:8000/ideas/{idea}" in page.text
    assert "Waiting: 2" in page.text
    refused = world.client.post("/admin/outbox/send-again", data={"key": "nothing"})
    assert refused.status_code == 422 and "Only an interrupted or failed message" in refused.text
    world.sign_in(world.bob)
    assert world.client.get("/admin/outbox").status_code == 403


def test_download_my_data_lists_what_i_follow_and_my_notification_choices(
        world: World) -> None:
    idea = world.idea(author=world.ann)
    world.sign_in(world.bob)
    world.client.post(f"/ideas/{idea}/follow")
    world.client.post("/account/notifications", data={"reply": "off"})

    data = world.client.get("/account/data").json()

    assert data["follows"] == [{"target_kind": "idea", "target_id": str(idea),
                                "following": True, "chosen": True}]
    assert "reply=off" in data["notification_preferences"]["channels"]
