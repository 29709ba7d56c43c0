"""Background jobs that must run in exactly one process at a time.

Each job holds a lease while it runs: a PostgreSQL session-level advisory lock
(`incubator/pg_notify.py`) or, on SQLite, an exclusive lock on a file in the data
directory. A dead process's session (or file descriptor) ends, so its lease goes
and a standby that retries every `RETRY_S` takes the job over. Projections are
the first job; campaign deadlines, e-mail and the theme job (incubator/theme_job.py)
are further `Job`s, each with its own lease key (`lease_key`).
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from sqlalchemy import Engine

from domain.campaign import CampaignClosedError, CampaignDeadlineError
from incubator.mailer import Mailer
from incubator.metrics import JOB_ACTIVE, JOB_RUNS
from incubator.outages import TRANSIENT_ERRORS
from incubator.pg_notify import AdvisoryLease, advisory_key
from incubator.runner import ProjectionRunner
from incubator.upgrade import Upgrade
from projections.campaign_queries import due_campaigns

if TYPE_CHECKING:
    from incubator.application import Incubator
    from incubator.bootstrap import Services
    from incubator.settings import Settings

log = logging.getLogger(__name__)

RETRY_S = 1.0  # how often a standby tries the lease, and the active one checks it


class Job(Protocol):
    name: str

    def start(self) -> None:
        """Begin the work (may catch up first); return once it runs in the background."""

    def stop(self) -> None: ...

    def failure(self) -> BaseException | None:
        """An error the job cannot wait out: the worker stops and says so."""


class Lease(Protocol):
    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool:
        """False once the lease may have passed to another process."""

    def release(self) -> None: ...


def lease_key(job_name: str) -> int:
    """The advisory lock key of a job's lease."""
    return advisory_key(f"incubator job {job_name}")


class ProjectionJob:
    """Follows the event log into the read models (the runner `bootstrap` made); first,
    if the code's version of the projection changed, rebuilds it beside the live
    tables (`upgrade`), which keep serving until the new ones have caught up."""

    def __init__(self, runner: ProjectionRunner, upgrade: Upgrade | None = None) -> None:
        self.runner, self.upgrade = runner, upgrade
        self.name = f"projection-{runner.projection.name}"

    def start(self) -> None:
        if self.upgrade is not None and self.upgrade.needed():
            self.upgrade.start()  # the runner follows once the new tables are in
            return
        self.runner.frozen = False
        self.runner.catch_up()
        self.runner.start()

    def stop(self) -> None:
        if self.upgrade is not None:
            self.upgrade.stop()
        self.runner.stop()

    def failure(self) -> BaseException | None:
        return self.runner.error or (self.upgrade.error if self.upgrade else None)


class CampaignDeadlineJob:
    """Closes every open campaign whose deadline has passed, as the system, without
    anyone asking: checks the read model every `interval_s` seconds. A close that
    another process (or an owner) recorded first is left as it is. Ideas, votes and
    answers are refused from the deadline on whatever this job's delay: the commands
    check the deadline themselves (domain/campaign.py)."""

    name = "campaign-deadlines"

    def __init__(self, app: Incubator, read_model_engine: Engine, interval_s: float = 1.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.app, self.engine = app, read_model_engine
        self.interval_s, self.clock = interval_s, clock
        self.error: BaseException | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def failure(self) -> BaseException | None:
        return self.error

    def close_due(self) -> int:
        """Close what is due now; how many this call closed."""
        now = self.clock()
        closed = 0
        for campaign_id in due_campaigns(self.engine, now.replace(tzinfo=None)):
            try:
                self.app.close_campaign_at_deadline(campaign_id, now)
            except (CampaignClosedError, CampaignDeadlineError):
                continue  # closed meanwhile, or the read model ran ahead of the clock
            log.info("Campaign %s closed at its deadline", campaign_id)
            closed += 1
        return closed

    def _run(self) -> None:
        while not self._stopping.wait(self.interval_s):
            try:
                self.close_due()
                JOB_RUNS.labels(self.name, "ran").inc()
            except TRANSIENT_ERRORS as error:
                JOB_RUNS.labels(self.name, "database_error").inc()
                log.warning("Job %s waits for the database: %s", self.name, error)
            except BaseException as error:  # a bug: stop and say so, never spin on it
                log.exception("Job %s stopped", self.name)
                self.error = error
                return


def background_jobs(services: Services) -> list[Job]:
    """The jobs besides the projections: in `incubator worker`, or inside `serve`
    without one. New ones (clustering re-runs) go here."""
    jobs: list[Job] = [CampaignDeadlineJob(services.app, services.read_model.engine)]
    if services.settings.smtp_host:  # else messages wait in the outbox (/admin/outbox)
        jobs.append(Mailer(services.settings, services.writer))
    return jobs


def run_in_threads(settings: Settings, jobs: list[Job]) -> Callable[[], None]:
    """Run `jobs` in threads of this process (`serve` without `incubator worker`),
    each under its lease all the same, so a second process on the same data stands
    by. Returns what stops them."""
    stopping = threading.Event()
    threads = [threading.Thread(target=_run_logged, name=f"lease-{job.name}", daemon=True,
                                args=(job, lease_for(settings, job), stopping))
               for job in jobs]
    for thread in threads:
        thread.start()

    def stop() -> None:
        stopping.set()
        for thread in threads:
            thread.join(timeout=60)

    return stop


def _run_logged(job: Job, lease: Lease, stopping: threading.Event) -> None:
    try:
        run_exclusively(job, lease, stopping)
    except JobFailedError:
        log.exception("A background job stopped")
    finally:
        lease.release()  # a standby's lease holds a connection too (PostgreSQL)


def lease_for(settings: Settings, job: Job) -> Lease:
    if settings.uses_postgres:
        return AdvisoryLease(settings.database_url, lease_key(job.name))
    return FileLease(settings.data_dir / f"{job.name}.lease")


class FileLease:
    """SQLite's lease: `flock` on a file, released by the kernel when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        file = self.path.open("ab")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            return False
        self._file = file
        return True

    def still_held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the lock
            self._file = None


class JobFailedError(RuntimeError):
    pass


def run_exclusively(job: Job, lease: Lease, stopping: threading.Event,
                    retry_s: float = RETRY_S) -> None:
    """Stand by until the lease is ours, run the job while we hold it; until `stopping`.

    A job that fails to start on a transient error (database away) gives the lease
    back and tries again later; a job that fails for good raises `JobFailedError`."""
    JOB_ACTIVE.labels(job.name).set(0)
    while not stopping.is_set():
        if not lease.try_acquire():
            stopping.wait(retry_s)
            continue
        log.info("Job %s: active", job.name)
        JOB_ACTIVE.labels(job.name).set(1)
        try:
            _run_while_held(job, lease, stopping, retry_s)
        finally:
            JOB_ACTIVE.labels(job.name).set(0)
            job.stop()
            lease.release()
        if (error := job.failure()) is not None:
            raise JobFailedError(f"job {job.name} stopped: {error!r}") from error
        if not stopping.is_set():
            log.warning("Job %s: lease lost, standing by", job.name)


def _run_while_held(job: Job, lease: Lease, stopping: threading.Event, retry_s: float) -> None:
    try:
        job.start()
    except Exception:
        log.exception("Job %s: could not start, will retry", job.name)
        stopping.wait(retry_s)
        return
    while not stopping.wait(retry_s):
        if job.failure() is not None or not lease.still_held():
            return
