"""A TestClient on the embedded default (SQLite) with two categories and three members."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from starlette.testclient import TestClient

from incubator.bootstrap import Services, bootstrap
from incubator.identity import Identity
from incubator.settings import Settings
from projections.schema import save_member_profile
from web.app import create_app
from web.identity import COOKIE, CSRF_HEADER


@dataclass
class World:
    services: Services
    client: TestClient
    wifi: UUID
    printing: UUID
    ann: UUID
    bob: UUID
    cleo: UUID

    def sign_in(self, member_id: UUID, client: TestClient | None = None) -> None:
        """A session for the member, as a sign-in would make, and its CSRF token in
        the header every htmx request sends."""
        client = client or self.client
        identity = Identity(self.services)
        token = identity.start_session(member_id)
        client.cookies.set(COOKIE, token)
        client.headers[CSRF_HEADER] = identity.csrf_token(token)

    def sign_out(self, client: TestClient | None = None) -> None:
        client = client or self.client
        client.cookies.clear()
        client.headers.pop(CSRF_HEADER, None)

    def idea(self, title: str = "Guest Wi-Fi in every meeting room", author: UUID | None = None,
             category: UUID | None = None) -> UUID:
        written = self.services.app.submit_proposal(
            title, "It drops in room 4.", category or self.wifi, author or self.ann
        )
        self.services.runner.wait_for(written.position)
        return written.id

    def settle(self) -> None:
        self.services.runner.wait_for(self.services.app.recorder.max_notification_id() or 0)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    # Live-update streams end quickly, so a TestClient gets their whole body.
    yield from make_world(Settings(data_dir=tmp_path, secret_key="test", live_stream_s=0.2))


def make_world(settings: Settings) -> Iterator[World]:
    """Three members, two categories and a client, on `settings`; closed afterwards."""
    services = bootstrap(settings)
    members = {name: services.app.register_member("local", name).id
               for name in ("Ann Archer", "Bob Baker", "Cleo Cole")}
    for name, member_id in members.items():
        save_member_profile(services.writer, member_id, name)
    wifi = services.app.create_category("wifi", "Wi-Fi", "Wireless").id
    printing = services.app.create_category("printing", "Printing", "Paper").id
    services.runner.wait_for(services.app.recorder.max_notification_id() or 0)
    with TestClient(create_app(services=services)) as client:
        yield World(services, client, wifi, printing, *members.values())
    services.close()
