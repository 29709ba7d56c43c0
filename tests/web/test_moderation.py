"""Moderation: staff report ideas and comments; admins hide, restore or dismiss."""

from __future__ import annotations

from uuid import uuid4

from domain.member import COMMAND_LINE, Role
from tests.web.conftest import World

HTMX = {"HX-Request": "true"}


def admin(world: World) -> None:
    world.services.app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    world.settle()


def test_staff_report_an_idea_and_the_admin_hides_it_everywhere(world: World) -> None:
    admin(world)
    idea = world.idea("Free crypto at the service desk")
    world.sign_in(world.bob)
    response = world.client.post(f"/ideas/{idea}/report", follow_redirects=False,
                                 data={"reason": "Spam"})
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/ideas/{idea}?reported=1")
    assert "your report went to the admins" in world.client.get(response.headers["location"]).text

    world.sign_in(world.cleo)
    queue = world.client.get("/admin/moderation").text
    assert "Free crypto at the service desk" in queue and "Spam" in queue
    assert 'class="count-pill" aria-label="1 waiting">1<' in queue  # the header's count
    hidden = world.client.post(f"/admin/moderation/{idea}/hide", follow_redirects=False,
                               data={"reason": "Advertising"})
    assert hidden.status_code == 303 and hidden.headers["location"] == "/admin/moderation"
    queue = world.client.get("/admin/moderation").text
    assert "Nothing is waiting" in queue and "Advertising" in queue

    world.sign_out()
    assert "Free crypto" not in world.client.get("/").text
    assert world.client.get(f"/ideas/{idea}").status_code == 404

    world.sign_in(world.cleo)
    restored = world.client.post(f"/admin/moderation/{idea}/restore", headers=HTMX,
                                 data={"reason": "It was a joke idea, fine"})
    assert restored.status_code == 204
    world.sign_out()
    assert "Free crypto" in world.client.get("/").text


def test_a_hidden_comment_leaves_the_thread(world: World) -> None:
    admin(world)
    idea = world.idea()
    comment = world.services.app.post_comment(idea, world.ann, "Rude words here").id
    world.settle()
    world.sign_in(world.bob)
    assert "Report<span" in world.client.get(f"/ideas/{idea}").text
    reported = world.client.post(f"/comments/{comment}/report", headers=HTMX,
                                 data={"reason": "Insulting"})
    assert reported.status_code == 204
    assert reported.headers["HX-Redirect"].endswith(f"?reported=1#comment-{comment}")
    world.sign_in(world.cleo)
    assert world.client.post(f"/admin/moderation/{comment}/hide",
                             data={"reason": "Insult"}).status_code == 200  # followed
    world.sign_out()
    page = world.client.get(f"/ideas/{idea}").text
    assert "Rude words here" not in page and "Comments (0)" in page
    assert "Rude words here" not in world.client.get(f"/ideas/{idea}/history").text


def test_dismissing_reports_keeps_the_item_and_empties_the_queue(world: World) -> None:
    admin(world)
    idea = world.idea("Dark mode for the intranet")
    world.services.app.report_content(idea, world.bob, "I don't like it")
    world.settle()
    world.sign_in(world.cleo)
    response = world.client.post(f"/admin/moderation/{idea}/dismiss", follow_redirects=False,
                                 data={"reason": "Disagreeing is not a reason to hide"})
    assert response.status_code == 303
    assert "Nothing is waiting" in world.client.get("/admin/moderation").text
    assert "Dark mode for the intranet" in world.client.get("/").text


def test_report_and_decision_errors_keep_the_reason(world: World) -> None:
    admin(world)
    idea = world.idea()
    world.sign_in(world.bob)
    empty = world.client.post(f"/ideas/{idea}/report", data={"reason": "  "}, headers=HTMX)
    assert empty.status_code == 422 and "A reason for the report is required." in empty.text
    assert empty.text.lstrip().startswith('<details class="report" id="report-idea" open>')
    world.client.post(f"/ideas/{idea}/report", data={"reason": "Spam"})
    again = world.client.post(f"/ideas/{idea}/report", data={"reason": "Spam again"})
    assert again.status_code == 422 and "already reported" in again.text
    assert ">Spam again</textarea>" in again.text

    world.sign_in(world.cleo)
    bad = world.client.post(f"/admin/moderation/{idea}/hide", data={"reason": "x" * 1001},
                            headers=HTMX)
    assert bad.status_code == 422
    assert bad.text.lstrip().startswith('<div id="queue"')
    assert "at most 1,000 characters" in bad.text and "x" * 1001 in bad.text
    not_hidden = world.client.post(f"/admin/moderation/{idea}/restore", data={"reason": "ok"})
    assert not_hidden.status_code == 422 and "This is not hidden." in not_hidden.text


def test_unknown_content_answers_404(world: World) -> None:
    admin(world)
    world.sign_in(world.cleo)
    for path in (f"/ideas/{uuid4()}/report", f"/comments/{uuid4()}/report",
                 f"/admin/moderation/{uuid4()}/hide", f"/admin/moderation/{uuid4()}/restore",
                 f"/admin/moderation/{uuid4()}/dismiss"):
        assert world.client.post(path, data={"reason": "Spam"}).status_code == 404, path


def test_only_admins_moderate(world: World) -> None:
    idea = world.idea()
    world.services.app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    world.settle()
    world.sign_in(world.bob)
    assert world.client.get("/admin/moderation").status_code == 403
    assert world.client.post(f"/admin/moderation/{idea}/hide",
                             data={"reason": "No"}).status_code == 403
    assert "Moderation" not in world.client.get("/").text
    world.sign_out()
    response = world.client.post(f"/ideas/{idea}/report", data={"reason": "Spam"},
                                 follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_the_author_is_told_on_their_account_page_why_it_was_hidden(world: World) -> None:
    admin(world)
    idea = world.idea("Shared printer password on a sticky note", author=world.ann)
    comment = world.services.app.post_comment(idea, world.ann, "Rude words here").id
    world.settle()
    world.sign_in(world.cleo)
    world.client.post(f"/admin/moderation/{comment}/hide", data={"reason": "Insulting a colleague"})

    world.sign_in(world.ann)
    account = world.client.get("/account").text
    assert "Hidden by the moderators" in account and "Insulting a colleague" in account
    assert "Your comment on “Shared printer password on a sticky note”" in account

    world.sign_in(world.bob)
    assert "Hidden by the moderators" not in world.client.get("/account").text
    world.sign_in(world.cleo)
    world.client.post(f"/admin/moderation/{comment}/restore", data={"reason": "Reworded"})
    world.sign_in(world.ann)
    assert "Hidden by the moderators" not in world.client.get("/account").text
