"""Who may do what: ONE table, route name -> the roles allowed, enforced for every route.

`guard(routes)` wraps every route of the app; a route missing from `ACCESS` stops
the app from starting (and fails tests/web/test_access.py), so no route ships
without a decision. Before the decision, every unsafe request passes the CSRF check.

Pseudo-roles: everyone is ANONYMOUS (what the public may do, a member may do too);
every signed-in member is SIGNED_IN, whatever roles they hold.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from domain.member import Role
from projections.member_views import SignedInMember
from web.identity import CSRF_FIELD, CSRF_HEADER, csrf_token, current_member, load_member
from web.requests import send_to_sign_in
from web.templating import error_page

ANONYMOUS = "anonymous"
SIGNED_IN = "signed-in"
STAFF, OWNER, ADMIN = Role.STAFF.value, Role.OWNER.value, Role.ADMIN.value

EVERYONE = frozenset({ANONYMOUS})
MEMBERS = frozenset({SIGNED_IN})
STAFF_UP = frozenset({STAFF, OWNER, ADMIN})  # owners and admins can do what staff can
ADMINS = frozenset({ADMIN})
OWNERS = frozenset({OWNER, ADMIN})  # the routes also check the idea's category

ACCESS: dict[str, frozenset[str]] = {
    # Public and read-only: the board, ideas, their history, themes.
    "board": EVERYONE,
    "proposal_detail": EVERYONE,
    "proposal_history": EVERYONE,
    "theme_list": EVERYONE,
    "static": EVERYONE,
    # Operations: probes for load balancers and orchestrators, no data in them.
    "healthz": EVERYONE,
    "readyz": EVERYONE,
    # Answers 404 unless INCUBATOR_METRICS_TOKEN is set, then only to that bearer token.
    "metrics": EVERYONE,
    # Signing in and out.
    "member_sign_in": EVERYONE,
    "member_sign_in_submit": EVERYONE,
    "member_demo_sign_in": EVERYONE,  # answers 404 unless the app runs with --demo
    "oidc_start": EVERYONE,  # 404 for a provider that is not configured
    "oidc_callback": EVERYONE,
    "member_sign_out": MEMBERS,
    "member_sign_out_everywhere": MEMBERS,
    "member_account": MEMBERS,
    "member_data": MEMBERS,
    "member_password": MEMBERS,
    # Staff: submit, vote, comment.
    "proposal_new": STAFF_UP,
    "proposal_similar": STAFF_UP,
    "proposal_submit": STAFF_UP,
    "proposal_vote": STAFF_UP,
    "proposal_unvote": STAFF_UP,
    "comment_post": STAFF_UP,
    "comment_edit": STAFF_UP,
    "comment_update": STAFF_UP,
    # Admins: members and their roles.
    "admin_members": ADMINS,
    "admin_member_create": ADMINS,
    "admin_member_grant": ADMINS,
    "admin_member_revoke": ADMINS,
    "admin_member_disable": ADMINS,
    "admin_member_enable": ADMINS,
    "admin_member_forget": ADMINS,
    "admin_categories": ADMINS,
    "admin_category_create": ADMINS,
    "admin_category_change": ADMINS,
    # Staff: report an idea or a comment to the admins.
    "proposal_report": STAFF_UP,
    "comment_report": STAFF_UP,
    # Owners (of the idea's category, checked by the route) and admins: decisions.
    "proposal_status": OWNERS,
    "proposal_merge": OWNERS,
    "proposal_unmerge": OWNERS,
    "triage_inbox": OWNERS,
    "triage_theme_confirm": OWNERS,
    "triage_theme_rename": OWNERS,
    "triage_theme_move": OWNERS,
    "triage_rerun": OWNERS,
    "triage_progress": OWNERS,
    # Admins: moderation.
    "admin_moderation": ADMINS,
    "admin_moderation_hide": ADMINS,
    "admin_moderation_restore": ADMINS,
    "admin_moderation_dismiss": ADMINS,
    # "You said, we did": public outcomes; owners (of the categories an outcome answers
    # for, checked by the screen) and admins draft, publish and correct them.
    "outcome_board": EVERYONE,
    "outcome_feed": EVERYONE,
    "outcome_detail": EVERYONE,  # a draft answers 404 unless the member may edit it
    "outcome_draft_idea": OWNERS,
    "outcome_draft_theme": OWNERS,
    "outcome_edit": OWNERS,
    "outcome_save": OWNERS,
    "outcome_correct": OWNERS,
    "outcome_withdraw": OWNERS,
    # Live updates: public streams of event names (no content) and the public
    # fragments they make pages fetch again; a member's own stream.
    "live_idea": EVERYONE,
    "live_board": EVERYONE,
    "live_outcomes": EVERYONE,
    "live_member": MEMBERS,
    "proposal_vote_widget": EVERYONE,
    "proposal_comments": EVERYONE,
    "proposal_status_part": EVERYONE,
    "proposal_card": EVERYONE,
    "outcome_draft_campaign": OWNERS,
    # Campaigns: public to read; staff answer the poll and submit ideas under them;
    # owners (of the campaign's category, checked by the route) and admins open and
    # close them.
    "campaign_list": EVERYONE,
    "campaign_detail": EVERYONE,
    "campaign_new": OWNERS,
    "campaign_open": OWNERS,
    "campaign_close": OWNERS,
    "campaign_answer": STAFF_UP,
    "campaign_idea_submit": STAFF_UP,
    "campaign_follow": MEMBERS,
    "campaign_unfollow": MEMBERS,
    # Notifications: every member's own bell, inbox and preferences; following ideas.
    "notification_inbox": MEMBERS,
    "notification_bell": MEMBERS,
    "notification_read": MEMBERS,
    "notification_read_all": MEMBERS,
    "member_notifications": MEMBERS,
    "proposal_follow": MEMBERS,
    "proposal_unfollow": MEMBERS,
    # Admins: the e-mail outbox (where messages wait when no SMTP server is configured).
    "admin_outbox": ADMINS,
    "admin_outbox_send_again": ADMINS,
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Endpoint = Callable[[Request], Awaitable[Response]]


def roles_of(member: SignedInMember | None) -> frozenset[str]:
    if member is None:
        return EVERYONE
    return EVERYONE | MEMBERS | {role.value for role in member.roles}


def allowed(route_name: str, member: SignedInMember | None) -> bool:
    return bool(ACCESS[route_name] & roles_of(member))


def guard(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """Every route wrapped in the CSRF check and its line of the access table."""
    guarded: list[BaseRoute] = []
    for route in routes:
        name = str(getattr(route, "name", ""))
        if name not in ACCESS:
            raise LookupError(f"Route {name!r} has no line in the access table "
                              "(ACCESS in web/access.py): decide who may use it.")
        if isinstance(route, Route):
            route = Route(route.path, _guarded(route.endpoint, name),
                          methods=route.methods, name=name)
        elif not isinstance(route, Mount) or ACCESS[name] != EVERYONE:
            raise TypeError(f"Route {name!r}: only public mounts are supported.")
        guarded.append(route)
    return guarded


def _guarded(endpoint: Callable[..., Any], name: str) -> Endpoint:
    @functools.wraps(endpoint)
    async def checked(request: Request) -> Response:
        member = await load_member(request)
        if request.method not in SAFE_METHODS and (refusal := await csrf_refusal(request)):
            return forbidden(request, refusal)
        if not allowed(name, member):
            if member is None:
                return send_to_sign_in(request)
            return forbidden(request, "Your account is not allowed to do this. "
                             "If you think it should be, ask an admin.")
        response: Response = await endpoint(request)
        return response

    return checked


async def csrf_refusal(request: Request) -> str:
    """Why this unsafe request may be forged (empty when it is fine).

    The browser says where the request comes from (Sec-Fetch-Site, else Origin), and
    a signed-in browser must also send its session's token: in the X-CSRF-Token
    header (htmx, from hx-headers on <body>) or the csrf_token field of a form."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None and site not in {"same-origin", "none"}:
        return CROSS_SITE
    if site is None and origin is not None and origin != _own_origin(request):
        return CROSS_SITE
    if current_member(request) is None:
        return ""  # no live session to ride on (an ended one's cookie grants nothing)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        sent = str((await request.form()).get(CSRF_FIELD) or "")
    if not sent or not hmac.compare_digest(sent, csrf_token(request)):
        return STALE_FORM
    return ""


CROSS_SITE = "This request came from another site, so it was refused."
STALE_FORM = ("This form could not be checked: it may be from an old page or another "
              "site. Go back, reload the page and try again.")


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def forbidden(request: Request, detail: str) -> Response:
    return error_page(request, 403, detail)
