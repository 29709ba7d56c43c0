"""A real uvicorn server on a free port and Debian's Chromium driven by playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from incubator.bootstrap import Services, bootstrap
from incubator.identity import Identity
from incubator.settings import Settings
from web.app import create_app

CHROMIUM = "/usr/bin/chromium"
EMAIL, PASSWORD = "dana@example.org", "kettle on the third floor"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Site:
    url: str
    services: Services
    member: UUID
    category: UUID
    email: str = EMAIL
    password: str = PASSWORD


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    services = bootstrap(Settings(data_dir=tmp_path, secret_key="browser-test"))
    member = Identity(services).create_local_account(EMAIL, PASSWORD, "Dana Diaz").id
    category = services.app.create_category("wifi", "Wi-Fi and network", "Wireless").id
    with serving(services) as url:
        yield Site(url, services, member, category)
    services.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(services: Services) -> Iterator[str]:
    """The app on a free port in a uvicorn thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(create_app(services=services), host="127.0.0.1", port=port,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        services.live.drain()  # open live-update streams would hold the server up
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class DemoSite:
    """The demo data set (every status, answers, comments, themes, several pages)."""

    url: str
    services: Services


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    services = bootstrap(Settings(data_dir=tmp_path_factory.mktemp("demo"),
                                  secret_key="browser-test", demo=True))  # seeds it
    with serving(services) as url:
        yield DemoSite(url, services)
    services.close()
