"""Server time of the public outcome board (`GET /outcomes`) with 2,000 outcomes.

Seeds a fresh store (SQLite by default) with 4,000 ideas, votes and comments (as
bench/board.py does) and 2,000 published outcomes over them (for ideas and for
groups of ideas, across the categories, dated over the last three years, a tenth
corrected), builds the read model, then sends several hundred anonymous requests
in-process: every category and none, every period, pages 1..3, plus the Atom feed.
Server time is measured at the ASGI boundary (bench/board.py's ServerTimer: from the
app being called to its last body chunk); the wall time around `client.get` (with
TestClient's own overhead) is printed too. Prints:

    {"outcomes_p95_ms": ..., "outcomes_p50_ms": ..., "outcomes_wall_p95_ms": ...,
     "feed_p95_ms": ..., "outcomes": 2000}

Usage: .venv/bin/python bench/outcomes.py [--outcomes N] [--requests N] [--postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # see bench/projections.py

from sqlalchemy import select  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from bench._common import (  # noqa: E402
    CATEGORIES,
    Mix,
    insert_member_profiles,
    log,
    member_id,
    percentile,
    postgres_database,
    stopwatch,
    write_event_log,
)
from bench.board import ServerTimer  # noqa: E402
from domain.category import Category  # noqa: E402
from domain.outcome import Outcome, Subject  # noqa: E402
from incubator.bootstrap import Services, bootstrap  # noqa: E402
from incubator.settings import Settings  # noqa: E402
from projections.tables import proposals  # noqa: E402
from web.app import create_app  # noqa: E402

MEMBERS = 2_000
IDEAS = 4_000


def write_outcomes(services: Services, count: int, seed: int = 11) -> int:
    """`count` published outcomes (drafted, edited, published; a tenth corrected)."""
    rng = random.Random(seed)
    app = services.app
    with services.writer.connect() as conn:
        ideas = list(conn.execute(select(proposals.c.id, proposals.c.category_id)).all())
    names = {Category.id_for(slug): name for slug, name in CATEGORIES}
    today, written, pending = datetime.now(UTC).date(), 0, []
    subjects = rng.sample(ideas, k=count)  # one outcome per idea or theme
    for n, subject in enumerate(subjects):
        covered = [subject, *rng.sample(ideas, k=0 if n % 4 else rng.randint(1, 7))]
        facts: dict[str, Any] = {
            "people": rng.randint(1, 120), "ideas": len(covered), "votes": rng.randint(0, 300),
            "comments": rng.randint(0, 40),
            "categories": sorted({names[c] for _, c in covered}),
            "category_ids": [str(c) for c in dict.fromkeys(c for _, c in covered)],
            "quotes": [f"Quote {n}.{q}: please fix this soon" for q in range(3)],
            "proposal_ids": [str(i) for i, _ in covered],
            "first_asked_at": (datetime(2023, 1, 1) + timedelta(days=rng.randint(0, 900)))
            .isoformat()}
        outcome = Outcome.draft(Subject.IDEA if n % 4 else Subject.THEME,
                                subject[0] if n % 4 else uuid5(NAMESPACE_URL, f"theme/{n}"),
                                f"Outcome number {n}", "You asked for this.", facts,
                                member_id(n % 10))
        done_on = today - timedelta(days=rng.randint(0, 1_100))
        outcome.edit(member_id(n % 10), f"Outcome number {n}", "You asked for this.",
                     f"We did thing {n}, and told everyone.", done_on,
                     ["https://intranet.example.org/news"])
        outcome.publish(member_id(n % 10), [member_id(m) for m in rng.sample(range(MEMBERS), 5)])
        if n % 10 == 0:
            outcome.correct(member_id(0), "Date fixed.", f"Outcome number {n}",
                            f"We did thing {n}.", done_on + timedelta(days=1), [])
        pending.append(outcome)
        written += 4 if n % 10 == 0 else 3
        if len(pending) >= 200:
            app.save(*pending)
            pending.clear()
    app.save(*pending)
    return written


@contextlib.contextmanager
def seeded(settings: Settings, count: int) -> Iterator[Services]:
    services = bootstrap(settings, follow=False)
    try:
        mix = Mix(ideas=IDEAS, votes=IDEAS * 4, comments=IDEAS, members=MEMBERS)
        with stopwatch("write the event log"):
            write_event_log(services.app, mix)
        insert_member_profiles(services.writer, MEMBERS)
        services.runner.catch_up()
        with stopwatch(f"write {count:,} outcomes"):
            log(f"  {write_outcomes(services, count):,} outcome events")
        with stopwatch("build the read model"):
            services.runner.catch_up()
        yield services
    finally:
        services.close()


def request_plan(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    categories = [""] + [slug for slug, _ in CATEGORIES]
    plan = [{k: v for k, v in (("category", c), ("period", p), ("page", str(page))) if v}
            for c, p, page in itertools.product(categories, ("", "30d", "90d", "365d", "all"),
                                                 (1, 2, 3))]
    while len(plan) < count:
        plan += plan
    plan = plan[:count]
    rng.shuffle(plan)
    return plan


def timed(client: TestClient, timer: ServerTimer, path: str,
          params: dict[str, str]) -> tuple[float, float]:
    """(server time, wall time around the TestClient call) in ms."""
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, params, response.status_code)
    return timer.last_ms, elapsed


def measure(services: Services, requests: int) -> dict[str, object]:
    plan = request_plan(requests)
    timer = ServerTimer(create_app(services=services))
    with TestClient(timer) as client:  # type: ignore[arg-type]
        first = client.get("/outcomes")
        assert first.text.count('class="outcome"') == 20, "a full first page"
        for params in plan[:30]:  # warm-up: templates, connections, caches
            client.get("/outcomes", params=params)
        board = [timed(client, timer, "/outcomes", params) for params in plan]
        feed = [timed(client, timer, "/outcomes.atom", {})[0]
                for _ in range(max(20, requests // 10))]
    server, wall = [b[0] for b in board], [b[1] for b in board]
    log(f"  /outcomes: {len(board)} requests; server (ASGI) p50 {percentile(server, 50):.1f} "
        f"ms, p95 {percentile(server, 95):.1f} ms, max {max(server):.1f} ms; wall p95 "
        f"{percentile(wall, 95):.1f} ms; /outcomes.atom server p95 {percentile(feed, 95):.1f} ms")
    return {"outcomes_p95_ms": round(percentile(server, 95), 1),
            "outcomes_p50_ms": round(percentile(server, 50), 1),
            "outcomes_wall_p95_ms": round(percentile(wall, 95), 1),
            "feed_p95_ms": round(percentile(feed, 95), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outcomes", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="incubator-bench-")))
        url = stack.enter_context(postgres_database()) if args.postgres else ""
        settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench")
        log(f"outcome board with {args.outcomes:,} outcomes on "
            f"{'PostgreSQL' if url else 'SQLite'} ({date.today()})")
        services = stack.enter_context(seeded(settings, args.outcomes))
        result = measure(services, args.requests)
    print(json.dumps({**result, "outcomes": args.outcomes}), flush=True)


if __name__ == "__main__":
    main()
