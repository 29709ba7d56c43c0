"""axe-core, run inside a page by the tests only (the app never serves it).

The script is evaluated through the DevTools protocol (`page.evaluate`), which the page's
Content-Security-Policy does not govern: a `<script>` tag added to the page would be an
inline script and is refused by `script-src 'self'`, and the app's CSP stays as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")


def axe_results(page: Page) -> dict[str, Any]:
    """Every axe rule (WCAG 2.x A/AA and best practices) on the page as it is now."""
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(AXE_SOURCE)
    results: dict[str, Any] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
    )
    return results


def blocking_violations(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]], url: str) -> str:
    """A failure message a person can act on: rule, why, where, how to fix."""
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  at {' '.join(map(str, node['target']))}")
            lines.append(f"     {node['html'][:160]}")
            for summary_line in node["failureSummary"].splitlines():
                lines.append(f"     {summary_line}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  … and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)
