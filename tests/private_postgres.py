"""A throw-away PostgreSQL cluster of our own, for tests that stop and start the server.

The shared server on 127.0.0.1:5432 is never stopped: other tests (and people) use it.
This cluster lives in a temporary directory, listens on a free port of 127.0.0.1,
runs with fsync off, and is removed at the end. `initdb` refuses to run as root, so as
root (CI) the server runs as the `postgres` OS user that Debian's packages create.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


def server_binaries() -> Path | None:
    """The newest installed server's bin folder (15 on our machines), if any."""
    found = sorted((p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def missing_reason() -> str | None:
    """Why a private cluster cannot run here, or None if it can."""
    if server_binaries() is None:
        return f"no PostgreSQL server binaries (initdb, pg_ctl) under {PG_ROOT}/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no `postgres` OS user to run initdb as"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateCluster:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data, self.log = root / "data", root / "server.log"
        self.bin = server_binaries()
        assert self.bin is not None, missing_reason()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        argv = [str(self.bin / tool), *args]  # type: ignore[operator]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              check=False)
        assert done.returncode == 0, f"{tool} failed: {done.stdout}{done.stderr}{self._log()}"

    def _log(self) -> str:
        return self.log.read_text()[-2000:] if self.log.exists() else ""

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--no-sync", "--no-instructions")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "30", "start")

    def stop(self) -> None:
        """Fast shutdown: sessions are ended, the port closes."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """Initialise and start a cluster; stop and delete it afterwards."""
    root = Path(tempfile.mkdtemp(prefix="incubator-pg-"))
    try:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(root, user.pw_uid, user.pw_gid)
        cluster = PrivateCluster(root, free_port())
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            if cluster.running():
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
