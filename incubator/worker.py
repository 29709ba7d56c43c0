"""`incubator worker`: the background jobs, run apart from the web processes.

Start it on as many hosts as you like: each job runs in exactly one of them at a
time, the one holding its lease (`incubator/jobs.py`); the others stand by and
take over within about `RETRY_S` seconds of its death.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType

from incubator.bootstrap import Services, bootstrap
from incubator.jobs import (
    Job,
    JobFailedError,
    ProjectionJob,
    background_jobs,
    lease_for,
)
from incubator.jobs import run_exclusively as run_job
from incubator.pg_notify import Listener
from incubator.settings import Settings
from incubator.theme_job import themes_job
from incubator.worker_metrics import serve_metrics

log = logging.getLogger(__name__)

# With LISTEN waking the runner on every save, the poll is only a fallback.
POLL_WITH_LISTEN_S = 1.0


def jobs_of(services: Services) -> list[Job]:
    """Every background job: the projections, the jobs beside them (`background_jobs`),
    and the theme job."""
    return [ProjectionJob(services.runner, services.upgrade), *background_jobs(services),
            themes_job(services)]


def run_worker(settings: Settings, stopping: threading.Event | None = None) -> int:
    """Run every job (or stand by for it) until `stopping` or a signal; 0 on a clean
    stop, 1 when a job failed for good."""
    stopping = stopping or threading.Event()
    settings = dataclasses.replace(settings, external_jobs=False, demo=False)
    services = bootstrap(settings, follow=False)
    stop_listening = _wake_on_saves(services)
    stop_metrics = serve_metrics(services)
    failures: list[BaseException] = []

    def run(job: Job) -> None:
        try:
            run_job(job, lease_for(settings, job), stopping)
        except JobFailedError as error:
            log.error("%s", error)
            failures.append(error)
            stopping.set()

    threads = [threading.Thread(target=run, args=(job,), name=job.name)
               for job in jobs_of(services)]
    for thread in threads:
        thread.start()
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        stopping.set()
        for thread in threads:
            thread.join()
        stop_listening()
        stop_metrics()
        services.close()
    return 1 if failures else 0


def _wake_on_saves(services: Services) -> Callable[[], None]:
    """PostgreSQL: the event store NOTIFYs its channel with every save; wake on it."""
    settings, runner = services.settings, services.runner
    if not settings.uses_postgres:
        return lambda: None
    channel = services.app.recorder.channel_name  # type: ignore[attr-defined]
    listener = Listener(settings.database_url, [channel], lambda *_: runner.notify(0))
    listener.start()
    runner.poll_interval = POLL_WITH_LISTEN_S
    return listener.stop


def stop_on_signals(stopping: threading.Event) -> None:
    def handler(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
