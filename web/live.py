"""Server-sent events: small named events that tell an open page what changed.

Each page with live parts opens one stream (htmx's sse extension, `sse-connect` on
<body>); its elements re-fetch their own fragment on the event they listen to
(`hx-trigger="sse:votes"`). An event carries no content, only its name, so a stream
shows nothing that the page's own routes would not. Every event has the log
position as its id: a browser that reconnects sends it back (Last-Event-ID) and
gets the events it missed. Comment lines every `HEARTBEAT_S` keep proxies from
closing an idle stream; a stream ends after `settings.live_stream_s` (the browser
reconnects at once), and at once when the server stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from incubator.live import LiveUpdates, Subscriber, member_topic
from web.identity import current_member
from web.requests import path_id, services
from web.urls import url_for

HEARTBEAT_S = 15.0
RETRY_MS = 2_000  # how soon a browser reconnects after a stream ends
IDEA_EVENTS = frozenset({"votes", "comments", "status", "outcome"})
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}  # nginx: don't buffer


async def live_idea(request: Request) -> Response:
    """An idea's page: `votes`, `comments`, `status`, `outcome`."""
    prefix = f"idea:{path_id(request, 'proposal_id')}:"

    def name_for(topic: str) -> str | None:
        return topic.removeprefix(prefix) if topic.startswith(prefix) else None

    return _stream(request, name_for, IDEA_EVENTS)


async def live_board(request: Request) -> Response:
    """The board: `idea-<id>` when a card's votes or status change, `ideas` when an
    idea is submitted."""

    def name_for(topic: str) -> str | None:
        if topic == "board:new":
            return "ideas"
        kind, _, rest = topic.partition(":")
        idea, _, part = rest.partition(":")
        return f"idea-{idea}" if kind == "idea" and part in ("votes", "status") else None

    return _stream(request, name_for, frozenset({"ideas"}))


async def live_member(request: Request) -> Response:
    """A signed-in member's pages without live parts: only `member`."""
    return _stream(request, lambda topic: None, frozenset())


async def live_outcomes(request: Request) -> Response:
    """The outcome board: `outcomes`."""
    return _stream(request, lambda topic: "outcomes" if topic == "outcomes" else None,
                   frozenset({"outcomes"}))


def _stream(request: Request, name_for: Callable[[str], str | None],
            everything: frozenset[str]) -> Response:
    member = current_member(request)
    if member is not None:  # the member's own events, for the header (the bell)
        mine = member_topic(member.id)
        page_name_for = name_for

        def name_for(topic: str) -> str | None:
            return "member" if topic == mine else page_name_for(topic)

    live = services(request).live
    subscriber = Subscriber(name_for, everything, asyncio.get_running_loop())
    since = _last_event_id(request)
    body = _events(request, live, subscriber, since)
    return StreamingResponse(body, media_type="text/event-stream", headers=HEADERS)


async def _events(request: Request, live: LiveUpdates, subscriber: Subscriber,
                  since: int | None) -> AsyncIterator[str]:
    position = live.subscribe(subscriber)
    lifetime = services(request).settings.live_stream_s
    deadline = asyncio.get_running_loop().time() + lifetime
    try:
        missed: set[str] = set()
        if since is not None and since < position:  # what changed since the page was read
            missed = await run_in_threadpool(live.changes_between, since, position)
            subscriber.deliver(missed, position)
        # The id tells a browser that reconnects where to resume from.
        yield f"retry: {RETRY_MS}\n" + ("\n" if missed else f"id: {position}\n\n")
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            events = await subscriber.next(min(HEARTBEAT_S, left))
            if events is None:
                return
            if not events:
                yield ": keep-alive\n\n"
            for name, at in sorted(events.items()):
                yield f"id: {at}\nevent: {name}\ndata: {name}\n\n"
    finally:
        live.unsubscribe(subscriber)


def _last_event_id(request: Request) -> int | None:
    """Where the page's content was read: the browser's Last-Event-ID on a
    reconnect, else the page's `since`."""
    given = request.headers.get("last-event-id") or request.query_params.get("since", "")
    return int(given) if given.isdigit() and len(given) < 19 else None


def live_url(request: Request, route: str, **params: object) -> str:
    """The stream a page connects to, from the read model's position now: call it
    before reading what the page shows, so a change in between is sent, not lost."""
    path = url_for(request, route, **params).path
    return f"{path}?since={services(request).runner.position}"
