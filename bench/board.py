"""Server time of the board page (`GET /`) with 10,000 ideas.

Seeds a fresh store (SQLite by default) with 10,000 ideas, votes, comments and
status answers plus member profiles, builds the read model, then sends several
hundred requests in-process through Starlette's TestClient: sorts hot/top/new,
with and without a status filter and a category filter, pages 1..5, half of
them signed in (the board then also asks which cards the member voted for).
Each request is timed around `client.get` (so TestClient's own overhead is
included: the numbers are an upper bound of the server time). Prints:

    {"board_p95_ms": ..., "board_p50_ms": ..., "ideas": 10000}

Usage: .venv/bin/python bench/board.py [--ideas N] [--requests N] [--postgres]
       [--profile FILE]   (cProfile stats of the timed requests)
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # see bench/projections.py

from starlette.testclient import TestClient  # noqa: E402

from bench._common import (  # noqa: E402
    CATEGORIES,
    Mix,
    bench_sessions,
    insert_member_profiles,
    log,
    machine_speed,
    percentile,
    postgres_database,
    stopwatch,
    write_event_log,
)
from incubator.bootstrap import Services, bootstrap  # noqa: E402
from incubator.settings import Settings  # noqa: E402
from web.app import create_app  # noqa: E402

MEMBERS = 2_000


class ServerTimer:
    """ASGI wrapper: time from the app being called to the last body chunk sent."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.last_ms = 0.0

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # type: ignore[operator]
            return
        started = time.perf_counter()
        await self.app(scope, receive, send)  # type: ignore[operator]
        self.last_ms = (time.perf_counter() - started) * 1000


@contextlib.contextmanager
def seeded(settings: Settings, ideas: int) -> Iterator[Services]:
    services = bootstrap(settings, follow=False)
    try:
        mix = Mix(ideas=ideas, votes=ideas * 6, comments=ideas * 3 // 2, members=MEMBERS,
                  status_changes=ideas // 10)
        with stopwatch("write the event log"):
            written = write_event_log(services.app, mix)
        log(f"  {written:,} events: {mix.counts}")
        insert_member_profiles(services.writer, MEMBERS)
        with stopwatch("build the read model"):
            services.runner.catch_up()
        yield services
    finally:
        services.close()


def request_plan(count: int, seed: int = 7) -> list[tuple[str, dict[str, str], bool]]:
    """(label, query params, signed in) for `count` requests, in a shuffled order."""
    rng = random.Random(seed)
    busy, quiet = CATEGORIES[0][0], CATEGORIES[-1][0]
    filters: list[tuple[str, dict[str, str]]] = [
        ("all", {}), ("status=open", {"status": "open"}),
        ("status=planned", {"status": "planned"}),
        (f"category={busy}", {"category": busy}), (f"category={quiet}", {"category": quiet}),
        ("open+busy", {"status": "open", "category": busy}),
    ]
    combos = [
        (f"{sort} {label} p{page}", {"sort": sort, **params, "page": str(page)})
        for sort, (label, params), page in itertools.product(
            ("hot", "top", "new"), filters, range(1, 6))
    ]
    plan = [(label, params, signed_in)
            for (label, params), signed_in in itertools.product(combos, (False, True))]
    while len(plan) < count:
        plan += plan
    plan = plan[:count]
    rng.shuffle(plan)
    return plan


def measure(services: Services, requests: int, profile: Path | None) -> dict[str, object]:
    timer = ServerTimer(create_app(services=services))
    plan = request_plan(requests)
    walls: list[float] = []
    servers: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    (session,) = bench_sessions(services, [0])
    with TestClient(timer) as anonymous, TestClient(timer) as signed:  # type: ignore[arg-type]
        signed.headers.update(session)
        assert "Signed in as" in signed.get("/").text
        for _, params, signed_in in plan[:30]:  # warm-up: templates, connections, caches
            (signed if signed_in else anonymous).get("/", params=params)
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        for label, params, signed_in in plan:
            client = signed if signed_in else anonymous
            started = time.perf_counter()
            response = client.get("/", params=params)
            wall = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (params, response.status_code)
            assert 'class="card"' in response.text or "No ideas match" in response.text
            walls.append(wall)
            servers.append(timer.last_ms)
            by_kind[label.split()[0] + (" signed-in" if signed_in else "")].append(wall)
            by_kind[label.split()[1]].append(wall)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
            log(f"  profile written to {profile}")
    log(f"  {len(walls)} requests; wall p50 {percentile(walls, 50):.1f} ms, "
        f"p95 {percentile(walls, 95):.1f} ms, max {max(walls):.1f} ms; "
        f"server-only (ASGI) p50 {percentile(servers, 50):.1f} ms, "
        f"p95 {percentile(servers, 95):.1f} ms")
    for kind, values in sorted(by_kind.items()):
        log(f"    {kind:<28} n={len(values):>4}  p50 {percentile(values, 50):6.1f}  "
            f"p95 {percentile(values, 95):6.1f} ms")
    return {"board_p95_ms": round(percentile(walls, 95), 1),
            "board_p50_ms": round(percentile(walls, 50), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the timed requests")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="incubator-bench-")))
        url = stack.enter_context(postgres_database()) if args.postgres else ""
        settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench")
        log(f"board with {args.ideas:,} ideas on {'PostgreSQL' if url else 'SQLite'}")
        services = stack.enter_context(seeded(settings, args.ideas))
        result = measure(services, args.requests, args.profile)
    print(json.dumps({**result, "ideas": args.ideas, "machine": machine_speed()}), flush=True)


if __name__ == "__main__":
    main()
