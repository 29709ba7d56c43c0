"""A mixed workload over HTTP from a separate process: SQLite with one web process
against PostgreSQL with `serve --workers 2` + `incubator worker`.

1. Seeds a realistic store (2,000 ideas in 10 categories, ~12,000 vote events from 500
   members, 2,000 comments, 200 status answers, 100 published outcomes) and opens a
   session for each simulated member, before any server starts.
2. Starts the servers: (a) `incubator serve --data-dir DIR` (one process, the jobs in
   it); (b) on a throw-away PostgreSQL database `incubator worker` and `incubator serve
   --workers 2`. Rate limits are lifted (each client acts far faster than a person).
3. From another process (aiohttp), `--clients` (64) signed-in members, each sending its
   next request as soon as the last one is answered (closed loop; with `--think-ms T`,
   after a pause drawn from an exponential distribution of mean T, as a person reads
   the page before the next click; the default, 0, measures the servers saturated):
   80 % page views (40 % the board, sorted and paged at random, 30 % an idea page,
   10 % the outcome board), 15 % votes (vote or withdraw, with `HX-Request`), 5 %
   submissions and comments (half each, as plain form posts). The first `--warm-up`
   seconds are not counted, then `--seconds` (60) are measured.
   An error is any answer other than 2xx/3xx, or an exception.

Prints one JSON object:

    {"sqlite": {"rps", "p50_ms", "p99_ms", "errors", ...},
     "postgres": {"rps", "p50_ms", "p99_ms", "errors", ...}}

with, per backend, the requests counted, each kind's p50/p99, the CPU the servers and
the clients used (in cores), the servers' CPU milliseconds per request (the figure that
moves least with other load; PostgreSQL's own processes are counted apart, in
`database_cpu_ms_per_request`: with SQLite that work is inside the server) and the
1-minute load average before and after (the machine is shared: read every figure next
to it).

Usage: .venv/bin/python bench/load.py [--seconds 60] [--clients 64] [--warm-up 5] [--think-ms 0]
       [--only sqlite|postgres] [--web-workers 2]
       [--py-spy DIR]  (py-spy record of the web processes: DIR/<backend>.txt,
       collapsed stacks, and a summary on stderr)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # see bench/projections.py

from bench._common import (  # noqa: E402
    Mix,
    bench_sessions,
    insert_member_profiles,
    log,
    machine_speed,
    percentile,
    postgres_database,
    write_event_log,
)
from bench.lag import free_port  # noqa: E402
from bench.profile_summary import summarize  # noqa: E402
from bench.write_path import children_cpu_seconds, cpu_seconds, stop  # noqa: E402

IDEAS, MEMBERS_IN_LOG, OUTCOMES = 2_000, 500, 100
WEIGHTS = {"board": 40, "idea": 30, "outcomes": 10, "vote": 15, "submit": 2.5,
           "comment": 2.5}
SORTS = ("hot", "top", "new")
UNLIMITED = {f"INCUBATOR_RATE_LIMIT_{kind}": "100000000/hour"
             for kind in ("IDEAS", "COMMENTS", "VOTES", "SIGN_IN")}


# --- seeding (in this process, before the servers start) ----------------------------


def seed(settings: Any, clients: int) -> dict[str, Any]:
    """The store, and what the clients need: idea ids (all, and those open to votes),
    category ids, and a session (request headers) per client."""
    from sqlalchemy import select

    from bench.outcomes import write_outcomes
    from incubator.bootstrap import bootstrap
    from projections.tables import categories, proposals

    services = bootstrap(settings, follow=False)
    try:
        write_event_log(services.app, Mix(ideas=IDEAS, votes=IDEAS * 6, comments=IDEAS,
                                          members=MEMBERS_IN_LOG, status_changes=IDEAS // 10))
        insert_member_profiles(services.writer, MEMBERS_IN_LOG)
        services.runner.catch_up()
        write_outcomes(services, OUTCOMES)
        sessions = bench_sessions(services, range(clients))  # catches up too
        with services.writer.connect() as conn:
            rows = conn.execute(select(proposals.c.id, proposals.c.status)).all()
            category_ids = conn.execute(select(categories.c.id)).scalars().all()
    finally:
        services.close()
    open_statuses = {"open", "under_review", "planned", "in_progress"}
    return {"ideas": [str(i) for i, _ in rows],
            "votable": [str(i) for i, status in rows if status in open_statuses],
            "categories": [str(c) for c in category_ids], "sessions": sessions}


# --- the servers ---------------------------------------------------------------------


@contextmanager
def running(argvs: list[list[str]], env: dict[str, str], port: int,
            logs: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    processes = []
    try:
        for n, argv in enumerate(argvs):
            with (logs / f"server-{n}.log").open("wb") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "incubator.cli", *argv], cwd=ROOT, env=env,
                    stdout=out, stderr=out, start_new_session=True))
        wait_ready(port, processes)
        yield processes
    finally:
        for process in reversed(processes):
            stop(process)


def wait_ready(port: int, processes: list[subprocess.Popen[bytes]]) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a server process exited while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError("the servers did not become ready within 90 s")


def server_commands(backend: str, where: str, port: int, web: int) -> list[list[str]]:
    if backend == "sqlite":
        return [["serve", "--port", str(port), "--data-dir", where]]
    # One web process follows the worker too, as `serve --workers N` processes do.
    return [["worker", "--database", where],
            ["serve", "--workers", str(web), "--port", str(port), "--database", where]]


def run_backend(backend: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from incubator.settings import Settings

    with database(backend, tmp) as where:
        settings = (Settings(data_dir=Path(where), secret_key="bench") if backend == "sqlite"
                    else Settings(data_dir=tmp / "pg-data", database_url=where,
                                  secret_key="bench"))
        log(f"{backend}: seeding {IDEAS:,} ideas, {OUTCOMES} outcomes, "
            f"{args.clients} sessions")
        plan = seed(settings, args.clients)
        plan_file = tmp / f"{backend}-plan.json"
        plan_file.write_text(json.dumps(plan))
        port = free_port()
        env = {**os.environ, **settings.to_env(), **UNLIMITED}
        if backend == "postgres":
            env["INCUBATOR_EXTERNAL_JOBS"] = "1"
        commands = server_commands(backend, where, port, args.web_workers)
        with running(commands, env, port, tmp) as processes:
            log(f"{backend}: {args.clients} clients for {args.seconds:.0f} s "
                f"(+{args.warm_up:.0f} s warm-up)")
            database_name = where.rpartition("/")[2] if backend == "postgres" else ""
            result = drive(backend, args, plan_file, port, processes, database_name)
            result["server_log_problems"] = log_server_problems(backend, tmp)
            if result["errors"] or any(p.poll() is not None for p in processes):
                log_server_tails(backend, tmp)
            return result


# What a run must not pass over in silence: errors and warnings, and uvicorn's
# supervisor restarting a web process it found dead or hung.
PROBLEM_MARKERS = ('"level": "error"', '"level": "warning"', '"level": "critical"',
                   "Child process", "Traceback")


def log_server_problems(backend: str, logs: Path) -> int:
    """Log the servers' warnings, errors and process restarts; return how many."""
    found = [f"{path.name}: {line}" for path in sorted(logs.glob("server-*.log"))
             for line in path.read_text(errors="replace").splitlines()
             if any(marker in line for marker in PROBLEM_MARKERS)]
    if found:
        log(f"{backend}: {len(found)} problem lines in the server logs:\n"
            + "\n".join(found[:40]))
    return len(found)


