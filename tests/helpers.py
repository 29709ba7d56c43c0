"""Small scenario steps shared by the incubator and projections tests."""

from __future__ import annotations

from itertools import count
from uuid import UUID, uuid4

from incubator.bootstrap import Services

_titles = count(1)


def category(services: Services, slug: str = "service-desk") -> UUID:
    return services.app.create_category(slug, slug.replace("-", " ").capitalize(), "").id


def submit(services: Services, category_id: UUID, author_id: UUID | None = None,
           title: str | None = None) -> UUID:
    title = title or f"Idea number {next(_titles)}"
    return services.app.submit_proposal(title, "Details.", category_id, author_id or uuid4()).id


def settle(services: Services) -> None:
    """Wait until the following runner has applied everything in the log."""
    assert services.runner.wait_for(services.app.recorder.max_notification_id() or 0, timeout=5)


def event_names(services: Services) -> list[str]:
    """The class names of every stored event, in log order, e.g. 'Vote.Cast'."""
    notifications = services.app.recorder.select_notifications(start=1, limit=100_000)
    return [n.topic.rsplit(":", 1)[-1] for n in notifications]
