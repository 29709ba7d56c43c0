"""Who is using a SQLite data directory: every process that opens it holds a shared
lock on `DIR/.in-use`; a restore needs it exclusively. The operating system drops
the locks of a process that dies, so a crash never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

LOCK_FILE = ".in-use"


class DataDirInUseError(RuntimeError):
    pass


def hold_shared(data_dir: Path) -> IO[bytes]:
    """Mark the directory in use until the returned file is closed."""
    handle = (data_dir / LOCK_FILE).open("ab")
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DataDirInUseError(f"{data_dir} is being restored; try again when it is done.")\
            from None
    return handle


@contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the directory alone, or refuse at once if anything has it open."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirInUseError(
                f"{data_dir} is in use by a running Incubator; stop it first.") from None
        yield
