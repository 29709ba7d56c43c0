"""Votes over HTTP against the library's raw save rate, on a fresh SQLite database.

1. Seeds a fresh data dir (categories, ideas, member profiles) through a bootstrap
   of that dir, before the server starts.
2. Library baseline: on another fresh SQLite file, saves Vote aggregates with
   `app.save(vote)`, one per call, single thread, in the same cast / withdraw /
   recast mix as the HTTP clients (no projection, no HTTP).
3. Starts `uvicorn web.app:create_app --factory` in a subprocess and, from another
   process, drives it with 32 concurrent clients (aiohttp if installed, else
   httpx2): each has its own member's session (opened before), then POSTs
   /ideas/{id}/vote and /ideas/{id}/unvote alternately with `HX-Request: true`.
   Requests that start in the first seconds (warm-up) are not counted.
4. Stops the server and checks that the read model's vote counts match what the
   clients did.

Prints one JSON object:

    {"http_votes_per_s", "library_saves_per_s", "ratio", "p50_ms", "p99_ms",
     "errors", "clients": 32, "seconds"}

Usage: .venv/bin/python bench/write_path.py [--clients 32] [--seconds 20]
       [--library-seconds 6] [--client auto|aiohttp|httpx2] [--workers N]
       [--py-spy FILE]  (py-spy record --gil of the server: collapsed stacks in FILE.txt)
       [--app module:factory] [--server-env KEY=VALUE]  (serve a variant, to compare)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # see bench/projections.py

from bench._common import bench_sessions, log, machine_speed, member_id, percentile  # noqa: E402

WARM_UP_S = 3.0
IDEAS = 300
REVISIT = 0.25  # share of votes that go back to an idea the client withdrew from (Recast)


# --- the operation mix, shared by the HTTP clients and the library baseline ---------


def operations(rng: random.Random, ideas: list[UUID]) -> Iterator[tuple[str, UUID]]:
    """Alternating ("vote", idea), ("unvote", idea): a new idea (Vote.Cast of a new
    aggregate) or, REVISIT of the time, one withdrawn before (Vote.Recast);
    every unvote withdraws the vote just cast (Vote.Withdrawn)."""
    fresh = ideas[:]
    rng.shuffle(fresh)
    withdrawn: list[UUID] = []
    while True:
        if withdrawn and (rng.random() < REVISIT or not fresh):
            idea = withdrawn.pop(rng.randrange(len(withdrawn)))
        else:
            idea = fresh.pop()
        yield "vote", idea
        yield "unvote", idea
        withdrawn.append(idea)


# --- seeding and the library baseline (in this process) ------------------------------


def seed(data_dir: Path, members: int) -> tuple[list[UUID], list[dict[str, str]]]:
    """The ideas, and a signed-in session (request headers) per member."""
    from domain.category import Category
    from domain.proposal import Proposal
    from incubator.bootstrap import bootstrap
    from incubator.settings import Settings
    from projections.schema import save_member_profile

    services = bootstrap(Settings(data_dir=data_dir, secret_key="bench"), follow=False)
    try:
        category = Category("service-desk", "Service desk", "")
        ideas = [Proposal.submit(f"Benchmark idea number {i}", "Details.", category.id,
                                 member_id(i % members)) for i in range(IDEAS)]
        services.app.save(category, *ideas)
        for number in range(members):
            save_member_profile(services.writer, member_id(number), f"Member {number:03d}")
        services.runner.catch_up()
        return [idea.id for idea in ideas], bench_sessions(services, range(members))
    finally:
        services.close()


def library_save_rate(seconds: float) -> float:
    """`app.save(vote)` one per call, single thread, on a fresh SQLite file."""
    from domain.vote import Vote
    from incubator.bootstrap import bootstrap
    from incubator.settings import Settings

    with tempfile.TemporaryDirectory(prefix="incubator-bench-lib-") as tmp:
        services = bootstrap(Settings(data_dir=Path(tmp), secret_key="bench"), follow=False)
        try:
            app = services.app
            # Plenty of ideas, so the mix stays as in `operations` (new votes, not recasts).
            ideas = [UUID(int=random.getrandbits(128)) for _ in range(5_000)]
            clients = [operations(random.Random(n), ideas) for n in range(32)]
            votes: dict[tuple[int, UUID], Vote] = {}
            for _ in range(50):  # warm-up
                app.save(Vote(UUID(int=random.getrandbits(128)), member_id(0)))
            saves, kinds = 0, {"Cast": 0, "Withdrawn": 0, "Recast": 0}
            started = time.perf_counter()
            deadline = started + seconds
            while time.perf_counter() < deadline:
                for n, ops in enumerate(clients):  # round-robin, like concurrent clients
                    action, idea = next(ops)
                    vote = votes.get((n, idea))
                    if vote is None:
                        vote = votes[(n, idea)] = Vote(idea, member_id(n))
                        kinds["Cast"] += 1
                    elif action == "vote":
                        vote.recast()
                        kinds["Recast"] += 1
                    else:
                        vote.withdraw()
                        kinds["Withdrawn"] += 1
                    app.save(vote)
                    saves += 1
            elapsed = time.perf_counter() - started
        finally:
            services.close()
    rate = saves / elapsed
    log(f"  library: {saves:,} saves in {elapsed:.1f} s = {rate:,.0f}/s  {kinds}")
    return rate


# --- the server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int, app: str, extra_env: dict[str, str],
                 workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INCUBATOR_DATA_DIR": str(data_dir), "INCUBATOR_SECRET_KEY": "bench",
           # Each client votes far faster than a person: lift the limits (their
           # one UPSERT per request is still paid and measured).
           "INCUBATOR_RATE_LIMIT_VOTES": "100000000/hour",
           "INCUBATOR_RATE_LIMIT_SIGN_IN": "100000000/minute"}
    env.pop("INCUBATOR_DATABASE_URL", None)
    env.update(extra_env)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         *(["--workers", str(workers)] if workers > 1 else [])],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise RuntimeError("the server did not start within 30 s")


def cpu_seconds(pid: int) -> float:
    """User+system CPU time that a process and its live children have used (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: parent pid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # SIGINT may be ignored in background jobs
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the clients (run in a separate process: `write_path.py --drive ...`) ------------


async def drive_aiohttp(base: str, clients: int, seconds: float, ideas: list[UUID],
                        sessions: list[dict[str, str]]) -> dict[str, object]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=clients * 2, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:

        async def post(path: str, signed_in: dict[str, str]) -> int:
            async with session.post(path, data={"next": "/"}, headers={
                    "HX-Request": "true", **signed_in}) as response:
                body = await response.read()
                if response.status == 200 and b'class="vote"' not in body:
                    return 599  # a 200 without the widget is an error too
                return response.status

        return await run_clients(sessions, post, clients, seconds, ideas)


async def drive_httpx(base: str, clients: int, seconds: float, ideas: list[UUID],
                      sessions: list[dict[str, str]]) -> dict[str, object]:
    import httpx2 as httpx

    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients * 2)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as session:

        async def post(path: str, signed_in: dict[str, str]) -> int:
            response = await session.post(path, data={"next": "/"}, headers={
                "HX-Request": "true", **signed_in})
            if response.status_code == 200 and b'class="vote"' not in response.content:
                return 599
            return response.status_code

        return await run_clients(sessions, post, clients, seconds, ideas)


