"""What a background job is doing now: one row per job, written as it goes.

Not a projection and not history (the runs themselves are events): a small mutable
row any web process can read, so the page that asked for a run can show its stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from projections.bulk import upsert
from projections.tables import job_progress

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class JobProgress:
    job: str
    state: str  # queued | running | done | failed
    stage: str
    percent: int
    detail: str
    started_at: datetime | None
    updated_at: datetime

    @property
    def busy(self) -> bool:
        return self.state in {QUEUED, RUNNING}


def report_progress(engine: Engine, job: str, state: str, stage: str, percent: int,
                    detail: str = "", started_at: datetime | None = None) -> None:
    """Replace the job's row; `started_at` is kept from the row unless given."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        if started_at is None:
            started_at = conn.execute(select(job_progress.c.started_at)
                                      .where(job_progress.c.job == job)).scalar()
        # One statement: a web process queueing a run and the job may write at once.
        upsert(conn, job_progress, [{
            "job": job, "state": state, "stage": stage[:200],
            "percent": max(0, min(100, percent)), "detail": detail,
            "started_at": started_at, "updated_at": now}], ("job",))


def progress_of(engine: Engine, job: str) -> JobProgress | None:
    with engine.connect() as conn:
        row = conn.execute(select(job_progress).where(job_progress.c.job == job)).first()
    return None if row is None else JobProgress(**row._asdict())
