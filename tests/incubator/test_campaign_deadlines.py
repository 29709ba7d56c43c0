"""A campaign passes its deadline and closes without anyone touching it: no request,
no command, only the deadline job of the process that runs the background jobs —
`incubator serve` on SQLite, `incubator worker` on PostgreSQL — in real processes."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from domain.campaign import Campaign
from incubator.bootstrap import Services, bootstrap
from incubator.jobs import FileLease
from incubator.settings import Settings
from projections import campaign_queries
from tests.conftest import _empty_database
from tests.helpers import category
from tests.incubator.test_serve_behind_proxy import free_port
from tests.incubator.test_workers import Worker, until

DEADLINE_IN = timedelta(seconds=3)


def open_with_deadline(services: Services) -> tuple[UUID, datetime]:
    deadline = datetime.now(UTC) + DEADLINE_IN
    campaign = services.app.open_campaign(
        "Which service desk hours would work for you?", "", category(services), deadline,
        "Which hours?", ["7:00-19:00", "8:00-18:00"], services.app.register_member(
            "local", "owner").id).id
    return campaign, deadline


def wait_for_close(services: Services, campaign: UUID, seconds: float = 30) -> Campaign.Closed:
    """Read the event log (not the read model) until the campaign's close is in it."""
    topic = get_topic(Campaign.Closed)
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        for notification in services.app.recorder.select_notifications(
                start=1, limit=10_000, topics=[topic]):
            event = services.app.mapper.to_domain_event(notification)
            if event.originator_id == campaign:
                assert isinstance(event, Campaign.Closed)
                return event
        time.sleep(0.2)
    raise AssertionError(f"the campaign was not closed within {seconds} s of its opening")


def assert_closed_by_the_system(closed: Campaign.Closed, deadline: datetime) -> None:
    assert (closed.why, closed.closed_by, closed.note) == ("deadline", None, "")
    assert closed.timestamp >= deadline, "never before the deadline"
    # The job checks every second; the rest is a loaded machine's scheduling.
    assert closed.timestamp < deadline + timedelta(seconds=15), "soon after it"


def lease_taken(path: Path) -> bool:
    """Another process holds the job's file lease (probed without keeping it)."""
    probe = FileLease(path)
    if probe.try_acquire():
        probe.release()
        return False
    return True


def test_serve_on_sqlite_closes_a_campaign_at_its_deadline_with_no_request(
        tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "incubator"), "serve", "--port", str(port),
         "--data-dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    writer = bootstrap(Settings(data_dir=tmp_path), follow=False)  # runs no jobs
    try:
        # The deadline counts from a running job (its lease taken), with no request.
        until(lambda: lease_taken(tmp_path / "campaign-deadlines.lease"), 60,
              "serve runs the deadline job")
        campaign, deadline = open_with_deadline(writer)
        assert_closed_by_the_system(wait_for_close(writer, campaign), deadline)
        assert server.poll() is None

        def page() -> str:
            url = f"http://127.0.0.1:{port}/campaigns/{campaign}"
            return str(urllib.request.urlopen(url, timeout=10).read().decode())

        # The page reads the read model, which follows the log: on a loaded machine the
        # close may reach it a moment after the log (nobody's request waits for it).
        until(lambda: "Closed at its deadline" in page(), 10, "the page shows the close")
    finally:
        writer.close()
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.postgres
def test_the_worker_on_postgres_closes_a_campaign_at_its_deadline_with_no_request(
        postgres_url: str, tmp_path: Path) -> None:
    _empty_database(postgres_url)
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    writer = bootstrap(settings, follow=False)  # a web process's write side, no jobs
    worker = Worker(settings)
    try:
        # The deadline counts from a running job, however slowly the process started.
        until(lambda: any("Job campaign-deadlines: active" in line for line in worker.lines),
              60, "the worker holds the deadline job")
        campaign, deadline = open_with_deadline(writer)
        assert_closed_by_the_system(wait_for_close(writer, campaign), deadline)
    finally:
        worker.stop()
        writer.close()


def test_the_job_in_the_serving_process_closes_it_in_the_background(tmp_path: Path) -> None:
    """In one process (the embedded default): the job's thread, while nobody calls."""
    services = bootstrap(Settings(data_dir=tmp_path))
    try:
        campaign, deadline = open_with_deadline(services)
        closed = wait_for_close(services, campaign)
        assert_closed_by_the_system(closed, deadline)
        services.runner.wait_for(services.app.recorder.max_notification_id() or 0)
        found = campaign_queries.campaign(services.read_model.engine, campaign)
        assert found is not None and (found.status, found.closed_why) == ("closed", "deadline")
    finally:
        services.close()
