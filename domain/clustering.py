"""A clustering run: what the theme model suggested, recorded as it was.

The model's output is a suggestion, never a decision: each run is kept whole (model
version, parameters, every assignment, when), so owners' later decisions can say
which suggestion they confirmed or overrode, and any past run can be shown again.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event


class ClusteringRun(Aggregate):
    class Completed(Aggregate.Created):
        model_version: str
        parameters: dict[str, Any]
        themes: list[dict[str, Any]]

    @event(Completed)
    def __init__(
        self, model_version: str, parameters: dict[str, Any], themes: list[dict[str, Any]]
    ) -> None:
        """`themes`: one dict per theme with `theme_id` (kept across runs for the
        theme a cluster continues), `label`, `terms`, `proposal_ids` and
        `representatives` (ids as strings, so the state stays JSON), and since
        comments that propose something are clustered too, `comment_ids` (absent
        from earlier runs)."""
        self.model_version = model_version
        self.parameters = parameters
        self.themes = themes

    @classmethod
    def record(
        cls, model_version: str, parameters: dict[str, Any], themes: list[dict[str, Any]]
    ) -> ClusteringRun:
        cls.check_themes(themes)
        return cls(model_version, parameters, themes)

    @staticmethod
    def check_themes(themes: list[dict[str, Any]]) -> None:
        seen: set[str] = set()
        if len({theme["theme_id"] for theme in themes}) != len(themes):
            raise InvalidClusteringError("Each theme of a run has its own id.")
        for theme in themes:
            members = set(theme["proposal_ids"])
            if not members:
                raise InvalidClusteringError("A theme needs at least one idea.")
            if members & seen:
                raise InvalidClusteringError("An idea belongs to one theme per run.")
            seen |= members



class ThemeAssignment(Aggregate):
    """The latest run's model placing one idea that arrived after the run: into the
    theme with the nearest centre, or into none ("new") when none is close enough.

    A suggestion like the run itself, made by the system, never by a person: the read
    model shows it until the next run, and every human decision about the idea wins
    over it. One per (run, idea): the id is derived from both, so suggesting twice
    (a retried job, two processes) records it once."""

    class Suggested(Aggregate.Created):
        run_id: UUID
        proposal_id: UUID
        theme_id: UUID | None
        similarity: float
        model_version: str

    @event(Suggested)
    def __init__(self, run_id: UUID, proposal_id: UUID, theme_id: UUID | None,
                 similarity: float, model_version: str) -> None:
        self.run_id, self.proposal_id, self.theme_id = run_id, proposal_id, theme_id

    @staticmethod
    def create_id(run_id: UUID, proposal_id: UUID, **_: Any) -> UUID:
        return uuid5(run_id, str(proposal_id))


GRANULARITY_RANGE = (0.25, 4.0)


class ClusteringRequest(Aggregate):
    """An owner asking for a full re-run now (coarser, finer or as before). The theme
    job, in whichever process holds its lease, reads these from the event log."""

    class Requested(Aggregate.Created):
        requested_by: UUID
        granularity: float

    @event(Requested)
    def __init__(self, requested_by: UUID, granularity: float) -> None:
        self.requested_by, self.granularity = requested_by, granularity

    @classmethod
    def request(cls, requested_by: UUID, granularity: float) -> ClusteringRequest:
        low, high = GRANULARITY_RANGE
        if not low <= granularity <= high:
            raise InvalidClusteringError(
                f"Granularity goes from {low} (coarser) to {high} (finer).")
        return cls(requested_by, granularity)


class InvalidClusteringError(ValueError):
    pass
