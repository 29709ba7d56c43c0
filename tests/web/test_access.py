"""Every route of the app, for every role: the access table decides, and is enforced.

A route without a line in web/access.py's ACCESS table fails here (and stops the app
from starting), so no route ships without a decision about who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

import pytest
from starlette.routing import Mount, Route

from domain.member import COMMAND_LINE, Role
from tests.web.campaign_access import campaign_calls
from tests.web.conftest import World
from tests.web.outcome_access import outcome_calls
from web.access import ACCESS, ANONYMOUS, EVERYONE, STAFF_UP, allowed, guard
from web.app import create_app
from web.app import routes as declared_routes

ROLES = ("anonymous", "staff", "owner", "admin")
HTMX = {"HX-Request": "true"}


@dataclass
class Call:
    method: str
    path: str
    ok: int  # the answer when the role may use the route
    data: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # Beyond the table: the route's own rule (a comment is edited by its author only).
    refused_to: tuple[str, ...] = ()


def calls(idea: UUID, comment: UUID, target: UUID, wifi: UUID,
          theme: UUID) -> dict[str, Call]:
    """One representative request per route name; success answers differ from refusals
    (form errors answer 422, htmx votes 200) so a refusal cannot pass for a success."""
    admin = f"/admin/members/{target}"
    return {
        "board": Call("GET", "/", 200),
        "proposal_new": Call("GET", "/ideas/new", 200),
        "proposal_similar": Call("GET", "/ideas/similar?title=guest+wifi", 200),
        "proposal_submit": Call("POST", "/ideas", 422, {"title": ""}),
        "proposal_detail": Call("GET", f"/ideas/{idea}", 200),
        "proposal_history": Call("GET", f"/ideas/{idea}/history", 200),
        "proposal_vote": Call("POST", f"/ideas/{idea}/vote", 200, headers=HTMX),
        "proposal_unvote": Call("POST", f"/ideas/{idea}/unvote", 200, headers=HTMX),
        "comment_post": Call("POST", f"/ideas/{idea}/comments", 422, {"text": ""}),
        "comment_edit": Call("GET", f"/comments/{comment}/edit", 200,
                             refused_to=("owner", "admin")),
        "comment_update": Call("POST", f"/comments/{comment}", 422, {"text": ""},
                               refused_to=("owner", "admin")),
        "theme_list": Call("GET", "/themes", 200),
        "member_sign_in": Call("GET", "/sign-in", 200),
        "member_sign_in_submit": Call("POST", "/sign-in", 422, {"email": ""}),
        "member_sign_out": Call("POST", "/sign-out", 303),
        "member_demo_sign_in": Call("POST", "/sign-in/demo", 404),  # not a demo site
        "oidc_start": Call("GET", "/auth/oidc/corp", 404),  # no provider configured
        "oidc_callback": Call("GET", "/auth/oidc/corp/callback", 404),
        "member_sign_out_everywhere": Call("POST", "/sign-out/everywhere", 303),
        "member_account": Call("GET", "/account", 200),
        "member_data": Call("GET", "/account/data", 200),
        "member_password": Call("POST", "/account/password", 422, {"current": ""}),
        "admin_member_create": Call("POST", "/admin/members", 422, {"email": "x"}),
        "admin_members": Call("GET", "/admin/members", 200),
        "admin_member_grant": Call("POST", f"{admin}/roles", 303,
                                   {"role": "owner", "category": str(wifi)}),
        "admin_member_revoke": Call("POST", f"{admin}/roles/revoke", 303,
                                    {"role": "owner", "category": str(wifi)}),
        "admin_member_disable": Call("POST", f"{admin}/disable", 303),
        "admin_member_enable": Call("POST", f"{admin}/enable", 303),
        "admin_member_forget": Call("POST", f"{admin}/forget", 303, {"confirm": "yes"}),
        "admin_categories": Call("GET", "/admin/categories", 200),
        "admin_category_create": Call("POST", "/admin/categories", 422, {"slug": "Not A Slug"}),
        "admin_category_change": Call("POST", f"/admin/categories/{wifi}", 422, {"name": ""}),
        "static": Call("GET", "/static/style.css", 200),
        "proposal_report": Call("POST", f"/ideas/{idea}/report", 422, {"reason": ""}),
        "comment_report": Call("POST", f"/comments/{comment}/report", 422, {"reason": ""}),
        # Bob owns the idea's category; the category rule itself: tests/web/test_decisions.py
        "proposal_status": Call("POST", f"/ideas/{idea}/status", 422, {"status": ""}),
        "proposal_merge": Call("POST", f"/ideas/{idea}/merge", 422, {"canonical": ""}),
        "proposal_unmerge": Call("POST", f"/ideas/{idea}/unmerge", 422, {"reason": "x"}),
        "admin_moderation": Call("GET", "/admin/moderation", 200),
        "admin_moderation_hide": Call("POST", f"/admin/moderation/{idea}/hide", 422),
        "admin_moderation_restore": Call("POST", f"/admin/moderation/{idea}/restore", 422),
        "admin_moderation_dismiss": Call("POST", f"/admin/moderation/{idea}/dismiss", 422),
        "healthz": Call("GET", "/healthz", 200),
        "readyz": Call("GET", "/readyz", 200),
        "metrics": Call("GET", "/metrics", 404),  # no token configured
        "triage_inbox": Call("GET", "/triage", 200),
        "triage_theme_confirm": Call("POST", f"/triage/themes/{theme}/confirm", 422),
        "triage_theme_rename": Call("POST", f"/triage/themes/{theme}/rename", 422),
        "triage_theme_move": Call("POST", f"/triage/themes/{theme}/move", 422,
                                  {"proposal": "junk"}),
        # Live updates: streams end after the test world's short stream lifetime.
        "live_idea": Call("GET", f"/live/ideas/{idea}", 200),
        "live_board": Call("GET", "/live/board", 200),
        "live_outcomes": Call("GET", "/live/outcomes", 200),
        "live_member": Call("GET", "/live/me", 200),
        "proposal_vote_widget": Call("GET", f"/ideas/{idea}/vote", 200, headers=HTMX),
        "proposal_comments": Call("GET", f"/ideas/{idea}/comments", 200, headers=HTMX),
        "proposal_status_part": Call("GET", f"/ideas/{idea}/status", 200, headers=HTMX),
        "proposal_card": Call("GET", f"/ideas/{idea}/card", 200, headers=HTMX),
        "notification_inbox": Call("GET", "/notifications", 200),
        "notification_bell": Call("GET", "/notifications/bell", 200),
        "notification_read_all": Call("POST", "/notifications/read", 303),
        "notification_read": Call("POST", "/notifications/1/read", 303),
        "member_notifications": Call("POST", "/account/notifications", 422,
                                     {"status": "carrier pigeon"}),
        "proposal_follow": Call("POST", f"/ideas/{idea}/follow", 200, headers=HTMX),
        "proposal_unfollow": Call("POST", f"/ideas/{idea}/unfollow", 200, headers=HTMX),
        "admin_outbox": Call("GET", "/admin/outbox", 200),
        "admin_outbox_send_again": Call("POST", "/admin/outbox/send-again", 422,
                                        {"key": "nothing"}),
        "triage_rerun": Call("POST", "/triage/rerun", 422, {"granularity": "junk"}),
        "triage_progress": Call("GET", "/triage/progress", 200),
    }


def test_every_route_has_a_line_in_the_access_table() -> None:
    names = {route.name for route in create_app().routes if isinstance(route, Route | Mount)}
    assert names == set(ACCESS), "routes and ACCESS lines must match one to one"


def test_a_route_without_a_decision_stops_the_app() -> None:
    async def endpoint(request: object) -> None: ...

    with pytest.raises(LookupError, match="'undecided' has no line in the access table"):
        guard([*declared_routes, Route("/new", endpoint, name="undecided")])


def test_the_table_says_what_the_product_says() -> None:
    public = {name for name, roles in ACCESS.items() if roles == EVERYONE}
    assert {"board", "proposal_detail", "proposal_history", "theme_list"} <= public
    assert not {"proposal_submit", "proposal_vote", "comment_post"} & public
    assert all(ACCESS[name] == STAFF_UP for name in ("proposal_submit", "proposal_vote",
                                                     "comment_post"))
    assert all(ACCESS[name] == {"admin"} for name in ACCESS if name.startswith("admin_"))


def test_every_route_answers_every_role_as_the_table_says(world: World) -> None:
    app = world.services.app
    idea = world.idea()
    comment = app.post_comment(idea, world.ann, "A comment by Ann").id
    target = app.register_member("local", "target").id
    app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    theme = uuid4()
    app.record_clustering("test", {}, [{
        "theme_id": str(theme), "label": "Wi-Fi", "terms": ["wifi"],
        "proposal_ids": [str(idea)], "representatives": [str(idea)]}])
    world.settle()
    members = {"staff": world.ann, "owner": world.bob, "admin": world.cleo}
    table = calls(idea, comment, target, world.wifi, theme)
    table |= {name: Call(*args) for name, args in outcome_calls(world, idea, theme).items()}
    table |= {name: Call(*args) for name, args in campaign_calls(world).items()}
    routes = [route.name for route in world.client.app.routes]  # type: ignore[attr-defined]
    assert set(routes) == set(table), "every route needs a representative call here"
    wrong = []
    for role in ROLES:
        for name in routes:
            call = table[name]
            world.sign_out()
            if role != ANONYMOUS:
                world.sign_in(members[role])
            response = world.client.request(call.method, call.path, data=call.data or None,
                                            headers=call.headers, follow_redirects=False)
            expected = expected_answer(name, role, call)
            got = (response.status_code, _where(response))
            if got != expected:
                wrong.append(f"{role} {call.method} {call.path}: {got}, expected {expected}")
    assert wrong == []


def expected_answer(name: str, role: str, call: Call) -> tuple[int, str]:
    member = None if role == ANONYMOUS else role
    if not allowed(name, _viewer(member)):
        if member is None:
            return (204, "sign-in") if call.headers else (303, "sign-in")
        return 403, ""
    if role in call.refused_to:
        return 403, ""
    return call.ok, "elsewhere" if call.ok == 303 else ""


def _viewer(role: str | None) -> object:
    from projections.member_views import SignedInMember

    if role is None:
        return None
    roles = {Role.STAFF} | ({Role(role)} if role != "staff" else set())
    return SignedInMember(UUID(int=1), "", frozenset(roles))


def _where(response: object) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    target = headers.get("location") or headers.get("hx-redirect") or ""
    if not target:
        return ""
    return "sign-in" if target.startswith("/sign-in") else "elsewhere"
