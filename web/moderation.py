"""Moderation: staff report an idea or a comment; admins hide, restore or dismiss.

Hidden content disappears from every public page at once: the read model's queries
filter it out (projections/hidden.py), and each decision waits for the read model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.moderation import ModerationError
from incubator.application import ContentNotFoundError, Written
from web.ideas import detail_context, find_proposal
from web.identity import current_member
from web.requests import command, path_id, query, see_other, services
from web.templating import render
from web.urls import url_for

REASON_MAX = 10_000  # longer than the domain allows: it says what is too long


async def proposal_report(request: Request) -> Response:
    proposal = await find_proposal(request, path_id(request, "proposal_id"))
    return await _report(request, proposal.id, proposal.id, "report_idea")


async def comment_report(request: Request) -> Response:
    comment_id = path_id(request, "comment_id")
    comment = await query(services(request).read_model.comment, comment_id)
    if comment is None:
        raise HTTPException(404, "There is no comment at this address.")
    return await _report(request, comment.id, comment.proposal_id, "comments")


async def _report(request: Request, target_id: UUID, proposal_id: UUID,
                  block: str) -> Response:
    member = current_member(request)
    assert member is not None  # the access table lets staff only
    reason = await _reason(request)
    try:
        await command(request, services(request).app.report_content, target_id, member.id,
                      reason)
    except ModerationError as refused:
        context = await detail_context(request, proposal_id, report_target=target_id,
                                       report_reason=reason, report_error=str(refused))
        return render(request, "ideas/detail.html", context, block=block, status_code=422)
    page = url_for(request, "proposal_detail", proposal_id=proposal_id)
    anchor = "" if target_id == proposal_id else f"#comment-{target_id}"
    return see_other(request, f"{page}?reported=1{anchor}")


async def admin_moderation(request: Request) -> Response:
    return await _queue(request)


async def admin_moderation_hide(request: Request) -> Response:
    return await _decide(request, services(request).app.hide_content)


async def admin_moderation_restore(request: Request) -> Response:
    return await _decide(request, services(request).app.restore_content)


async def admin_moderation_dismiss(request: Request) -> Response:
    return await _decide(request, services(request).app.dismiss_reports)


async def _decide(request: Request, decide: Callable[..., Written]) -> Response:
    target_id = path_id(request, "target_id")
    admin = current_member(request)
    assert admin is not None  # the access table lets admins only
    reason = await _reason(request)
    try:
        await command(request, decide, target_id, admin.id, reason)
    except ContentNotFoundError:
        raise HTTPException(404, "There is no idea or comment with this id.") from None
    except ModerationError as refused:
        action = request.url.path.rsplit("/", 1)[-1]
        return await _queue(request, error_target=target_id, error=str(refused),
                            reason=reason, error_action=action)
    return see_other(request, url_for(request, "admin_moderation").path)


async def _queue(request: Request, **error: Any) -> Response:
    read_model = services(request).read_model
    context = {
        "cases": await query(read_model.moderation_queue),
        "hidden": await query(read_model.hidden_content),
        "error_target": None, "error": "", "reason": "", "error_action": "",
        **error,
    }
    return render(request, "admin/moderation.html", context, block="queue",
                  status_code=422 if error else 200)


async def _reason(request: Request) -> str:
    return str((await request.form()).get("reason") or "")[:REASON_MAX]