async def run_clients(sessions, post, clients: int, seconds: float,  # type: ignore[no-untyped-def]
                      ideas: list[UUID]) -> dict[str, object]:
    cookies = sessions[:clients]
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    active: dict[tuple[int, str], int] = {}  # final vote state per (client, idea)
    begin = time.perf_counter()
    measure_from = begin + WARM_UP_S
    stop_at = measure_from + seconds

    async def client(n: int) -> None:
        nonlocal errors
        ops = operations(random.Random(n), ideas)
        while True:
            action, idea = next(ops)
            started = time.perf_counter()
            if started >= stop_at:
                return
            try:
                status = await post(f"/ideas/{idea}/{action}", cookies[n])
            except Exception as error:  # every failure counts
                status = type(error).__name__
            elapsed = time.perf_counter() - started
            ok = isinstance(status, int) and 200 <= status < 300
            if ok:
                active[(n, str(idea))] = 1 if action == "vote" else 0
            if started >= measure_from:
                latencies.append(elapsed * 1000)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                errors += not ok
            if not ok:
                await asyncio.sleep(0.05)  # don't spin on a failing server
                # The state of this idea is unknown now: resync by repeating the op.
                active[(n, str(idea))] = -1

    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - measure_from
    return {"requests": len(latencies), "seconds": elapsed, "latencies_ms": latencies,
            "statuses": statuses, "errors": errors,
            "active_votes": sum(v for v in active.values() if v > 0),
            "unknown": sum(1 for v in active.values() if v < 0)}


def drive_main(args: argparse.Namespace) -> None:
    ideas = [UUID(line) for line in Path(args.drive).read_text().split()]
    base = f"http://127.0.0.1:{args.port}"
    driver, name = drive_httpx, "httpx2"
    if args.client in ("auto", "aiohttp"):
        try:
            import aiohttp  # noqa: F401

            driver, name = drive_aiohttp, "aiohttp"
        except ImportError:
            if args.client == "aiohttp":
                raise
    sessions = json.loads(Path(args.drive).with_name("sessions.json").read_text())
    result = asyncio.run(driver(base, args.clients, args.seconds, ideas, sessions))
    result["client_library"] = name
    print(json.dumps(result))


