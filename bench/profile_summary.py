"""Where the time goes in a `py-spy record --format raw` file (collapsed stacks).

`python bench/profile_summary.py FILE` prints, as shares of all samples: each layer's
time (a sample goes to the innermost layer on its stack), the time under some parts of
the app (inclusive: everything they call), and the packages the sampled line itself was
in (self time).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

# Each sample goes to the innermost of these layers on its stack (checked leaf first).
LAYERS = (
    ("page rendering (Jinja2, MarkupSafe)", ("/jinja2/", "/jinja2_fragments/", "/markupsafe/",
                                             ".html")),
    ("SQL building and results (SQLAlchemy)", ("/sqlalchemy/",)),
    ("database drivers (psycopg, sqlite3)", ("/psycopg/", "/psycopg_pool/", "sqlite3")),
    ("event store (eventsourcing)", ("/eventsourcing/",)),
    ("similar-ideas index (scikit-learn)", ("/sklearn/", "/scipy/", "/numpy/", "/ml/")),
    ("access logs and metrics", ("/logging/", "/prometheus_client/", "/incubator/logs.py",
                                 "/web/observability.py")),
    ("Starlette (routing, requests, forms, middleware)", ("/starlette/", "multipart/")),
    ("HTTP server and event loop (uvicorn, httptools, asyncio, anyio)", (
        "/uvicorn/", "/httptools/", "/h11/", "/asyncio/", "/anyio/")),
    ("our code (web, incubator, projections, domain)", ("/web/", "/incubator/",
                                                        "/projections/", "/domain/")),
)
# Parts of the app whose time includes everything they call (no wrappers here).
PARTS = (
    ("page rendering (templates)", ("/jinja2/", "/jinja2_fragments/")),
    ("signed-in member and CSRF (web/identity.py)", ("/web/identity.py",)),
    ("rate limits", ("rate_limit",)),
    ("commands (incubator/application.py)", ("/incubator/application.py",)),
    ("event store (eventsourcing)", ("/eventsourcing/",)),
    ("projection runner in a web process (incubator/runner.py)",
     ("/incubator/runner.py",)),
    ("read-model queries (projections/)", ("/projections/",)),
    ("links in pages (Starlette's url_for)", ("/starlette/requests.py",)),
)
FILE = re.compile(r"\(([^():]+)(?::\d+)?\)$")


def frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rstrip().rpartition(" ")
    files = []
    for frame in stack.split(";"):
        if match := FILE.search(frame):  # "function (package/module.py:line)"
            files.append("/" + match.group(1).split("site-packages/")[-1])
    return files, int(count)


def package(path: str) -> str:
    """py-spy shortens file names to the package's path: 'sqlalchemy/engine/base.py'."""
    first, _, rest = path.lstrip("/").partition("/")
    if not rest:
        return "python stdlib and C extensions"
    return f"{first} (ours)" if first in ("web", "incubator", "projections", "domain",
                                          "ml") else first


def layer(files: list[str]) -> str:
    for file in reversed(files):
        for label, needles in LAYERS:
            if any(needle in file for needle in needles):
                return label
    return "other (stdlib, threads)"


def summarize(raw: Path) -> str:
    parts: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        if not line.strip():
            continue
        files, count = frames(line)
        total += count
        joined = ";".join(files)
        for label, needles in PARTS:
            if any(needle in joined for needle in needles):
                parts[label] += count
        layers[layer(files)] += count
        leaves[package(files[-1]) if files else "?"] += count
    if not total:
        return f"{raw}: no samples"
    lines = [f"{raw}: {total:,} samples (threads holding the GIL)",
             "  by layer (the innermost on the stack):"]
    lines += [f"    {n / total:6.1%}  {name}" for name, n in layers.most_common()]
    lines.append("  inclusive (a part and what it calls):")
    lines += [f"    {parts[label] / total:6.1%}  {label}" for label, _ in PARTS]
    lines.append("  self time, by package:")
    lines += [f"    {n / total:6.1%}  {name}" for name, n in leaves.most_common(10)]
    return "\n".join(lines)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(summarize(Path(name)))
