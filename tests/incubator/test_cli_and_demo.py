"""The newcomer's path: `incubator serve --demo`, the demo data set, and rebuilds."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from domain.member import Role
from domain.proposal import Status
from incubator.bootstrap import bootstrap
from incubator.cli import main
from incubator.demo_campaigns import CLOSED, OPEN
from incubator.demo_data import IDEAS
from incubator.settings import Settings
from projections.campaign_queries import campaign, campaign_list
from projections.member_queries import member_summaries
from projections.outcome_queries import outcome_board
from projections.tables import PROJECTED_TABLES


def test_serve_with_demo_prints_a_url_that_shows_the_seeded_board(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    incubator = Path(sys.executable).parent / "incubator"
    command = [str(incubator), "serve", "--demo", "--data-dir", str(tmp_path),
               "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as server:
        try:
            assert server.stdout is not None
            first_line = server.stdout.readline()
            assert f"open http://127.0.0.1:{port}/" in first_line
            page = _get_when_up(f"http://127.0.0.1:{port}/?sort=top")
            assert page.count('class="card"') == 20
            assert f"{len(IDEAS) + len(CLOSED.ideas) + len(OPEN.ideas)} ideas" in page
            assert "Demo site" in page
        finally:
            server.terminate()
            server.wait(timeout=15)


def _get_when_up(url: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_demo_data_set_is_seeded_once_and_is_realistic(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, demo=True)
    services = bootstrap(settings)
    events = services.app.recorder.max_notification_id()
    read_model = services.read_model
    board = read_model.board(sort="top")
    assert board.total >= 200
    assert len(read_model.categories()) >= 8
    assert len(read_model.members()) >= 50
    assert board.cards[0].votes >= 10
    assert sum(card.comments for card in board.cards) > 0
    answered = [s for s in Status if s is not Status.OPEN and read_model.board(status=s).total]
    assert len(answered) >= 4
    summaries = member_summaries(read_model.engine)
    assert sum(m.has(Role.ADMIN) for m in summaries) == 1
    assert sum(m.has(Role.OWNER) for m in summaries) >= 3
    published = outcome_board(read_model.engine).outcomes  # the loop, closed in public
    assert len(published) >= 5 and {o.subject_kind for o in published} == {"idea", "theme"}
    assert any(o.corrected for o in published) and read_model.board(status=Status.DECLINED).total
    # The story takes months: ideas have ages, and outcomes took days to deliver.
    newest, oldest = (read_model.board(sort="new", page=p).cards for p in (1, board.pages))
    assert (newest[0].created_at - oldest[-1].created_at).days >= 150
    assert all((o.days_to_done or 0) > 0 for o in published)
    campaigns = campaign_list(read_model.engine)  # an open and a closed one, answered
    assert [c.status for c in campaigns] == ["open", "closed"]
    assert all(c.ideas >= 3 and c.answers >= 30 for c in campaigns)
    closed = campaign(read_model.engine, campaigns[1].id)
    assert closed is not None and closed.leading and closed.closed_why == "owner"
    services.close()
    again = bootstrap(settings)
    assert again.app.recorder.max_notification_id() == events
    again.close()


def test_projections_rebuild_gives_identical_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = bootstrap(Settings(data_dir=tmp_path, demo=True))
    before = _tables(services)
    services.close()
    main(["projections", "rebuild", "--data-dir", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    assert report["events"] > 1000
    services = bootstrap(Settings(data_dir=tmp_path), follow=False)
    assert _tables(services) == before
    services.close()


def _tables(services: object) -> dict[str, list[tuple[object, ...]]]:
    from sqlalchemy import select

    engine = services.writer  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(
                select(table).order_by(*table.primary_key.columns))]
            for table in PROJECTED_TABLES
        }
