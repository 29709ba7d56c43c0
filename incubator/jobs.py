"""Background jobs that must run in exactly one process at a time.

Each job holds a lease while it runs: a PostgreSQL session-level advisory lock
(`incubator/pg_notify.py`) or, on SQLite, an exclusive lock on a file in the data
directory. A dead process's session (or file descriptor) ends, so its lease goes
and a standby that retries every `RETRY_S` takes the job over. Projections are
the first job, the theme job (incubator/theme_job.py) the second; e-mail and
campaign deadlines join as further `Job`s, each with its own lease key (`lease_key`).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from pathlib import Path
from typing import IO, Protocol

from incubator.runner import ProjectionRunner

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
    """A stable signed 64-bit key per job, the type `pg_try_advisory_lock` takes."""
    digest = hashlib.sha256(f"incubator job {job_name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ProjectionJob:
    """Follows the event log into the read models (the runner `bootstrap` made)."""

    def __init__(self, runner: ProjectionRunner) -> None:
        self.runner = runner
        self.name = f"projection-{runner.projection.name}"

    def start(self) -> None:
        self.runner.catch_up()
        self.runner.start()

    def stop(self) -> None:
        self.runner.stop()

    def failure(self) -> BaseException | None:
        return self.runner.error


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
    while not stopping.is_set():
        if not lease.try_acquire():
            stopping.wait(retry_s)
            continue
        log.info("Job %s: active", job.name)
        try:
            _run_while_held(job, lease, stopping, retry_s)
        finally:
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
