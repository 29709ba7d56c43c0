"""The theme job: new ideas into the nearest theme, full re-runs on schedule or request.

One process at a time runs it (a `Job` under its lease, incubator/jobs.py): in
`incubator worker` on PostgreSQL, inside `serve` otherwise. About every second it

1. places the ideas submitted since the latest run (incubator/theme_assignment.py);
2. re-clusters every idea when an owner asked for it (a `ClusteringRequest` event,
   from whichever web process) or when `themes_every_hours` have passed since the
   latest run and ideas came since (before any run: since the first idea, once
   there are 10); one run at a time, requests made before a run starts are all
   answered by it.

It writes its stage and percentage to `job_progress` for the widget on /triage. A
failed run (too few ideas, a database outage) is reported there and does not stop
the job: the next request or the next schedule tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Engine

from domain.clustering import ClusteringRequest
from incubator.application import Incubator, Written
from incubator.ideas_log import submissions
from incubator.theme_assignment import NewIdeaAssigner
from incubator.themes import MIN_IDEAS, run_clustering
from projections.job_progress import DONE, FAILED, QUEUED, RUNNING, progress_of, report_progress
from projections.queries import ReadModel

if TYPE_CHECKING:
    from incubator.bootstrap import Services

log = logging.getLogger(__name__)

NAME = "themes"
TICK_S = 1.0
GRANULARITY = {"same": 1.0, "coarser": 0.67, "finer": 1.5}


class Request(NamedTuple):
    position: int
    granularity: float


class ThemesJob:
    name = NAME

    def __init__(self, app: Incubator, read_model: ReadModel, writer: Engine,
                 every_hours: float, tick_s: float = TICK_S,
                 clock: Callable[[], float] = time.time, backend: str = "tfidf") -> None:
        self.app, self.read_model, self.writer = app, read_model, writer
        self.backend = backend  # "tfidf" or "semantic", as incubator/ml_backend.py chose
        self.every_s, self.tick_s, self.clock = every_hours * 3600, tick_s, clock
        self.assigner = NewIdeaAssigner(app, read_model)
        self.requests: list[Request] = []
        self.requests_read = 0
        self.answered = 0  # requests up to this log position were answered
        self._first_idea_at: float | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._follow, name="job-themes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def failure(self) -> BaseException | None:
        return None  # a failed run is reported on the page; the job goes on

    def _follow(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("Theme job: this round failed, trying again")
            self._stopping.wait(self.tick_s)

    def tick(self) -> bool:
        """One round; True if it re-clustered."""
        self.assigner.assign_new()
        head = self.app.recorder.max_notification_id() or 0
        request = self._pending(head)
        if request is None and not self._due(head):
            return False
        self.run(request.granularity if request else 1.0)
        self.answered = max(self.answered, request.position if request else 0, head)
        return True

    def run(self, granularity: float) -> None:
        started = datetime.now(UTC).replace(tzinfo=None)
        began = time.perf_counter()

        def progress(stage: str, fraction: float) -> None:
            report_progress(self.writer, NAME, RUNNING, stage, round(100 * fraction),
                            started_at=started)

        try:
            written = run_clustering(self.app, granularity, progress, self.backend)
        except Exception as error:
            report_progress(self.writer, NAME, FAILED, "The run failed", 100, str(error))
            log.warning("Theme job: run failed: %s", error)
            return
        seconds = time.perf_counter() - began
        self.assigner.assign_new()  # learns of the new run at once
        themes = len(self.assigner.run.themes) if self.assigner.run else 0
        report_progress(self.writer, NAME, DONE, "Done", 100,
                        f"{themes} themes in {seconds:.1f} s")
        log.info("Theme job: run %s, %d themes in %.1f s", written.id, themes, seconds)

    def _pending(self, head: int) -> Request | None:
        """The latest request not answered by a run that started after it."""
        after = self.requests_read
        topics = [get_topic(ClusteringRequest.Requested)]
        while page := self.app.recorder.select_notifications(
                start=after, limit=1000, stop=head, topics=topics, inclusive_of_start=False):
            for notification in page:
                event = self.app.mapper.to_domain_event(notification)
                assert isinstance(event, ClusteringRequest.Requested)
                self.requests.append(Request(notification.id, event.granularity))
            after = page[-1].id
        self.requests_read = head
        run = self.assigner.run
        through = int(run.parameters.get("through_position", 0)) if run else 0
        waiting = [r for r in self.requests if r.position > max(through, self.answered)]
        self.requests = waiting
        return waiting[-1] if waiting else None

    def _due(self, head: int) -> bool:
        """On schedule: `every_hours` after the latest run if ideas came since; before
        any run, `every_hours` after the first idea, once there are enough."""
        if self.every_s <= 0 or self.answered >= head:
            return False
        run = self.assigner.run
        if run is None:
            if self._first_idea_at is None:
                first = next(submissions(self.app, 0, head), None)
                self._first_idea_at = first.timestamp.timestamp() if first else None
            if self._first_idea_at is None or self.clock() - self._first_idea_at < self.every_s:
                return False
            enough = sum(1 for _ in zip(submissions(self.app, 0, head), range(MIN_IDEAS),
                                        strict=False)) >= MIN_IDEAS
            self.answered = 0 if enough else head  # look again when the log grows
            return enough
        if self.clock() - run.timestamp.timestamp() < self.every_s:
            return False
        through = int(run.parameters.get("through_position", 0))
        return next(submissions(self.app, through, head), None) is not None


def request_rerun(app: Incubator, writer: Engine, member_id: UUID, choice: str) -> Written:
    """An owner's "re-run now" (`choice`: same, coarser, finer): an event the job
    reads from the log, and "queued" on the progress widget until it starts."""
    written = app.request_clustering(member_id, GRANULARITY[choice])
    current = progress_of(writer, NAME)
    if current is None or current.state != RUNNING:
        report_progress(writer, NAME, QUEUED, "Waiting for the theme job to start", 0,
                        started_at=datetime.now(UTC).replace(tzinfo=None))
    return written


def themes_job(services: Services) -> ThemesJob:
    return ThemesJob(services.app, services.read_model, services.writer,
                     services.settings.themes_every_hours, backend=services.ml_backend)
