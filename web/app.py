"""The Starlette application factory: `uvicorn web.app:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from incubator.application import (
    CommentNotFoundError,
    ConcurrentChangeError,
    ProposalNotFoundError,
)
from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from incubator.worker import run_in_process
from web import (
    admin,
    admin_categories,
    board,
    comments,
    ideas,
    members,
    oidc,
    similar,
    themes,
    votes,
)
from web.access import guard
from web.security_headers import SecurityHeaders, add_security_headers
from web.templating import render, templates

# More threads than database connections only makes requests queue for a connection.
DATABASE_THREADS = 12

routes = [
    Route("/", board.board, name="board"),
    Route("/ideas/new", ideas.proposal_new, name="proposal_new"),
    Route("/ideas/similar", similar.proposal_similar, name="proposal_similar"),
    Route("/ideas", ideas.proposal_submit, methods=["POST"], name="proposal_submit"),
    Route("/ideas/{proposal_id}", ideas.proposal_detail, name="proposal_detail"),
    Route("/ideas/{proposal_id}/history", ideas.proposal_history, name="proposal_history"),
    Route("/ideas/{proposal_id}/vote", votes.proposal_vote, methods=["POST"],
          name="proposal_vote"),
    Route("/ideas/{proposal_id}/unvote", votes.proposal_unvote, methods=["POST"],
          name="proposal_unvote"),
    Route("/ideas/{proposal_id}/comments", comments.comment_post, methods=["POST"],
          name="comment_post"),
    Route("/comments/{comment_id}/edit", comments.comment_edit, name="comment_edit"),
    Route("/comments/{comment_id}", comments.comment_update, methods=["POST"],
          name="comment_update"),
    Route("/themes", themes.theme_list, name="theme_list"),
    Route("/sign-in", members.member_sign_in, name="member_sign_in"),
    Route("/sign-in", members.member_sign_in_submit, methods=["POST"],
          name="member_sign_in_submit"),
    Route("/sign-out", members.member_sign_out, methods=["POST"], name="member_sign_out"),
    Route("/sign-in/demo", members.member_demo_sign_in, methods=["POST"],
          name="member_demo_sign_in"),
    Route("/sign-out/everywhere", members.member_sign_out_everywhere, methods=["POST"],
          name="member_sign_out_everywhere"),
    Route("/account", members.member_account, name="member_account"),
    Route("/account/data", members.member_data, name="member_data"),
    Route("/account/password", members.member_password, methods=["POST"],
          name="member_password"),
    Route("/admin/members", admin.admin_member_create, methods=["POST"],
          name="admin_member_create"),
    Route("/admin/members", admin.admin_members, name="admin_members"),
    Route("/admin/members/{member_id}/roles", admin.admin_member_grant, methods=["POST"],
          name="admin_member_grant"),
    Route("/admin/members/{member_id}/roles/revoke", admin.admin_member_revoke,
          methods=["POST"], name="admin_member_revoke"),
    Route("/admin/members/{member_id}/disable", admin.admin_member_disable, methods=["POST"],
          name="admin_member_disable"),
    Route("/admin/members/{member_id}/enable", admin.admin_member_enable, methods=["POST"],
          name="admin_member_enable"),
    Route("/admin/members/{member_id}/forget", admin.admin_member_forget, methods=["POST"],
          name="admin_member_forget"),
    Route(oidc.PATH + "/{provider}", oidc.oidc_start, name="oidc_start"),
    Route(oidc.PATH + "/{provider}/callback", oidc.oidc_callback, name="oidc_callback"),
    Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
]

# Operations: probes for load balancers (web/health.py), Prometheus metrics, request
# ids and JSON access lines (web/observability.py).
from web import health  # noqa: E402
from web.observability import Observability, metrics  # noqa: E402

routes += [
    Route("/healthz", health.healthz, name="healthz"),
    Route("/readyz", health.readyz, name="readyz"),
    Route("/metrics", metrics, name="metrics"),
]
operations_middleware = [Middleware(Observability)]


# Owners' and admins' decisions (web/decisions.py, web/triage.py) and moderation.
from web import decisions, moderation, triage  # noqa: E402

routes += [
    Route("/ideas/{proposal_id}/status", decisions.proposal_status, methods=["POST"],
          name="proposal_status"),
    Route("/ideas/{proposal_id}/merge", decisions.proposal_merge, methods=["POST"],
          name="proposal_merge"),
    Route("/ideas/{proposal_id}/unmerge", decisions.proposal_unmerge, methods=["POST"],
          name="proposal_unmerge"),
    Route("/ideas/{proposal_id}/report", moderation.proposal_report, methods=["POST"],
          name="proposal_report"),
    Route("/comments/{comment_id}/report", moderation.comment_report, methods=["POST"],
          name="comment_report"),
    Route("/admin/categories", admin_categories.admin_categories, name="admin_categories"),
    Route("/admin/categories", admin_categories.admin_category_create, methods=["POST"],
          name="admin_category_create"),
    Route("/admin/categories/{category_id}", admin_categories.admin_category_change,
          methods=["POST"], name="admin_category_change"),
    Route("/admin/moderation", moderation.admin_moderation, name="admin_moderation"),
    Route("/admin/moderation/{target_id}/hide", moderation.admin_moderation_hide,
          methods=["POST"], name="admin_moderation_hide"),
    Route("/admin/moderation/{target_id}/restore", moderation.admin_moderation_restore,
          methods=["POST"], name="admin_moderation_restore"),
    Route("/admin/moderation/{target_id}/dismiss", moderation.admin_moderation_dismiss,
          methods=["POST"], name="admin_moderation_dismiss"),
    Route("/triage", triage.triage_inbox, name="triage_inbox"),
    Route("/triage/rerun", triage.triage_rerun, methods=["POST"], name="triage_rerun"),
    Route("/triage/progress", triage.triage_progress, name="triage_progress"),
    Route("/triage/themes/{theme_id}/confirm", triage.triage_theme_confirm,
          methods=["POST"], name="triage_theme_confirm"),
    Route("/triage/themes/{theme_id}/rename", triage.triage_theme_rename,
          methods=["POST"], name="triage_theme_rename"),
    Route("/triage/themes/{theme_id}/move", triage.triage_theme_move, methods=["POST"],
          name="triage_theme_move"),
]


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    """Given `services`, the caller owns them; otherwise they live as long as the app."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Services]]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = DATABASE_THREADS
        if services is not None:
            yield {"services": services}
            return
        owned = await run_in_threadpool(bootstrap, settings or Settings.from_env())
        if not owned.settings.external_jobs:  # else `incubator worker` runs them
            owned.followers.append(run_in_process(owned))
        try:
            yield {"services": owned}
        finally:
            await run_in_threadpool(owned.close)

    return Starlette(
        routes=guard(routes),
        lifespan=lifespan,
        middleware=[*operations_middleware, Middleware(SecurityHeaders),
                    Middleware(oidc.OidcTransactions)],
        exception_handlers={
            HTTPException: error_page,
            ConcurrentChangeError: conflict_page,
            ProposalNotFoundError: not_found_page,
            CommentNotFoundError: not_found_page,
            500: server_error_page,
        },
    )


