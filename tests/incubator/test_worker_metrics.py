"""`incubator worker` serves Prometheus metrics on a port of its own, behind the same
bearer token as the web processes: how far each projection lags, which jobs this
worker holds, and how its job runs went."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from incubator.bootstrap import bootstrap
from incubator.settings import Settings
from incubator.worker import run_worker
from tests.helpers import category, submit
from tests.incubator.test_workers import until
from tests.private_postgres import free_port

TOKEN = "scrape-me"


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[str]:
    """A worker on a SQLite data dir with two ideas to project; its metrics URL."""
    settings = Settings(data_dir=tmp_path / "data", metrics_token=TOKEN,
                        worker_metrics_address=f"127.0.0.1:{free_port()}")
    writing = bootstrap(settings, follow=False)  # writes events; projects nothing
    submit(writing, category(writing, "printing"))
    writing.close()
    stopping = threading.Event()
    thread = threading.Thread(target=run_worker, args=(settings, stopping))
    thread.start()
    try:
        yield f"http://{settings.worker_metrics_address}/metrics"
    finally:
        stopping.set()
        thread.join(timeout=20)


def scrape(url: str, token: str | None = TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        return httpx.get(url, headers=headers, timeout=5)
    except httpx.ConnectError:
        return httpx.Response(0)


def test_the_worker_reports_lag_jobs_and_runs_to_a_scraper_with_the_token(worker: str) -> None:
    until(lambda: 'incubator_projection_lag_events{projection="board"} 0.0'
          in scrape(worker).text, 20, "the worker caught up and says so")
    page = scrape(worker)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert 'incubator_job_active{job="projection-board"} 1.0' in page.text
    assert 'incubator_job_runs_total{job="projection:board",outcome="applied"}' in page.text
    assert "incubator_database_up 1.0" in page.text
    assert "incubator_events_written_total 2.0" in page.text  # the category and the idea


def test_without_the_token_the_worker_shows_nothing(worker: str) -> None:
    until(lambda: scrape(worker).status_code == 200, 20, "the endpoint is up")
    assert scrape(worker, token=None).status_code == 401
    assert scrape(worker, token="guess").status_code == 401
    assert scrape(worker.replace("/metrics", "/")).status_code == 404
