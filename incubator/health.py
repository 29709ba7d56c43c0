"""Readiness: can this process serve pages that are up to date?

Ready means the database answers and every projection's tracking position is
within `max_lag` events of the event log's head. Positions are read from the
database, not from this process's runner, so the check also holds when the
projections run in another process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incubator.bootstrap import Services


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProjectionState:
    name: str
    position: int
    head: int
    # A new version is being built: the live tables serve as they were until the swap.
    rebuilding: bool = False

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)


@dataclass(frozen=True)
class Readiness:
    problems: tuple[str, ...] = ()
    projections: tuple[ProjectionState, ...] = field(default=())

    @property
    def ready(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "status": "ready" if self.ready else "not ready",
            "problems": list(self.problems),
            "projections": {p.name: {"position": p.position, "head": p.head, "lag": p.lag,
                                     **({"rebuilding": True} if p.rebuilding else {})}
                            for p in self.projections},
        }


def projection_states(services: Services) -> tuple[ProjectionState, ...]:
    """Where each projection is against the log's head (raises if the database fails)."""
    head = services.app.recorder.max_notification_id() or 0
    name = services.runner.projection.name
    rebuilding = services.upgrade is not None and services.upgrade.in_progress()
    return (ProjectionState(name, services.read_model.position(name), head, rebuilding),)


def check_readiness(services: Services, max_lag: int) -> Readiness:
    try:
        states = projection_states(services)
    except Exception as error:  # any failure to read means "not ready", never a 500
        log.warning("Readiness: the database did not answer: %s", error)
        return Readiness(problems=(f"database unreachable: {type(error).__name__}",))
    # While a new version builds, the old tables serve on purpose: that is no reason
    # to take the process out of rotation.
    problems = [f"projection {s.name} is {s.lag} events behind (bound {max_lag})"
                for s in states if s.lag > max_lag and not s.rebuilding]
    name = services.runner.projection.name
    if services.runner.error is not None:
        problems.append(f"projection {name} stopped: {type(services.runner.error).__name__}")
    if services.upgrade is not None and services.upgrade.error is not None:
        problems.append(f"projection {name} upgrade stopped: "
                        f"{type(services.upgrade.error).__name__}")
    return Readiness(tuple(problems), states)
