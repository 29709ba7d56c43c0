"""`incubator serve --workers N`: several web processes on PostgreSQL that follow the
read model `incubator worker` writes; refused on SQLite, which has one writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.lag import measure
from incubator.cli import main
from tests.conftest import _empty_database


def test_several_web_processes_on_sqlite_are_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--workers", "2", "--data-dir", str(tmp_path)])
    assert "needs PostgreSQL" in str(refused.value)
    assert not (tmp_path / "incubator.sqlite3").exists(), "refused before touching anything"


@pytest.mark.postgres
def test_a_command_is_visible_in_the_other_web_processes_within_a_second(
    postgres_url: str,
) -> None:
    """Own writes wait for the worker's NOTIFY; the served processes see them too."""
    _empty_database(postgres_url)
    lag = measure(postgres_url, samples=10)
    assert lag["own_write_ms"]["max"] < 1000  # type: ignore[index]
    assert lag["other_process_ms"]["max"] < 1000  # type: ignore[index]
    # Without LISTEN/NOTIFY the worker polls every second and the web process re-reads
    # the tracking row every 250 ms: the median would be hundreds of milliseconds.
    assert lag["own_write_ms"]["p50"] < 150  # type: ignore[index]
