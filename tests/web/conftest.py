"""A TestClient on the embedded default (SQLite) with two categories and three members."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from starlette.testclient import TestClient

from incubator.bootstrap import Services, bootstrap
from incubator.settings import Settings
from projections.schema import save_member_profile
from web.app import create_app


@dataclass
class World:
    services: Services
    client: TestClient
    wifi: UUID
    printing: UUID
    ann: UUID
    bob: UUID
    cleo: UUID

    def sign_in(self, member_id: UUID) -> None:
        response = self.client.post("/sign-in", data={"member_id": str(member_id)},
                                    follow_redirects=False)
        assert response.status_code == 303

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
    services = bootstrap(Settings(data_dir=tmp_path, secret_key="test"))
    members = {name: uuid4() for name in ("Ann Archer", "Bob Baker", "Cleo Cole")}
    for name, member_id in members.items():
        save_member_profile(services.writer, member_id, name)
    wifi = services.app.create_category("wifi", "Wi-Fi", "Wireless").id
    printing = services.app.create_category("printing", "Printing", "Paper").id
    with TestClient(create_app(services=services)) as client:
        yield World(services, client, wifi, printing, *members.values())
    services.close()
