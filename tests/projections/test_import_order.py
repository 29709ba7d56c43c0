"""The triage handlers register on the board projection from their own modules: any
of them must be importable first, in a fresh interpreter, without a circular import."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = ["board", "merges", "queries", "theme_decisions", "triage", "triage_queries"]


@pytest.mark.parametrize("module", MODULES)
def test_each_projections_module_imports_first(module: str) -> None:
    imported = subprocess.run([sys.executable, "-c", f"import projections.{module}"],
                              capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr
