"""The bell, the inbox, following ideas and notification preferences.

The bell (`GET /notifications/bell`) is a small fragment with the unread count: the
header includes it on every page, and htmx (or the live updates) can refresh it.
"""

from __future__ import annotations

from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from incubator.application import CampaignNotFoundError
from projections import notification_queries as notices
from projections.member_views import SignedInMember
from web.identity import current_member
from web.requests import command, local_url, path_id, query, see_other, services, write
from web.templating import is_htmx, render, templates


def _member(request: Request) -> SignedInMember:
    member = current_member(request)
    assert member is not None  # the access table lets members only
    return member


async def notification_bell(request: Request) -> Response:
    member = _member(request)
    unread = await query(notices.unread_count, services(request).read_model.engine, member.id)
    response = templates.TemplateResponse(request, "notifications/_bell.html",
                                          {"member": member, "unread_notices": unread})
    response.headers["Cache-Control"] = "no-store"
    return response


async def notification_inbox(request: Request) -> Response:
    member = _member(request)
    engine = services(request).read_model.engine
    items = await query(notices.inbox, engine, member.id)
    return render(request, "notifications/inbox.html", {"notices": items}, block="inbox")


async def notification_read(request: Request) -> Response:
    """Mark one notice read (`position` in the path), or every one (`all`)."""
    member = _member(request)
    position = request.path_params.get("position")
    positions = None if position is None else [int(position)]
    await write(request, notices.mark_read, services(request).writer, member.id, positions)
    if is_htmx(request):
        return await notification_inbox(request)
    form = await request.form()
    return see_other(request, local_url(str(form.get("next") or ""), "/notifications"))


async def proposal_follow(request: Request) -> Response:
    return await _follow(request, "idea", following=True)


async def proposal_unfollow(request: Request) -> Response:
    return await _follow(request, "idea", following=False)


async def campaign_follow(request: Request) -> Response:
    return await _follow(request, "campaign", following=True)


async def campaign_unfollow(request: Request) -> Response:
    return await _follow(request, "campaign", following=False)


# What can be followed: the path parameter naming it, and its page.
FOLLOWED = {"idea": ("proposal_id", "/ideas/{}"), "campaign": ("campaign_id", "/campaigns/{}")}


async def _follow(request: Request, kind: str, following: bool) -> Response:
    parameter, page = FOLLOWED[kind]
    target_id = path_id(request, parameter)
    member = _member(request)
    form = await request.form()
    next_url = local_url(str(form.get("next") or ""), page.format(target_id))
    try:
        await command(request, services(request).app.follow, kind, target_id, member.id,
                      following)
    except CampaignNotFoundError as missing:
        raise HTTPException(404, "There is no campaign at this address.") from missing
    if is_htmx(request):
        context = {"follow_kind": kind, "target_id": target_id, "following": following,
                   "next": next_url, "announced": True}
        return templates.TemplateResponse(request, "ideas/_follow.html", context)
    return see_other(request, next_url)


async def follow_context(request: Request, proposal_id: UUID) -> dict[str, object]:
    """What the idea page needs for its follow button."""
    member = current_member(request)
    following = member is not None and await query(
        notices.is_following, services(request).read_model.engine, proposal_id, member.id)
    return {"following": following, "follow_kind": "idea", "target_id": proposal_id}
