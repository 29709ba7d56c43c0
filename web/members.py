"""Signing in (e-mail and password; the demo picker only with --demo), signing out,
signing out everywhere, and the member's own account page and data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from domain.notification_preferences import Channel, NoticeKind, PreferencesError
from incubator.identity import AccountError, SignInError, SignInThrottled
from incubator.passwords import MIN_LENGTH
from incubator.rate_limits import SIGN_IN_ACCOUNT, SIGN_IN_IP
from projections import member_queries, sessions
from projections import notification_queries as notices
from projections.views import MemberView
from web import rate_limiting
from web.identity import current_member, identity, session_token, sign_in, sign_out
from web.requests import command, local_url, query, services
from web.templating import render

MAX_FIELD = 1_100  # longer than any accepted e-mail or password: refuse, don't hash


async def member_sign_in(request: Request) -> Response:
    next_url = local_url(request.query_params.get("next"), "/")
    return await _page(request, {"next": next_url})


async def member_sign_in_submit(request: Request) -> Response:
    form = await request.form()
    next_url = local_url(str(form.get("next") or ""), "/")
    email = str(form.get("email") or "").strip()[:MAX_FIELD]
    password = str(form.get("password") or "")
    if limited := await _limited_by_address(request, {"next": next_url, "email": email}):
        return limited
    if not email or not password:
        return await _page(request, {"next": next_url, "email": email, "error":
                                     "Enter your e-mail address and your password."}, 422)
    if len(password) > MAX_FIELD:
        return await _page(request, {"next": next_url, "email": email,
                                     "error": "That password is too long."}, 422)
    try:
        member_id = await run_in_threadpool(identity(request).authenticate, email, password)
    except SignInThrottled as throttled:
        page = await _page(request, {"next": next_url, "email": email, "error":
                                     rate_limiting.message(SIGN_IN_ACCOUNT, throttled.verdict)})
        return rate_limiting.refused(page, throttled.verdict)
    except SignInError as refused:
        # The e-mail stays typed; the password is never sent back.
        return await _page(request, {"next": next_url, "email": email, "error": str(refused)},
                           422)
    return await _signed_in(request, member_id, next_url)


async def member_demo_sign_in(request: Request) -> Response:
    if not services(request).settings.demo:
        raise HTTPException(404, "There is nothing at this address.")
    form = await request.form()
    next_url = local_url(str(form.get("next") or ""), "/")
    chosen = str(form.get("member_id") or "")
    if limited := await _limited_by_address(request, {"next": next_url, "chosen": chosen},
                                            field="demo_error"):
        return limited
    try:
        member_id = UUID(str(form.get("member_id") or ""))
    except ValueError:
        return await _page(request, {"next": next_url,
                                     "demo_error": "Choose a member to sign in as."}, 422)
    status = await query(sessions.member_status, services(request).writer, member_id)
    if status != "active":
        return await _page(request, {"next": next_url,
                                     "demo_error": "That member cannot sign in."}, 422)
    return await _signed_in(request, member_id, next_url)


async def _limited_by_address(request: Request, values: dict[str, Any],
                              field: str = "error") -> Response | None:
    """Count this sign-in attempt against the client address's limit (every attempt,
    whichever form); over it, the form again as typed, answered 429."""
    verdict = await rate_limiting.hit(request, SIGN_IN_IP, rate_limiting.client_ip(request))
    if verdict.allowed:
        return None
    page = await _page(request, {**values, field: rate_limiting.message(SIGN_IN_IP, verdict)})
    return rate_limiting.refused(page, verdict)


async def _signed_in(request: Request, member_id: UUID, next_url: str) -> Response:
    response = RedirectResponse(next_url, status_code=303)
    await run_in_threadpool(sign_in, request, response, MemberView(member_id, ""))
    return response


async def member_sign_out(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    await run_in_threadpool(sign_out, request, response)
    return response


async def member_sign_out_everywhere(request: Request) -> Response:
    member = current_member(request)
    response = RedirectResponse("/", status_code=303)
    if member is not None:
        await run_in_threadpool(identity(request).end_all_sessions, member.id)
    await run_in_threadpool(sign_out, request, response)
    return response


async def member_account(request: Request) -> Response:
    return await _account(request, {})


async def member_password(request: Request) -> Response:
    member = current_member(request)
    assert member is not None  # the access table lets members only
    form = await request.form()
    current, new = str(form.get("current") or ""), str(form.get("new") or "")
    if len(current) > MAX_FIELD:
        return await _account(request, {"current": "That is not your current password."})
    try:
        await run_in_threadpool(identity(request).change_password, member.id, current, new,
                                session_token(request))
    except AccountError as refused:
        return await _account(request, refused.problems)
    return await _account(request, {}, saved=True)


async def member_notifications(request: Request) -> Response:
    """Save the notification preferences (the form on /account)."""
    member = current_member(request)
    assert member is not None  # the access table lets members only
    form = await request.form()
    current = await query(notices.preferences, services(request).read_model.engine, member.id)
    channels = {kind.value: str(form.get(kind.value) or current.channels[kind.value])
                for kind in NoticeKind}
    digest = form.get("digest") == "daily" if "digest" in form else current.digest
    try:
        await command(request, services(request).app.choose_notifications, member.id,
                      channels, digest)
    except PreferencesError as refused:
        return await _account(request, {"notifications": str(refused)})
    return await _account(request, {}, notices_saved=True)


async def _account(request: Request, problems: dict[str, str], saved: bool = False,
                   notices_saved: bool = False) -> Response:
    member = current_member(request)
    assert member is not None
    has_password = await query(identity(request).has_password, member.id)
    # How an author is told that moderators hid something of theirs, and why.
    hidden = await query(services(request).read_model.hidden_content, member.id)
    prefs = await query(notices.preferences, services(request).read_model.engine, member.id)
    context = {"problems": problems, "saved": saved, "has_password": has_password,
               "min_length": MIN_LENGTH, "hidden": hidden, "notices_saved": notices_saved,
               "notice_kinds": list(NoticeKind), "channels": list(Channel), "prefs": prefs}
    return render(request, "members/account.html", context,
                  status_code=422 if problems else 200)


async def member_data(request: Request) -> Response:
    member = current_member(request)
    assert member is not None  # the access table lets members only
    data = await query(member_queries.member_data, services(request).read_model.engine,
                       member.id)
    return JSONResponse(data, headers={
        "Content-Disposition": 'attachment; filename="incubator-my-data.json"',
        "Cache-Control": "no-store"})


async def _page(request: Request, values: dict[str, Any], status_code: int = 200) -> Response:
    demo = services(request).settings.demo
    members = await query(services(request).read_model.members) if demo else ()
    context = {"email": "", "error": "", "demo_error": "", "chosen": "", "members": members,
               "providers": services(request).settings.oidc_providers, **values}
    return render(request, "members/sign_in.html", context, status_code=status_code)
