"""Rebuild speed of the read models: events applied per second by a full rebuild.

Writes a realistic log of 100,000 events (ideas, votes with withdrawals and
recasts, comments, a few status answers) into a fresh store, builds the read
model once, then times the rebuild the CLI does (`incubator projections
rebuild`): `empty_projected_tables` + `runner.catch_up()`, on SQLite (temporary
data dir) and PostgreSQL (a throw-away database). Prints one JSON object:

    {"sqlite_events_per_s": ..., "postgres_events_per_s": ..., "events": 100000}

Usage: .venv/bin/python bench/projections.py [--events N] [--only sqlite|postgres]
       [--profile DIR]   (cProfile of each timed rebuild, written to DIR/<backend>.pstats)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
import time
from pathlib import Path

# Run as a file, Python puts bench/ first on sys.path, where this very file would
# shadow the `projections` package: put the repository root there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench._common import (  # noqa: E402
    Mix,
    log,
    machine_speed,
    postgres_database,
    stopwatch,
    write_event_log,
)
from incubator.bootstrap import bootstrap  # noqa: E402
from incubator.settings import Settings  # noqa: E402
from projections.schema import empty_projected_tables  # noqa: E402


def mix_for(events: int) -> Mix:
    """~5% ideas, ~85% vote events, ~10% comments, as in the brief (100k -> 5k/85k/10k)."""
    return Mix(ideas=events // 20, votes=0, comments=events // 10, members=4_000,
               status_changes=events // 500, total=events)


def run(settings: Settings, events: int, profile_to: Path | None) -> float:
    services = bootstrap(settings, follow=False)
    try:
        mix = mix_for(events)
        with stopwatch("write the event log"):
            written = write_event_log(services.app, mix)
        log(f"  wrote {written:,} events: {mix.counts}")
        assert written == events, written
        assert services.app.recorder.max_notification_id() == events
        with stopwatch("first build (empty tables)") as first:
            services.runner.catch_up()
        log(f"  first build: {events / first['seconds']:,.0f} events/s")

        profiler = cProfile.Profile() if profile_to else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        empty_projected_tables(services.writer, services.runner.projection.name)
        emptied = time.perf_counter()
        applied = services.runner.catch_up()
        seconds = time.perf_counter() - started
        if profiler:
            profiler.disable()
            assert profile_to is not None
            profile_to.mkdir(parents=True, exist_ok=True)
            target = profile_to / f"{'postgres' if settings.uses_postgres else 'sqlite'}.pstats"
            profiler.dump_stats(target)
            log(f"  profile written to {target}")
        assert applied == events, applied
        log(f"  rebuild: empty {emptied - started:.2f} s + catch-up "
            f"{seconds - (emptied - started):.2f} s = {seconds:.2f} s "
            f"-> {events / seconds:,.0f} events/s")
        _check(services, mix)
        return events / seconds
    finally:
        services.close()


def _check(services: object, mix: Mix) -> None:
    """The rebuilt board must hold what was written (a fast wrong rebuild is no result)."""
    from sqlalchemy import func, select

    from projections.tables import comments, proposals, votes

    with services.read_model.engine.connect() as conn:  # type: ignore[attr-defined]
        ideas = conn.execute(select(func.count()).select_from(proposals)).scalar_one()
        vote_rows = conn.execute(select(func.count()).select_from(votes)).scalar_one()
        active = conn.execute(select(func.sum(proposals.c.votes))).scalar_one()
        comment_count = conn.execute(select(func.sum(proposals.c.comments))).scalar_one()
        comment_rows = conn.execute(select(func.count()).select_from(comments)).scalar_one()
    casts = mix.counts["Vote"] - mix.counts["Vote.Withdrawn"] - mix.counts["Vote.Recast"]
    expected_active = casts - mix.counts["Vote.Withdrawn"] + mix.counts["Vote.Recast"]
    assert ideas == mix.ideas, (ideas, mix.ideas)
    assert vote_rows == casts, (vote_rows, casts)
    assert active == expected_active, (active, expected_active)
    assert comment_rows == comment_count == mix.comments, (comment_rows, comment_count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--profile", type=Path, help="write cProfile stats of each rebuild here")
    args = parser.parse_args()
    result: dict[str, object] = {}
    if args.only in (None, "sqlite"):
        log("SQLite")
        with tempfile.TemporaryDirectory(prefix="incubator-bench-") as data_dir:
            rate = run(Settings(data_dir=Path(data_dir), secret_key="bench"), args.events,
                       args.profile)
        result["sqlite_events_per_s"] = round(rate)
    if args.only in (None, "postgres"):
        log("PostgreSQL")
        with tempfile.TemporaryDirectory(prefix="incubator-bench-") as data_dir, \
                postgres_database() as url:
            settings = Settings(data_dir=Path(data_dir), database_url=url, secret_key="bench")
            rate = run(settings, args.events, args.profile)
        result["postgres_events_per_s"] = round(rate)
    result["events"] = args.events
    result["machine"] = machine_speed()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
