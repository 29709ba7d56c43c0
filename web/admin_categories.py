"""Admins' categories page: add a category, rename or re-describe one (events)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.category import InvalidCategoryError
from incubator.application import CategoryNotFoundError
from web.identity import current_member
from web.requests import path_id, query, read_your_writes, see_other, services, write
from web.templating import render
from web.urls import url_for

FIELDS = ("slug", "name", "description")


async def admin_categories(request: Request) -> Response:
    return await _page(request)


async def admin_category_create(request: Request) -> Response:
    values = await _form(request, FIELDS)
    try:
        written = await write(
            request, services(request).app.create_category, values["slug"].strip().lower(),
            values["name"], values["description"])
    except InvalidCategoryError as refused:
        return await _page(request, {"new": values, "new_error": str(refused)})
    return see_other(request, f"{url_for(request, 'admin_categories').path}#category-{written.id}")


async def admin_category_change(request: Request) -> Response:
    category_id = path_id(request, "category_id")
    values = await _form(request, ("name", "description"))
    admin = current_member(request)
    assert admin is not None  # the access table lets admins only
    try:
        written = await write(
            request, services(request).app.change_category, category_id, values["name"],
            values["description"], admin.id)
    except InvalidCategoryError as refused:
        return await _page(request, {"edited": category_id, "edit": values,
                                     "edit_error": str(refused)})
    except CategoryNotFoundError:
        return await _page(request, {"missing": True}, 404)
    await read_your_writes(request, written.position)
    return see_other(request, f"{url_for(request, 'admin_categories').path}#category-{category_id}")


async def _form(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:600] for name in names}


async def _page(request: Request, values: dict[str, Any] | None = None,
                status_code: int | None = None) -> Response:
    values = values or {}
    context: dict[str, Any] = {
        "categories": await query(services(request).read_model.categories),
        "new": {}, "new_error": "", "edited": None, "edit": {}, "edit_error": "", **values}
    failed = bool(context["new_error"] or context["edit_error"])
    return render(request, "admin/categories.html", context,
                  status_code=status_code or (422 if failed else 200))


