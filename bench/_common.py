"""Shared by the benchmark scripts: progress output, percentiles, a throw-away
PostgreSQL database, and a fast writer of a realistic event log.

The scripts are run as files (`python bench/projections.py`), so this module is
imported as `_common` from the bench folder, not as a package.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import insert

from domain.category import Category
from domain.comment import Comment
from domain.member import Member
from domain.proposal import Proposal, Status
from domain.vote import Vote

SERVER_URL = "postgresql://postgres@127.0.0.1:5432"

CATEGORIES = (
    ("service-desk", "Service desk"), ("laptops", "Laptops & devices"),
    ("network", "Network & Wi-Fi"), ("accounts", "Accounts & access"),
    ("email", "Email & calendar"), ("printing", "Printing"),
    ("software", "Software requests"), ("meeting-rooms", "Meeting rooms"),
    ("security", "Security"), ("intranet", "Intranet"),
)
WORDS = (
    "faster", "laptop", "refresh", "single", "sign-on", "printer", "queue", "wifi", "guest",
    "network", "vpn", "meeting", "room", "booking", "shared", "mailbox", "password", "reset",
    "self-service", "portal", "dark", "mode", "second", "monitor", "docking", "station",
    "headset", "onboarding", "checklist", "software", "catalog", "badge", "access", "calendar",
    "sync", "file", "share", "backup", "restore", "ticket", "status", "chat", "bot"
)
OPEN_STATUSES = (Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.DONE, Status.DECLINED, Status.ALREADY_POSSIBLE)


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@contextlib.contextmanager
def stopwatch(label: str) -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - started
        log(f"  {label}: {out['seconds']:.2f} s")


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database `incubator_bench_<hex>` on the local server, dropped at the end."""
    import psycopg
    from psycopg import sql

    name = f"incubator_bench_{secrets.token_hex(6)}"

    def on_server(statement: sql.Composed) -> None:
        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True,
                             connect_timeout=5) as connection:
            connection.execute(statement)

    on_server(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{SERVER_URL}/{name}"
    finally:
        on_server(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        log(f"  dropped database {name}")


def machine_speed() -> dict[str, float | int]:
    """How fast this machine runs plain Python, to read figures from different machines
    side by side: the best of 5 runs of a fixed loop (dict and string work, like a
    request's), in ms. The machines we run on differ by 2-3x."""
    def work() -> float:
        started = time.process_time()
        table: dict[str, int] = {}
        for number in range(300_000):
            key = f"k{number % 1000}"
            table[key] = table.get(key, 0) + number
        return (time.process_time() - started) * 1000

    return {"python_loop_ms": round(min(work() for _ in range(5)), 1),
            "cpus": os.cpu_count() or 0}


def member_id(number: int) -> UUID:
    """The id `register_member("bench", str(number))` gives, so sessions can be opened."""
    return Member.id_for("bench", str(number))


def bench_sessions(services: Any, numbers: Iterable[int]) -> list[dict[str, str]]:
    """Register members 0..n and open a session each, as a sign-in would: the request
    headers (session cookie, CSRF token) a signed-in client sends."""
    from incubator.identity import Identity

    numbers = list(numbers)
    for number in numbers:
        services.app.register_member("bench", str(number))
    services.runner.catch_up()
    identity = Identity(services)
    headers = []
    for number in numbers:
        token = identity.start_session(member_id(number))
        headers.append({"Cookie": f"incubator_session={token}",
                        "X-CSRF-Token": identity.csrf_token(token)})
    return headers


def member_name(number: int) -> str:
    return f"Member {number:05d}"


def insert_member_profiles(writer: Any, count: int) -> list[UUID]:
    """Profiles for members 0..count-1 in one transaction (bench setup, not a command)."""
    from projections.tables import member_profiles

    ids = [member_id(n) for n in range(count)]
    with writer.begin() as conn:
        conn.execute(insert(member_profiles),
                     [{"id": m, "display_name": member_name(n)} for n, m in enumerate(ids)])
    return ids


@dataclass
class Mix:
    """How many events of each kind to write; `votes` counts Cast+Withdrawn+Recast."""

    ideas: int
    votes: int
    comments: int
    members: int
    status_changes: int = 0
    withdraw_share: float = 0.06  # of casts, later withdrawn
    recast_share: float = 0.4  # of withdrawals, later recast
    seed: int = 2026
    total: int | None = None  # if set, `votes` is whatever makes the log this long
    counts: dict[str, int] = field(default_factory=dict)


def write_event_log(app: Any, mix: Mix, chunk_events: int = 2_000) -> int:
    """Write the mix with `app.save(*aggregates)`, a few thousand events per call.

    Categories first, then ideas (some answered with a status), then votes and
    comments interleaved; every event refers only to aggregates written before it,
    as in real use. Votes go by distinct members per idea (the vote id is derived
    from idea+member), ideas are voted with a heavy-tailed popularity, and a share
    of votes is withdrawn and some of those recast. Returns the events written.
    """
    rng = random.Random(mix.seed)
    written = 0
    counts = mix.counts
    pending: list[Any] = []
    pending_events = 0

    def add(aggregate: Any, events: int, kind: str) -> None:
        nonlocal pending_events, written
        pending.append(aggregate)
        pending_events += events
        counts[kind] = counts.get(kind, 0) + events
        if pending_events >= chunk_events:
            flush()

    def flush() -> None:
        nonlocal pending_events, written
        if pending:
            app.save(*pending)
            written += pending_events
            pending.clear()
            pending_events = 0

    categories = [Category(slug, name, f"Everything about {name.lower()}.")
                  for slug, name in CATEGORIES]
    for category in categories:
        add(category, 1, "Category.Created")
    flush()

    members = [member_id(n) for n in range(mix.members)]
    # Ideas: a few categories are much busier than others.
    weights = [1 / (i + 1) for i in range(len(categories))]
    idea_ids: list[UUID] = []
    closed: set[UUID] = set()
    changes_left = mix.status_changes
    for i in range(mix.ideas):
        title = f"{' '.join(rng.sample(WORDS, 4)).capitalize()} #{i}"
        description = " ".join(rng.choices(WORDS, k=rng.randint(10, 60))).capitalize() + "."
        category = rng.choices(categories, weights)[0]
        idea = Proposal.submit(title, description, category.id, rng.choice(members))
        events = 1
        if changes_left and rng.random() < mix.status_changes / mix.ideas * 1.5:
            status = rng.choice(OPEN_STATUSES + CLOSED_STATUSES)
            idea.change_status(status, rng.choice(members[:10]), "Thanks for the idea.")
            events, changes_left = 2, changes_left - 1
            if status in CLOSED_STATUSES:
                closed.add(idea.id)
        add(idea, events, "Proposal")
        idea_ids.append(idea.id)
    flush()

    votable = [i for i in idea_ids if i not in closed]
    # Pareto popularity: a few ideas get hundreds of votes, most a handful.
    popularity = list(itertools.accumulate(rng.paretovariate(1.1) for _ in votable))
    voters: dict[UUID, set[int]] = {}
    if mix.total is not None:
        mix.votes = mix.total - written - mix.comments
    votes_left, comments_left = mix.votes, mix.comments
    comment_every = max(1, round(mix.votes / max(mix.comments, 1)))
    step = 0
    while votes_left > 0 or comments_left > 0:
        step += 1
        if comments_left and (step % comment_every == 0 or votes_left <= 0):
            text = " ".join(rng.choices(WORDS, k=rng.randint(5, 40))).capitalize() + "."
            add(Comment.post(rng.choice(idea_ids), rng.choice(members), text), 1,
                "Comment.Posted")
            comments_left -= 1
            continue
        if votes_left <= 0:
            continue
        idea = rng.choices(votable, cum_weights=popularity)[0]
        taken = voters.setdefault(idea, set())
        if len(taken) >= mix.members:
            continue
        member = rng.randrange(mix.members)
        while member in taken:
            member = rng.randrange(mix.members)
        taken.add(member)
        vote = Vote(idea, members[member])
        events = 1
        if votes_left >= 3 and rng.random() < mix.withdraw_share:
            vote.withdraw()
            events = 2
            if rng.random() < mix.recast_share:
                vote.recast()
                events = 3
        elif votes_left == 2 and rng.random() < mix.withdraw_share:
            vote.withdraw()
            events = 2
        add(vote, events, "Vote")
        counts["Vote.Withdrawn"] = counts.get("Vote.Withdrawn", 0) + (events >= 2)
        counts["Vote.Recast"] = counts.get("Vote.Recast", 0) + (events == 3)
        votes_left -= events
    flush()
    return written