def log_server_tails(backend: str, logs: Path, lines: int = 40) -> None:
    """What the servers said last, when requests failed: their logs go with the run's
    temporary directory."""
    for path in sorted(logs.glob("server-*.log")):
        tail = path.read_text(errors="replace").splitlines()[-lines:]
        log(f"{backend}: the last lines of {path.name}:\n" + "\n".join(tail))


@contextmanager
def database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp / "sqlite-data")
    else:
        with postgres_database() as url:
            yield url


def database_cpu_seconds(name: str) -> float:
    """CPU time of the PostgreSQL server processes serving database `name` (Linux)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            cmdline = (stat.parent / "cmdline").read_bytes()
            if not (name and cmdline.startswith(b"postgres: ") and name.encode() in cmdline):
                continue
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def drive(backend: str, args: argparse.Namespace, plan_file: Path, port: int,
          processes: list[subprocess.Popen[bytes]], database_name: str) -> dict[str, Any]:
    spies = start_py_spy(processes, backend, args) if args.py_spy else []
    load_before = os.getloadavg()[0]
    database_cpu = database_cpu_seconds(database_name)
    servers_cpu = sum(cpu_seconds(p.pid) for p in processes)
    clients_cpu = children_cpu_seconds()
    wall = time.perf_counter()
    driver = subprocess.run(
        [sys.executable, __file__, "--drive", str(plan_file), "--port", str(port),
         "--clients", str(args.clients), "--seconds", str(args.seconds),
         "--warm-up", str(args.warm_up), "--think-ms", str(args.think_ms)],
        capture_output=True, text=True, timeout=args.seconds + args.warm_up + 180, check=False)
    wall = time.perf_counter() - wall
    servers_cpu = sum(cpu_seconds(p.pid) for p in processes) - servers_cpu
    database_cpu = database_cpu_seconds(database_name) - database_cpu
    clients_cpu = children_cpu_seconds() - clients_cpu
    load_after = os.getloadavg()[0]
    for spy in spies:
        spy.wait(timeout=60)
    if driver.returncode != 0:
        raise RuntimeError(f"the client process failed:\n{driver.stderr[-3000:]}")
    if exited := [p.args for p in processes if p.poll() is not None]:
        log(f"{backend}: WARNING, server processes exited during the run: {exited}")
    http = json.loads(driver.stdout)
    result = summary(http)
    result.update({"servers_cpu_cores": round(servers_cpu / wall, 2),
                   # all requests, warm-up included, as the CPU time is measured
                   "servers_cpu_ms_per_request": round(servers_cpu * 1000 / http["total"], 2),
                   "clients_cpu_cores": round(clients_cpu / wall, 2),
                   # PostgreSQL's own processes (SQLite works inside the server's)
                   "database_cpu_ms_per_request": round(database_cpu * 1000 / http["total"], 2),
                   "load_avg_1m": [round(load_before, 1), round(load_after, 1)]})
    log(f"{backend}: {json.dumps(result)}")
    if args.py_spy:
        log(summarize(args.py_spy / f"{backend}.txt"))
    return result


def summary(http: dict[str, Any]) -> dict[str, Any]:
    everything = [ms for values in http["latencies_ms"].values() for ms in values]
    return {
        "rps": round(len(everything) / http["seconds"], 1),
        "p50_ms": round(percentile(everything, 50), 1),
        "p99_ms": round(percentile(everything, 99), 1),
        "errors": http["errors"],
        "requests": len(everything),
        "by_kind": {kind: {"n": len(values), "p50_ms": round(percentile(values, 50), 1),
                           "p99_ms": round(percentile(values, 99), 1)}
                    for kind, values in sorted(http["latencies_ms"].items())},
        "statuses": http["statuses"],
    }


def start_py_spy(processes: list[subprocess.Popen[bytes]], backend: str,
                 args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    """Record the web processes (`serve` and its children) for the whole run."""
    binary = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    args.py_spy.mkdir(parents=True, exist_ok=True)
    web = processes[-1]  # the `serve` process; its uvicorn workers are its children
    return [subprocess.Popen(
        [binary, "record", "--pid", str(web.pid), "--subprocesses", "--duration",
         str(int(args.seconds + args.warm_up)), "--rate", "100", "--nonblocking", "--gil",
         "--format", "raw", "--output", str(args.py_spy / f"{backend}.txt")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]


# --- the clients (a separate process: `load.py --drive PLAN ...`) ---------------------


async def run_clients(base: str, plan: dict[str, Any], clients: int, seconds: float,
                      warm_up: float, think_ms: float = 0.0) -> dict[str, Any]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=clients * 2)
    async with aiohttp.ClientSession(base, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60),
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        latencies: dict[str, list[float]] = {kind: [] for kind in WEIGHTS}
        statuses: dict[str, int] = {}
        errors = total = 0
        begin = time.perf_counter()
        measure_from, stop_at = begin + warm_up, begin + warm_up + seconds

        async def client(n: int) -> None:
            nonlocal errors, total
            rng = random.Random(n)
            member = Member(n, plan, rng)
            kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
            while (started := time.perf_counter()) < stop_at:
                kind = rng.choices(kinds, weights)[0]
                method, path, data, headers = member.request(kind)
                try:
                    async with session.request(
                        method, path, data=data, allow_redirects=False,
                        headers={**plan["sessions"][n], **headers},
                    ) as response:
                        await response.read()
                        status: int | str = response.status
                except Exception as error:  # every failure counts
                    status = type(error).__name__
                ok = isinstance(status, int) and 200 <= status < 400
                total += 1
                if started >= measure_from:
                    latencies[kind].append((time.perf_counter() - started) * 1000)
                    key = f"{kind} {status}"
                    statuses[key] = statuses.get(key, 0) + 1
                    errors += not ok
                if not ok:
                    await asyncio.sleep(0.05)
                if think_ms:
                    await asyncio.sleep(rng.expovariate(1000 / think_ms))

        await asyncio.gather(*(client(n) for n in range(clients)))
        return {"latencies_ms": latencies, "statuses": statuses, "errors": errors,
                "seconds": time.perf_counter() - measure_from, "total": total}


class Member:
    """What one simulated member asks for next."""

    def __init__(self, n: int, plan: dict[str, Any], rng: random.Random) -> None:
        self.n, self.plan, self.rng = n, plan, rng
        self.voted: set[str] = set()
        self.posted = 0

    def request(self, kind: str) -> tuple[str, str, dict[str, str] | None, dict[str, str]]:
        rng, plan = self.rng, self.plan
        if kind == "board":
            return "GET", f"/?sort={rng.choice(SORTS)}&page={rng.randint(1, 3)}", None, {}
        if kind == "idea":
            return "GET", f"/ideas/{rng.choice(plan['ideas'])}", None, {}
        if kind == "outcomes":
            return "GET", "/outcomes", None, {}
        if kind == "vote":
            idea = rng.choice(plan["votable"])
            action = "unvote" if idea in self.voted else "vote"
            self.voted ^= {idea}
            return "POST", f"/ideas/{idea}/{action}", {"next": "/"}, {"HX-Request": "true"}
        self.posted += 1
        if kind == "submit":
            return "POST", "/ideas", {
                "title": f"Load test idea {self.n}-{self.posted}: a quieter printer room",
                "description": "Seen during the load test.",
                "category": rng.choice(plan["categories"])}, {}
        return "POST", f"/ideas/{rng.choice(plan['votable'])}/comments", {
            "text": f"Comment {self.posted} from member {self.n}: yes, please."}, {}


def drive_main(args: argparse.Namespace) -> None:
    plan = json.loads(Path(args.drive).read_text())
    result = asyncio.run(run_clients(f"http://127.0.0.1:{args.port}", plan, args.clients,
                                     args.seconds, args.warm_up, args.think_ms))
    print(json.dumps(result))


# --- the benchmark -------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--warm-up", type=float, default=5.0)
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean pause between a member's requests (0: none, saturated)")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--web-workers", type=int, default=2,
                        help="PostgreSQL: `serve --workers N` (default 2)")
    parser.add_argument("--py-spy", type=Path, help="record the web processes to DIR")
    parser.add_argument("--drive", help=argparse.SUPPRESS)  # internal: the client process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive_main(args)
        return
    results = {}
    for backend in ("sqlite", "postgres"):
        if args.only in (None, backend):
            with tempfile.TemporaryDirectory(prefix="incubator-load-") as tmp:
                results[backend] = run_backend(backend, args, Path(tmp))
    print(json.dumps({**results, "machine": machine_speed()}), flush=True)


if __name__ == "__main__":
    main()
