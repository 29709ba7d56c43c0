"""The Starlette application factory: `uvicorn web.app:create_app --factory`."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import FrameType
from typing import Any

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
from incubator.jobs import run_in_threads
from incubator.outages import DATABASE_UNAVAILABLE
from incubator.settings import Settings
from incubator.theme_job import themes_job
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
from web.templating import error_page

# Threads for the blocking reads of requests (queries). Python runs one
# thread at a time (the GIL), so threads beyond those that cover waiting for the
# database only take turns, and each turn costs every request a wait. Under the
# mixed load (bench/load.py, 64 members), alternating runs on the same machine gave
# p99 212-225 ms with 12 threads and 79-139 ms with 2 on SQLite (a query waits
# microseconds for the disk). A PostgreSQL query waits for the network, so a few
# more: there 4 and 12 gave the same p99 (188-209 ms), once the waits for the
# worker's projection had threads of their own (below).
DATABASE_THREADS = {"sqlite": 2, "postgresql": 4}
# Writes, and waiting for the read model to show them, have threads of their own
# (web/requests.py, `write` and `read_your_writes`), so they never keep a read from
# running. Both mostly wait: for the event store's one writer (on SQLite, a commit may
# stop for a checkpoint's fsync: 200 ms at moments here), or for another process's
# projection (PostgreSQL). When two votes queued for the writer in the two request
# threads, every page view in the process waited behind them.
WAITING_THREADS = 64
# What a 503 page asks clients (and proxies) to wait while the database is away.
RETRY_AFTER_S = 5

log = logging.getLogger(__name__)

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


def end_streams_on_exit_signals(drain: Callable[[], None]) -> Callable[[], None]:
    """uvicorn waits for open responses before it stops, and a live stream never ends
    by itself: on SIGINT/SIGTERM end the streams, then do what uvicorn does (its
    handler, installed before the app starts). Returns how to put things back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals are the main thread's (uvicorn's too)
    previous: dict[int, Any] = {sig: signal.getsignal(sig)
                                for sig in (signal.SIGINT, signal.SIGTERM)}

    def handler(sig: int, frame: FrameType | None) -> None:
        drain()
        before = previous[sig]
        if callable(before):
            before(sig, frame)
        else:  # the default: let it happen
            signal.signal(sig, before)
            signal.raise_signal(sig)

    for sig in previous:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, before in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, before)

    return restore


