"""Headers every response carries: a strict CSP, no framing, no sniffing, HSTS on https.

The policy allows scripts and styles from the app only; our templates have no inline
script and no `style=` attribute (tests/web/test_templates_are_csp_clean.py checks), and
htmx is configured in base.html not to need eval, inline scripts or inline styles.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # data: for the select arrow drawn in style.css
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

# One year, the value preload lists ask for; sent only over https (RFC 6797 says a
# browser ignores it over http, and a proxy that terminates TLS tells uvicorn the
# scheme with --proxy-headers / X-Forwarded-Proto).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

_ALWAYS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
    (b"cross-origin-opener-policy", b"same-origin"),
]


def security_headers(https: bool) -> list[tuple[bytes, bytes]]:
    if https:
        return [*_ALWAYS, (b"strict-transport-security", STRICT_TRANSPORT_SECURITY.encode())]
    return list(_ALWAYS)


def add_security_headers(https: bool, headers: MutableHeaders) -> None:
    """For responses sent outside the middleware (Starlette's 500 handler runs there)."""
    for name, value in security_headers(https):
        headers[name.decode()] = value.decode()


class SecurityHeaders:
    """ASGI middleware adding `security_headers` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = security_headers(scope.get("scheme") == "https")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)
