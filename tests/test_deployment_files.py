"""The deployment recipe and the README stay in step with the settings the app reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def settings_variables() -> set[str]:
    source = (ROOT / "incubator" / "settings.py").read_text()
    return set(re.findall(r'environ\.get\("(INCUBATOR_[A-Z_]+)"', source))


def test_every_setting_is_in_the_readme_table() -> None:
    table = {m for m in re.findall(r"^\| `(INCUBATOR_[A-Z_]+)` \|",
                                   (ROOT / "README.md").read_text(), re.MULTILINE)}
    assert settings_variables() - table == set()
    assert {"INCUBATOR_METRICS_TOKEN", "INCUBATOR_FORWARDED_ALLOW_IPS"} <= table


def test_the_compose_app_gets_the_production_settings() -> None:
    compose = (ROOT / "compose.yaml").read_text()
    for variable in ("INCUBATOR_DATABASE_URL", "INCUBATOR_SECRET_KEY",
                     "INCUBATOR_METRICS_TOKEN", "INCUBATOR_FORWARDED_ALLOW_IPS"):
        assert re.search(rf"^\s+{variable}: ", compose, re.MULTILINE), variable
    assert "image: postgres:15" in compose


def test_the_image_runs_as_a_user_and_serves_on_all_interfaces() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert re.search(r"^USER incubator$", dockerfile, re.MULTILINE)
    assert '"serve", "--host", "0.0.0.0"' in dockerfile
    for package in ("domain", "projections", "incubator", "web", "ml"):
        assert f"COPY {package} ./{package}" in dockerfile