async def error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    context = {"status_code": exc.status_code, "detail": exc.detail}
    return render(request, "errors/error.html", context, status_code=exc.status_code)


async def not_found_page(request: Request, exc: Exception) -> Response:
    context = {"status_code": 404, "detail": "There is nothing at this address."}
    return render(request, "errors/error.html", context, status_code=404)


async def conflict_page(request: Request, exc: Exception) -> Response:
    context = {"status_code": 409, "detail": str(exc)}
    return render(request, "errors/error.html", context, status_code=409)


async def server_error_page(request: Request, exc: Exception) -> Response:
    # Rendered without asking the database who is signed in: it may be what failed.
    context = {"status_code": 500, "detail": "Something went wrong on our side.",
               "member": None}
    response = templates.TemplateResponse(request, "errors/error.html", context, status_code=500)
    add_security_headers(request.url.scheme == "https", response.headers)
    return response


# "You said, we did": the public outcome board and feed (web/outcomes.py), owners'
# outcome screens (web/outcome_drafts.py).
from web import outcome_drafts, outcomes  # noqa: E402

routes += [
    Route("/outcomes", outcomes.outcome_board, name="outcome_board"),
    Route("/outcomes.atom", outcomes.outcome_feed, name="outcome_feed"),
    Route("/outcomes/{outcome_id}", outcomes.outcome_detail, name="outcome_detail"),
    Route("/outcomes/{outcome_id}", outcome_drafts.outcome_save, methods=["POST"],
          name="outcome_save"),
    Route("/outcomes/{outcome_id}/edit", outcome_drafts.outcome_edit, name="outcome_edit"),
    Route("/outcomes/{outcome_id}/correct", outcome_drafts.outcome_correct, methods=["POST"],
          name="outcome_correct"),
    Route("/outcomes/{outcome_id}/withdraw", outcome_drafts.outcome_withdraw,
          methods=["POST"], name="outcome_withdraw"),
    Route("/ideas/{proposal_id}/outcome", outcome_drafts.outcome_draft_idea,
          methods=["POST"], name="outcome_draft_idea"),
    Route("/themes/{theme_id}/outcome", outcome_drafts.outcome_draft_theme,
          methods=["POST"], name="outcome_draft_theme"),
]
