"""A clustering run: what the theme model suggested, recorded as it was.

The model's output is a suggestion, never a decision: each run is kept whole (model
version, parameters, every assignment, when), so owners' later decisions can say
which suggestion they confirmed or overrode, and any past run can be shown again.
"""

from __future__ import annotations

from typing import Any

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
        `representatives` (ids as strings, so the state stays JSON)."""
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


class InvalidClusteringError(ValueError):
    pass
