"""The theme job: full re-runs when an owner asks (from any process) and on schedule,
one at a time, with its stage and percentage for the progress widget."""

from __future__ import annotations

import dataclasses
import time
from uuid import uuid4

from incubator.bootstrap import Services, bootstrap
from incubator.jobs import run_in_threads
from incubator.theme_job import NAME, ThemesJob, request_rerun, themes_job
from incubator.themes import run_clustering
from projections.job_progress import progress_of
from tests.helpers import category, event_names, settle
from tests.incubator.test_themes import seed

HOUR = 3600.0


def job(services: Services, every_hours: float = 0.0, now: list[float] | None = None) -> ThemesJob:
    clock = (lambda: now[0]) if now is not None else time.time
    return ThemesJob(services.app, services.read_model, services.writer, every_hours,
                     clock=clock)


def runs(services: Services) -> int:
    return event_names(services).count("ClusteringRun.Completed")


def test_a_request_from_another_process_is_answered_by_one_run(services: Services) -> None:
    seed(services)
    run_clustering(services.app)
    settle(services)
    themes = len(services.read_model.themes())
    # The web process that took the request is not the one running the job.
    web = bootstrap(dataclasses.replace(services.settings), follow=False)
    try:
        request_rerun(web.app, web.writer, uuid4(), "finer")
        request_rerun(web.app, web.writer, uuid4(), "finer")
        assert progress_of(web.writer, NAME).state == "queued"  # type: ignore[union-attr]
    finally:
        web.close()
    worker = job(services)
    assert worker.tick() is True
    assert worker.tick() is False  # both requests came before the run: one run answers
    settle(services)
    assert runs(services) == 2
    assert len(services.read_model.themes()) > themes  # finer
    done = progress_of(services.writer, NAME)
    assert done is not None and done.state == "done" and done.percent == 100
    assert done.detail.startswith(f"{len(services.read_model.themes())} themes in ")


def test_a_run_on_schedule_when_ideas_came_since(services: Services) -> None:
    seed(services)
    now = [time.time()]
    worker = job(services, every_hours=24, now=now)
    assert worker.tick() is False
    now[0] += 25 * HOUR
    assert worker.tick() is True  # the first run: a day after the first idea
    assert worker.tick() is False
    assert worker.tick() is False  # nothing new since
    desk = category(services, "more")
    services.app.submit_proposal("Keep the service desk open until 7pm", "", desk, uuid4())
    assert worker.tick() is True  # 25 hours after the last run, with a new idea
    assert runs(services) == 2
    assert worker.tick() is False  # nothing new since that run
    assert runs(services) == 2


def test_no_schedule_without_enough_ideas_and_a_failed_request_is_said(
        services: Services) -> None:
    desk = category(services)
    services.app.submit_proposal("Only one idea so far", "", desk, uuid4())
    worker = job(services, every_hours=24)
    assert worker.tick() is False
    request_rerun(services.app, services.writer, uuid4(), "same")
    assert worker.tick() is True
    failed = progress_of(services.writer, NAME)
    assert failed is not None and failed.state == "failed"
    assert "at least 10 ideas" in failed.detail
    assert worker.tick() is False  # not retried every second


def test_progress_goes_through_the_stages_in_order(services: Services) -> None:
    seed(services)
    seen: list[tuple[str, float]] = []
    run_clustering(services.app, progress=lambda stage, done: seen.append((stage, done)))
    fractions = [done for _, done in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] < 1
    assert [stage for stage, _ in seen][-1] == "Saving the themes"
    assert len(seen) >= 5


def test_serve_runs_the_job_in_a_thread_under_its_lease(services: Services) -> None:
    seed(services)
    stop = run_in_threads(services.settings, [themes_job(services)])
    try:
        request_rerun(services.app, services.writer, uuid4(), "same")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            progress = progress_of(services.writer, NAME)
            if progress is not None and progress.state == "done":
                break
            time.sleep(0.2)
        assert progress is not None and progress.state == "done"
        assert runs(services) == 1
    finally:
        stop()
