"""The checks CI relies on, run by the one test command: layers, lint, types."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [
    ["lint-imports"],
    ["ruff", "check", "."],
    ["mypy"],
    ["bandit", "-c", "pyproject.toml", "-q", "-r", "domain", "projections", "incubator", "web",
     "ml"],
])
def test_the_code_passes(command: list[str]) -> None:
    done = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_the_domain_imports_only_the_stdlib_and_eventsourcing_domain() -> None:
    allowed = set(sys.stdlib_module_names) | {"eventsourcing.domain", "domain"}
    for module in (ROOT / "domain").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name in allowed or name.split(".")[0] in allowed - {"eventsourcing"}, (
                    f"{module.name} imports {name}"
                )


NOSEC = re.compile(r"#\s*nosec\b")
REASONED = re.compile(r"#.*--\s*\w+.*#\s*nosec\s+B\d{3}")


def test_every_nosec_names_its_check_and_gives_a_reason() -> None:
    """`... # noqa: S311 -- why this is safe  # nosec B311`: bandit reads the id, a
    reviewer reads the reason."""
    for module in ROOT.glob("[!.]*/**/*.py"):
        for number, line in enumerate(module.read_text().splitlines(), 1):
            if NOSEC.search(line):
                assert REASONED.search(line), f"{module.relative_to(ROOT)}:{number}: {line}"
