"""Headers and htmx configuration that make injected content inert in the browser."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.web.conftest import World
from web.app import create_app

DIRECTIVES = ["default-src 'self'", "script-src 'self'", "style-src 'self'",
              "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
              "object-src 'none'"]


def test_every_page_carries_the_policy_and_hardening_headers(world: World) -> None:
    for url in ("/", "/ideas/new", "/sign-in", "/themes", "/no-such-page", "/static/style.css"):
        headers = world.client.get(url).headers
        directives = [d.strip() for d in headers["content-security-policy"].split(";")]
        assert set(DIRECTIVES) <= set(directives), url
        assert "unsafe" not in headers["content-security-policy"], url
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] == "same-origin", url
        assert headers["x-frame-options"] == "DENY", url


def test_hsts_is_sent_over_https_only(world: World) -> None:
    assert "strict-transport-security" not in world.client.get("/").headers
    https = world.client.get("https://testserver/").headers
    assert https["strict-transport-security"].startswith("max-age=31536000")


def test_htmx_runs_without_eval_script_tags_history_cache_or_inline_styles(world: World) -> None:
    page = world.client.get("/").text
    found = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert found, "the htmx-config meta is missing"
    config = json.loads(found.group(1))
    assert config["selfRequestsOnly"] is True
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["historyCacheSize"] == 0
    assert config["includeIndicatorStyles"] is False
    stylesheet = world.client.get("/static/style.css").text
    assert ".htmx-indicator" in stylesheet and ".htmx-request" in stylesheet


HOSTILE = '<img src=x onerror="alert(1)" hx-get="/evil" hx-trigger="load">HOSTILE'


class _TextOutsideDisabledRegions(HTMLParser):
    """Collects text nodes containing `marker` that no `hx-disable` ancestor covers."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"})
    INERT = frozenset({"title", "textarea"})  # their content is text to the browser, never markup

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker, self.stack, self.exposed = marker, list[tuple[str, bool]](), list[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, any(name == "hx-disable" for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        covered = any(off or tag in self.INERT for tag, off in self.stack)
        if self.marker in data and not covered:
            self.exposed.append(data)


def exposed_user_text(html: str) -> list[str]:
    parser = _TextOutsideDisabledRegions("HOSTILE")
    parser.feed(html)
    return parser.exposed


def test_user_content_is_escaped_and_sits_where_htmx_ignores_it(world: World) -> None:
    idea = world.idea(title=f"Title {HOSTILE}"[:140])
    world.services.app.post_comment(idea, world.bob, f"Comment {HOSTILE}")
    world.settle()
    world.sign_in(world.bob)
    pages = {url: world.client.get(url).text
             for url in ("/", f"/ideas/{idea}", f"/ideas/{idea}/history")}
    for url, html in pages.items():
        assert "HOSTILE" in html, url
        assert '<img src=x' not in html and "&lt;img src=x" in html, url
        assert exposed_user_text(html) == [], url


def test_the_server_error_page_carries_the_headers_too(world: World) -> None:
    def fail(request: Request) -> Response:
        raise RuntimeError("a bug")

    app = create_app(services=world.services)
    app.router.routes.insert(0, Route("/fail", fail))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/fail")
    assert response.status_code == 500 and "Sorry, something broke" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
