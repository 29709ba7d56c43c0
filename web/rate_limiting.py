"""Applying the shared rate limits in routes: count the attempt, explain a refusal.

A refused request is answered with 429, a Retry-After header and the same form the
person filled in, with what they typed, so nothing is lost.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from incubator.rate_limits import (
    COMMENTS,
    IDEAS,
    SIGN_IN_ACCOUNT,
    SIGN_IN_IP,
    VOTES,
    Verdict,
)
from web.requests import services

STATUS = 429

_MESSAGES = {
    IDEAS: "You have submitted many ideas in a short time. Please wait {wait} and submit "
           "again; nothing you typed is lost.",
    COMMENTS: "You have posted many comments in a short time. Please wait {wait} and post "
              "again; your comment is kept below.",
    VOTES: "You have voted many times in a short time. Please wait {wait} and try again.",
    SIGN_IN_IP: "There have been too many sign-in attempts from your network. Please wait "
                "{wait} and try again.",
    SIGN_IN_ACCOUNT: "There have been too many failed sign-ins to this account. Please "
                     "wait {wait} and try again.",
}


async def hit(request: Request, name: str, subject: str) -> Verdict:
    """Count one attempt against the limit `name` (shared by every worker)."""
    limiter = services(request).rate_limits
    # Votes are counted in memory between flushes: no worker-thread hop for those.
    verdict = limiter.hit_without_io(name, subject)
    if verdict is not None:
        return verdict
    return await run_in_threadpool(limiter.hit, name, subject)


def message(name: str, verdict: Verdict) -> str:
    return _MESSAGES[name].format(wait=verdict.wait_text)


def refused(response: Response, verdict: Verdict) -> Response:
    """Mark a re-rendered form as the answer of a rate limit."""
    response.status_code = STATUS
    response.headers["Retry-After"] = str(verdict.retry_after)
    return response


def client_ip(request: Request) -> str:
    """The peer's address; behind a proxy, uvicorn's proxy headers (FORWARDED_ALLOW_IPS)
    make it the client's rather than the proxy's."""
    return request.client.host if request.client else "unknown"
