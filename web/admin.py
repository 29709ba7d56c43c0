"""Admins' pages: every member, their roles, and their standing. Every change is an event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.member import MemberError, Role
from incubator.application import MemberNotFoundError, Written
from incubator.identity import AccountError
from incubator.passwords import MIN_LENGTH
from projections.member_queries import member_page
from web.identity import current_member, identity
from web.requests import (
    local_url,
    path_id,
    query,
    read_your_writes,
    see_other,
    services,
    write,
)
from web.templating import render
from web.urls import url_for


async def admin_members(request: Request) -> Response:
    return await _page(request)


async def admin_member_create(request: Request) -> Response:
    """A local account made by an admin, who passes the first password on; the member
    changes it on their account page."""
    form = await request.form()
    values = {key: str(form.get(key) or "")[:1_100] for key in ("email", "name", "password")}
    admin = current_member(request)
    assert admin is not None  # the access table lets admins only
    try:
        written = await write(
            request, identity(request).create_local_account, values["email"], values["password"],
            values["name"], (), admin.id)
    except AccountError as refused:
        kept = {"email": values["email"], "name": values["name"]}  # never the password
        return await _page(request, create_values=kept, create_problems=refused.problems)
    return see_other(request, f"{url_for(request, 'admin_members').path}#member-{written.id}")


async def admin_member_grant(request: Request) -> Response:
    return await _role_change(request, grant=True)


async def admin_member_revoke(request: Request) -> Response:
    return await _role_change(request, grant=False)


async def admin_member_disable(request: Request) -> Response:
    return await _change(request, identity(request).disable_member)


async def admin_member_enable(request: Request) -> Response:
    return await _change(request, services(request).app.enable_member)


async def admin_member_forget(request: Request) -> Response:
    form = await request.form()
    if form.get("confirm") != "yes":
        return await _page(request, path_id(request, "member_id"),
                           "Tick the box to confirm: forgetting a member cannot be undone.")
    return await _change(request, identity(request).forget_member)


async def _role_change(request: Request, grant: bool) -> Response:
    form = await request.form()
    member_id = path_id(request, "member_id")
    try:
        role = Role(str(form.get("role") or ""))
    except ValueError:
        return await _page(request, member_id, "Choose a role.")
    category_id = None
    if role is Role.OWNER:
        try:
            category_id = UUID(str(form.get("category") or ""))
        except ValueError:
            return await _page(request, member_id, "Choose the category they will own.")
    change = services(request).app.grant_role if grant else services(request).app.revoke_role
    return await _change(request, change, role, category_id)


async def _change(request: Request, change: Callable[..., Written], *args: Any) -> Response:
    """Run `change(member_id, *args, admin_id)`, wait for the read model, show the list."""
    member_id = path_id(request, "member_id")
    admin = current_member(request)
    assert admin is not None  # the access table lets admins only
    try:
        written = await write(request, change, member_id, *args, admin.id)
    except MemberNotFoundError:
        raise HTTPException(404, "There is no member at this address.") from None
    except MemberError as refused:
        return await _page(request, member_id, str(refused))
    await read_your_writes(request, written.position)
    return see_other(request, f"{_list_page(request)}#member-{member_id}")


def _list_page(request: Request) -> str:
    """Back to the page of the list the admin was on (search and page kept)."""
    here = url_for(request, "admin_members").path
    came_from = urlsplit(request.headers.get("referer", ""))
    if came_from.path == here and came_from.query:
        return local_url(f"{here}?{came_from.query}", here)
    return here


async def _page(request: Request, member_id: UUID | None = None, error: str = "",
                create_values: dict[str, str] | None = None,
                create_problems: dict[str, str] | None = None) -> Response:
    search = (request.query_params.get("q") or "").strip()[:100]
    page = request.query_params.get("page") or "1"
    found = await query(member_page, services(request).read_model.engine, search,
                        int(page) if page.isdigit() else 1)
    context = {
        "found": found, "members": found.members, "search": search,
        "categories": await query(services(request).read_model.categories),
        "roles": list(Role), "error": error, "error_member": member_id,
        "create": create_values or {"email": "", "name": ""},
        "create_problems": create_problems or {}, "min_length": MIN_LENGTH,
    }
    refused = error or create_problems
    return render(request, "admin/members.html", context, status_code=422 if refused else 200)
