"""Our templates never need 'unsafe-inline': no inline script, style or event handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).parents[2] / "web" / "templates").rglob("*.html"))

FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "htmx inline handler": re.compile(r"\s(data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) >= 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_template_has_nothing_inline_for_the_csp_to_block(template: Path) -> None:
    source = template.read_text()
    for what, pattern in FORBIDDEN.items():
        found = pattern.search(source)
        assert found is None, f"{template.name}: {what}: {found.group(0) if found else ''}"


def test_the_scan_catches_what_it_looks_for() -> None:
    samples = {"inline script": "<script>alert(1)</script>",
               "style attribute": '<p style="color: red">',
               "event handler attribute": '<img onerror="x()">',
               "htmx inline handler": '<div hx-on:click="x()">',
               "javascript: URL": '<a href="javascript:x()">'}
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    assert not FORBIDDEN["inline script"].search('<script src="/static/htmx.min.js" defer>')
