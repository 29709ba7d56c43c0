"""The checks CI relies on, run by the one test command: layers, lint, types."""

from __future__ import annotations

import ast
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
