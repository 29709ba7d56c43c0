"""Helpers every route uses: services, ids from the path, waiting for the read model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode, urlsplit
from uuid import UUID

import anyio.to_thread
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from incubator.application import Written
from incubator.bootstrap import Services
from projections.views import MemberView
from web.identity import current_member
from web.templating import is_htmx
from web.urls import url_for

T = TypeVar("T")


def services(request: Request) -> Services:
    found: Services = request.state.services
    return found


def path_id(request: Request, name: str) -> UUID:
    try:
        return UUID(request.path_params[name])
    except ValueError:
        raise HTTPException(400, f"{request.path_params[name]!r} is not a valid id.") from None


async def query(function: Callable[..., T], *args: object) -> T:
    """Run a blocking read-model query off the event loop."""
    return await run_in_threadpool(function, *args)


async def command(request: Request, function: Callable[..., Written], *args: object) -> Written:
    """Run a command, then wait until the read model shows it (read-your-writes)."""
    written = await write(request, function, *args)
    await read_your_writes(request, written.position)
    return written


async def write(request: Request, function: Callable[..., T], *args: object) -> T:
    """Run a blocking write in the waiting threads, not the request threads (see
    web/app.py): a write queued for the database's one writer holds no read up."""
    result: T = await anyio.to_thread.run_sync(function, *args,
                                               limiter=request.state.waiting_threads)
    return result


async def read_your_writes(request: Request, position: int) -> None:
    """Wait until the read model includes `position` (0: nothing was written)."""
    await read_after_write(request, position, lambda: None)


async def read_after_write(request: Request, position: int, read: Callable[[], T]) -> T:
    """`read` the read model once it includes `position`, in the waiting thread. Waits
    run in threads of their own, not in the request threads (see web/app.py)."""
    runner = services(request).runner

    def wait_then_read() -> T:
        if position:
            runner.wait_for(position)
        return read()

    result: T = await anyio.to_thread.run_sync(wait_then_read,
                                               limiter=request.state.waiting_threads)
    return result


def local_url(candidate: str | None, default: str) -> str:
    """Only same-site paths are followed after a form post (no open redirects)."""
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return default


def see_other(request: Request, url: str) -> Response:
    """After a successful post: htmx follows HX-Redirect, browsers follow 303."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def require_member(request: Request) -> MemberView | Response:
    """The signed-in member, or a response that sends the visitor to sign in."""
    member = current_member(request)
    if member is not None:
        return member
    return send_to_sign_in(request)


def send_to_sign_in(request: Request) -> Response:
    """To the sign-in page, and back to this page afterwards."""
    # After a refused post, come back to the page the form was on, not to the post.
    here = str(request.url) if request.method == "GET" else request.headers.get("referer", "")
    page = urlsplit(request.headers.get("HX-Current-URL") or here)
    back = local_url(page.path + (f"?{page.query}" if page.query else ""), "/")
    sign_in_page = url_for(request, "member_sign_in").path
    return see_other(request, f"{sign_in_page}?{urlencode({'next': back})}")


def page_of(request: Request) -> str:
    """The page an htmx request came from, for the no-JavaScript `next` of its forms."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    return local_url(current.path + (f"?{current.query}" if current.query else ""), "/")
