"""Leases on SQLite: `incubator worker --data-dir` projects under a file lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from incubator.bootstrap import bootstrap
from incubator.jobs import FileLease
from incubator.settings import Settings
from tests.helpers import category, submit


def test_a_file_lease_is_held_by_one_holder_until_released(tmp_path: Path) -> None:
    first, second = FileLease(tmp_path / "job.lease"), FileLease(tmp_path / "job.lease")
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()


def test_a_worker_on_sqlite_projects_what_a_non_projecting_process_wrote(
    tmp_path: Path,
) -> None:
    services = bootstrap(Settings(data_dir=tmp_path), follow=False)
    try:
        idea = submit(services, category(services))
        head = services.app.recorder.max_notification_id()
        assert services.read_model.proposal(idea) is None, "nothing projects here"
        worker = subprocess.Popen([sys.executable, "-m", "incubator.cli", "worker",
                                   "--data-dir", str(tmp_path)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while services.read_model.position("board") != head:
                assert time.monotonic() < deadline, "the worker did not project"
                time.sleep(0.1)
        finally:
            worker.terminate()
            assert worker.wait(timeout=15) == 0
        assert services.read_model.proposal(idea) is not None
    finally:
        services.close()
