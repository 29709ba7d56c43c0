"""Group commit: commands saving at the same moment share one transaction, and a
command that loses a race in a shared transaction fails alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import IntegrityError

from domain.vote import Vote
from incubator.bootstrap import Services
from incubator.group_commit import GroupCommit
from tests.helpers import category, event_names, settle, submit


class CountingApp:
    """The app, counting the transactions that reach its event store; the first
    save is held until `release` is set, so that others queue up behind it."""

    def __init__(self, services: Services) -> None:
        self.app, self.transactions = services.app, 0
        self.release = threading.Event()

    def save(self, *events: Any) -> Any:
        self.transactions += 1
        if self.transactions == 1:
            assert self.release.wait(5)
        return self.app.save(*events)


def save_at_once(group: GroupCommit, commands: list[Callable[[], list[Any]]],
                 app: CountingApp) -> list[Any]:
    with ThreadPoolExecutor(len(commands)) as pool:
        first = pool.submit(group.save, commands[0]())
        time.sleep(0.05)  # the first save is in progress: the rest queue behind it
        rest = [pool.submit(group.save, command()) for command in commands[1:]]
        time.sleep(0.1)
        app.release.set()
        futures = [first, *rest]
        return [f.exception() or f.result() for f in futures]


def test_queued_votes_are_saved_in_one_transaction(services: Services) -> None:
    idea_id = submit(services, category(services))
    app = CountingApp(services)
    group = GroupCommit(app)  # type: ignore[arg-type]
    commands = [lambda: Vote(idea_id, uuid4()).collect_events() for _ in range(6)]

    outcomes = save_at_once(group, commands, app)

    assert app.transactions == 2  # the first alone, then the five that queued, together
    positions = [recordings[-1].notification.id for recordings in outcomes]
    assert len(set(positions)) == 6
    settle(services)
    detail = services.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 6


def test_a_conflict_in_a_shared_transaction_fails_only_its_command(services: Services) -> None:
    idea_id, member_id = submit(services, category(services)), uuid4()
    services.app.cast_vote(idea_id, member_id)
    app = CountingApp(services)
    group = GroupCommit(app)  # type: ignore[arg-type]
    duplicate = lambda: Vote(idea_id, member_id).collect_events()  # noqa: E731
    fresh = lambda: Vote(idea_id, uuid4()).collect_events()  # noqa: E731

    outcomes = save_at_once(group, [fresh, fresh, duplicate, fresh], app)

    assert isinstance(outcomes[2], IntegrityError)
    assert not any(isinstance(o, Exception) for i, o in enumerate(outcomes) if i != 2)
    settle(services)
    assert event_names(services).count("Vote.Cast") == 4
    detail = services.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 4


def test_commands_in_a_burst_each_get_their_own_position(services: Services) -> None:
    idea_id = submit(services, category(services))
    members = [uuid4() for _ in range(40)]
    with ThreadPoolExecutor(8) as pool:
        written = list(pool.map(lambda m: services.app.cast_vote(idea_id, m), members))

    log = services.app.recorder.select_notifications(start=1, limit=1_000)
    by_position = {n.id: n.originator_id for n in log}
    assert all(by_position[w.position] == w.id for w in written)
