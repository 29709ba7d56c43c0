"""Rendering: a whole page, or only the block that an htmx request asked for."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2_fragments.starlette import Jinja2Blocks
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from projections.notification_queries import unread_count
from projections.triage_queries import open_report_count
from web.identity import current_member, template_context
from web.urls import url_for

templates = Jinja2Blocks(directory=Path(__file__).parent / "templates",
                        context_processors=[template_context])


@pass_context
def _url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> URL:
    return url_for(context["request"], name, **path_params)


templates.env.globals["url_for"] = _url_for
# Templates change with a release, not while it runs: no file check on every include
# (a board page includes 40 fragments).
templates.env.auto_reload = False


def is_htmx(request: Request) -> bool:
    """An htmx request that wants a fragment. Back/forward after an in-place update
    refetches the page (htmx keeps no history cache) and needs all of it."""
    headers = request.headers
    return (headers.get("HX-Request") == "true"
            and headers.get("HX-History-Restore-Request") != "true")


def render(
    request: Request, template: str, context: dict[str, Any],
    block: str | None = None, status_code: int = 200,
) -> Response:
    """The full page, or just `block` when htmx is asking (one URL per resource)."""
    member = current_member(request)
    context = {"member": member, **context}
    if member is not None:  # the bell: one small indexed count
        context["unread_notices"] = unread_count(request.state.services.read_model.engine,
                                                 member.id)
    if member is not None and member.is_admin:
        # Blocking, but one small indexed count, for admins only.
        context["open_reports"] = open_report_count(request.state.services.read_model.engine)
    if block is not None and is_htmx(request):
        response = templates.TemplateResponse(
            request, template, context, block_name=block, status_code=status_code
        )
    else:
        response = templates.TemplateResponse(request, template, context,
                                              status_code=status_code)
    if block is not None:  # one URL, two answers: caches must not mix them up
        response.headers["Vary"] = "HX-Request, HX-History-Restore-Request"
    return response


def error_page(request: Request, status_code: int, detail: str,
               context: dict[str, Any] | None = None) -> Response:
    """An error as a whole page; to htmx, as the page's main content. A refusal that
    left the screen as it was would look like a button that does nothing."""
    context = {"status_code": status_code, "detail": detail, **(context or {})}
    if "member" in context:  # the caller vouches for it (the database may be down)
        response = templates.TemplateResponse(request, "errors/error.html", context,
                                              block_name="content" if is_htmx(request) else None,
                                              status_code=status_code)
    else:
        response = render(request, "errors/error.html", context, block="content",
                          status_code=status_code)
    if is_htmx(request):
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML show:window:top"
    return response


def ago(moment: datetime, now: datetime | None = None) -> str:
    """'3 days ago' for a naive-UTC moment from the read model."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    seconds = max(0, int((now - moment).total_seconds()))
    for unit, size in (("year", 31_536_000), ("month", 2_592_000), ("week", 604_800),
                       ("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def until(moment: datetime, now: datetime | None = None) -> str:
    """'in 3 days' for a naive-UTC moment to come (a countdown without JavaScript)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return "now"
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"in {count} {unit}{'s' if count > 1 else ''}"
    return "in less than a minute"


templates.env.filters["ago"] = ago
templates.env.filters["until"] = until
templates.env.filters["iso"] = lambda moment: moment.isoformat(timespec="seconds") + "Z"
