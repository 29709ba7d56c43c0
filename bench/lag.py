"""Lag at scale: a command saved in one process -> visible in another web process.

Starts `incubator worker` and `incubator serve --workers 2` on a throw-away
PostgreSQL database, then, from this process (a third "web process" that leaves
the projections to the worker), submits ideas one at a time and measures:
- `own_write_ms`: save returned -> this process's `runner.wait_for(position)`
  returned (read-your-writes: the NOTIFY the worker sends with each page);
- `other_process_ms`: save returned -> `GET /ideas/<id>` on the served web
  processes answers 200 (polled every 2 ms; includes one HTTP round trip).
Prints `{"own_write_ms": {"p50", "p99", "max"}, "other_process_ms": {...}, "samples"}`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from uuid import uuid4

# Run as a file, bench/ comes first on sys.path, where bench/projections.py would
# shadow the `projections` package: put the repository root there instead.
if __name__ == "__main__":  # (imported by the tests, the path is already right)
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench._common import log, percentile, postgres_database
from incubator.bootstrap import bootstrap
from incubator.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(percentile(values, 50), 1), "p99": round(percentile(values, 99), 1),
            "max": round(max(values), 1)}


def measure(url: str, samples: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as data_dir:
        return _measure(Settings(data_dir=Path(data_dir), database_url=url,
                                 external_jobs=True), samples)


def _measure(settings: Settings, samples: int) -> dict[str, object]:
    url = settings.database_url
    # Create the schema first, so the processes do not race to create it.
    bootstrap(dataclasses.replace(settings, external_jobs=False)).close()
    port, env = free_port(), {**os.environ, **settings.to_env()}
    cli = [sys.executable, "-m", "incubator.cli"]
    processes = [
        subprocess.Popen([*cli, "worker", "--database", url], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([*cli, "serve", "--workers", "2", "--port", str(port),
                          "--database", url], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    services = bootstrap(settings)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while status(f"{base}/healthz") != 200:
            assert time.monotonic() < deadline, "the web processes did not start"
            time.sleep(0.1)
        category = services.app.create_category(f"lag-{uuid4().hex[:6]}", "Lag", "").id
        own, other = [], []
        for n in range(samples):
            written = services.app.submit_proposal(f"Lag probe {n}", "Measuring.",
                                                   category, uuid4())
            saved = time.perf_counter()
            assert services.runner.wait_for(written.position, timeout=5)
            own.append((time.perf_counter() - saved) * 1000)
            while status(f"{base}/ideas/{written.id}") != 200:
                assert time.perf_counter() - saved < 5, "not visible within 5 s"
                time.sleep(0.002)
            other.append((time.perf_counter() - saved) * 1000)
            time.sleep(0.02)
        return {"own_write_ms": summary(own), "other_process_ms": summary(other),
                "samples": samples}
    finally:
        services.close()
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    with postgres_database() as url:
        log(f"measuring {args.samples} commands on {url.rpartition('/')[2]}")
        print(json.dumps(measure(url, args.samples)))


if __name__ == "__main__":
    main()