def _limit_threads(settings: Settings) -> None:
    database = "postgresql" if settings.uses_postgres else "sqlite"
    anyio.to_thread.current_default_thread_limiter().total_tokens = DATABASE_THREADS[database]


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    """Given `services`, the caller owns them; otherwise they live as long as the app."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        waiting = anyio.CapacityLimiter(WAITING_THREADS)
        if services is not None:
            _limit_threads(services.settings)
            yield {"services": services, "waiting_threads": waiting}
            return
        owned = await run_in_threadpool(bootstrap, settings or Settings.from_env())
        _limit_threads(owned.settings)
        restore = end_streams_on_exit_signals(owned.live.drain)
        # The theme job writes events of its own (it places new ideas in themes): it
        # runs where the app serves, not in every process that opens the services.
        if not owned.settings.external_jobs:  # else `incubator worker` runs it
            owned.followers.append(run_in_threads(owned.settings, [themes_job(owned)]))
        # What start-up made (modules, scikit-learn, the similar-ideas index) lives as
        # long as the process: out of the cyclic collector's sight, the collections
        # that requests trigger cost half as much (GC 12-17 % -> 4-6 % of a page's CPU).
        gc.freeze()
        try:
            yield {"services": owned, "waiting_threads": waiting}
        finally:
            restore()
            await run_in_threadpool(owned.close)

    return Starlette(
        routes=guard(routes),
        lifespan=lifespan,
        middleware=[*operations_middleware, Middleware(SecurityHeaders),
                    Middleware(oidc.OidcTransactions)],
        exception_handlers={
            HTTPException: http_error_page,
            ConcurrentChangeError: conflict_page,
            ProposalNotFoundError: not_found_page,
            CommentNotFoundError: not_found_page,
            500: server_error_page,
            **dict.fromkeys(DATABASE_UNAVAILABLE, database_unavailable_page),
        },
    )


async def http_error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_page(request, exc.status_code, exc.detail)


async def not_found_page(request: Request, exc: Exception) -> Response:
    return error_page(request, 404, "There is nothing at this address.")


async def conflict_page(request: Request, exc: Exception) -> Response:
    return error_page(request, 409, str(exc))


async def database_unavailable_page(request: Request, exc: Exception) -> Response:
    """The database is away (restarting, failing over): say so, and when to try again."""
    log.warning("The database did not answer: %s: %s", type(exc).__name__,
                str(exc).splitlines()[0] if str(exc) else "")
    response = error_page(request, 503, "The database is not answering just now. Nothing "
                          "was lost: try again in a moment.", {"member": None})
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    add_security_headers(request.url.scheme == "https", response.headers)
    return response


async def server_error_page(request: Request, exc: Exception) -> Response:
    # Rendered without asking the database who is signed in: it may be what failed.
    response = error_page(request, 500, "Something went wrong on our side.", {"member": None})
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


# Live updates (web/live.py): server-sent event streams, and the fragments that the
# live parts of a page fetch again when told.
from web import live  # noqa: E402

routes += [
    Route("/live/ideas/{proposal_id}", live.live_idea, name="live_idea"),
    Route("/live/board", live.live_board, name="live_board"),
    Route("/live/outcomes", live.live_outcomes, name="live_outcomes"),
    Route("/live/me", live.live_member, name="live_member"),
    Route("/ideas/{proposal_id}/vote", votes.proposal_vote_widget, name="proposal_vote_widget"),
    Route("/ideas/{proposal_id}/comments", ideas.proposal_comments, name="proposal_comments"),
    Route("/ideas/{proposal_id}/status", ideas.proposal_status_part,
          name="proposal_status_part"),
    Route("/ideas/{proposal_id}/card", board.proposal_card, name="proposal_card"),
]


# Campaigns: IT asks the community (web/campaigns.py); their outcome is drafted like
# an idea's or a theme's.
from web import campaigns  # noqa: E402

routes += [
    Route("/campaigns", campaigns.campaign_list, name="campaign_list"),
    Route("/campaigns", campaigns.campaign_open, methods=["POST"], name="campaign_open"),
    Route("/campaigns/new", campaigns.campaign_new, name="campaign_new"),
    Route("/campaigns/{campaign_id}", campaigns.campaign_detail, name="campaign_detail"),
    Route("/campaigns/{campaign_id}/poll", campaigns.campaign_answer, methods=["POST"],
          name="campaign_answer"),
    Route("/campaigns/{campaign_id}/ideas", campaigns.campaign_idea_submit,
          methods=["POST"], name="campaign_idea_submit"),
    Route("/campaigns/{campaign_id}/close", campaigns.campaign_close, methods=["POST"],
          name="campaign_close"),
    Route("/campaigns/{campaign_id}/outcome", outcome_drafts.outcome_draft_campaign,
          methods=["POST"], name="outcome_draft_campaign"),
]


# Notifications: the bell, the inbox, following ideas, preferences (web/notifications.py).
from web import admin_outbox, notifications  # noqa: E402

routes += [
    Route("/notifications", notifications.notification_inbox, name="notification_inbox"),
    Route("/notifications/bell", notifications.notification_bell, name="notification_bell"),
    Route("/notifications/read", notifications.notification_read, methods=["POST"],
          name="notification_read_all"),
    Route("/notifications/{position:int}/read", notifications.notification_read,
          methods=["POST"], name="notification_read"),
    Route("/ideas/{proposal_id}/follow", notifications.proposal_follow, methods=["POST"],
          name="proposal_follow"),
    Route("/campaigns/{campaign_id}/follow", notifications.campaign_follow, methods=["POST"],
          name="campaign_follow"),
    Route("/campaigns/{campaign_id}/unfollow", notifications.campaign_unfollow,
          methods=["POST"], name="campaign_unfollow"),
    Route("/ideas/{proposal_id}/unfollow", notifications.proposal_unfollow,
          methods=["POST"], name="proposal_unfollow"),
    Route("/account/notifications", members.member_notifications, methods=["POST"],
          name="member_notifications"),
    Route("/admin/outbox", admin_outbox.admin_outbox, name="admin_outbox"),
    Route("/admin/outbox/send-again", admin_outbox.admin_outbox_send_again,
          methods=["POST"], name="admin_outbox_send_again"),
]