# --- the benchmark -------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--library-seconds", type=float, default=6.0)
    parser.add_argument("--py-spy", type=Path, help="record the server with py-spy to FILE")
    parser.add_argument("--app", default="web.app:create_app",
                        help="the uvicorn factory to serve (to compare a variant)")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes (default 1, as deployed)")
    parser.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the server, e.g. AGGREGATE_CACHE_MAXSIZE=1000")
    parser.add_argument("--client", choices=("auto", "aiohttp", "httpx2"), default="auto",
                        help="HTTP client library (auto: aiohttp if installed, else httpx2)")
    parser.add_argument("--drive", help=argparse.SUPPRESS)  # internal: the client process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive_main(args)
        return

    with tempfile.TemporaryDirectory(prefix="incubator-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        log(f"seeding {IDEAS} ideas and {args.clients} members")
        ideas, sessions = seed(data_dir, args.clients)
        ideas_file = Path(tmp) / "ideas.txt"
        ideas_file.write_text("\n".join(map(str, ideas)))
        ideas_file.with_name("sessions.json").write_text(json.dumps(sessions))

        log(f"library baseline ({args.library_seconds:.0f} s)")
        library_rate = library_save_rate(args.library_seconds)

        port = free_port()
        log(f"uvicorn on port {port}; {args.clients} clients for {args.seconds:.0f} s "
            f"(+{WARM_UP_S:.0f} s warm-up)")
        extra_env = dict(item.split("=", 1) for item in args.server_env)
        server = start_server(data_dir, port, args.app, extra_env, args.workers)
        spy = None
        try:
            if args.py_spy:
                spy = start_py_spy(server.pid, args.py_spy, args.seconds)
            server_cpu, client_cpu = cpu_seconds(server.pid), children_cpu_seconds()
            wall = time.perf_counter()
            driver = subprocess.run(
                [sys.executable, __file__, "--drive", str(ideas_file), "--port", str(port),
                 "--clients", str(args.clients), "--seconds", str(args.seconds),
                 "--client", args.client],
                capture_output=True, text=True, timeout=args.seconds + 120, check=False,
            )
            wall = time.perf_counter() - wall
            server_cpu = cpu_seconds(server.pid) - server_cpu
            client_cpu = children_cpu_seconds() - client_cpu
            log(f"  CPU while driving ({wall:.1f} s): server {server_cpu / wall:.2f} cores, "
                f"clients {client_cpu / wall:.2f} cores (of {os.cpu_count()})")
            if driver.returncode != 0:
                raise RuntimeError(f"the client process failed:\n{driver.stderr}")
            http = json.loads(driver.stdout)
        finally:
            if spy is not None:
                finish_py_spy(spy, args.py_spy)
            stop(server)
        check_read_model(data_dir, http)

    latencies = http["latencies_ms"]
    http_rate = http["requests"] / http["seconds"]
    log(f"  http ({http['client_library']}): {http['requests']:,} requests in "
        f"{http['seconds']:.1f} s = {http_rate:,.0f}/s; statuses {http['statuses']}; "
        f"p50 {percentile(latencies, 50):.1f} ms, p90 {percentile(latencies, 90):.1f} ms, "
        f"p99 {percentile(latencies, 99):.1f} ms, max {max(latencies, default=0):.1f} ms")
    print(json.dumps({
        "http_votes_per_s": round(http_rate, 1),
        "library_saves_per_s": round(library_rate, 1),
        "ratio": round(http_rate / library_rate, 3),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "errors": http["errors"],
        "clients": args.clients,
        "seconds": round(http["seconds"], 1),
        "machine": machine_speed(),
    }), flush=True)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check_read_model(data_dir: Path, http: dict[str, object]) -> None:
    """After the run, the board's vote counts must add up to the clients' final votes."""
    from sqlalchemy import func, select

    from incubator.bootstrap import bootstrap
    from incubator.settings import Settings
    from projections.tables import proposals

    services = bootstrap(Settings(data_dir=data_dir, secret_key="bench"), follow=True)
    try:
        with services.read_model.engine.connect() as conn:
            counted = conn.execute(select(func.sum(proposals.c.votes))).scalar_one() or 0
        events = services.app.recorder.max_notification_id()
    finally:
        services.close()
    expected, unknown = http["active_votes"], http["unknown"]
    verdict = "OK" if counted == expected or unknown else "MISMATCH"
    log(f"  read model: {counted} active votes, clients expect {expected} "
        f"({unknown} unknown after errors): {verdict}; {events:,} events in the log")


def start_py_spy(pid: int, target: Path, seconds: float) -> subprocess.Popen[bytes]:
    binary = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Starts with the warm-up and runs through the measured window.
    return subprocess.Popen(
        [binary, "record", "--pid", str(pid), "--duration", str(int(seconds + WARM_UP_S)),
         "--rate", "200", "--nonblocking", "--gil", "--format", "raw",
         "--output", str(target.with_suffix(".txt"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def finish_py_spy(spy: subprocess.Popen[bytes], target: Path) -> None:
    try:
        spy.wait(timeout=30)
    except subprocess.TimeoutExpired:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=10)
    log(f"  py-spy stacks written to {target.with_suffix('.txt')}")


if __name__ == "__main__":
    main()
