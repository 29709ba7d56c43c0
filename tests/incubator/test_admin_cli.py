"""`incubator admin create`: the first admin, with a password never on the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from domain.member import Role
from incubator import admin
from incubator.bootstrap import bootstrap
from incubator.cli import main
from incubator.identity import Identity
from incubator.settings import Settings
from projections.member_queries import member_summaries

PASSWORD = "correct staple horse battery of ours"


def test_the_first_admin_is_created_from_stdin_and_can_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    main(["admin", "create", "--email", "Ada@Example.org", "--name", "Ada Admin",
          "--password-stdin", "--data-dir", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    assert report["email"] == "ada@example.org" and report["role"] == "admin"
    services = bootstrap(Settings(data_dir=tmp_path))
    try:
        (ada,) = member_summaries(services.read_model.engine)
        assert ada.display_name == "Ada Admin" and ada.has(Role.ADMIN)
        assert str(Identity(services).authenticate("ada@example.org", PASSWORD)) == report["member"]
    finally:
        services.close()


def test_the_prompt_asks_twice_and_refuses_a_mismatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PASSWORD, PASSWORD + " typo"])
    monkeypatch.setattr(admin.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(SystemExit, match="differ"):
        main(["admin", "create", "--email", "ada@example.org", "--data-dir", str(tmp_path)])


def test_a_weak_password_or_a_taken_e_mail_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["admin", "create", "--email", "ada@example.org", "--password-stdin",
               "--data-dir", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(SystemExit, match="at least 15 characters"):
        main(command)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    main(command)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(SystemExit, match="already an account"):
        main(command)
