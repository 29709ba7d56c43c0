"""A clustering run records the model's suggestion whole; it must be a partition."""

from __future__ import annotations

import pytest

from domain.clustering import ClusteringRun, InvalidClusteringError


def theme(*ids: str) -> dict[str, object]:
    return {"theme_id": f"theme-of-{'-'.join(ids)}", "label": "x", "terms": ["x"],
            "proposal_ids": list(ids), "representatives": []}


def test_a_run_keeps_its_model_version_parameters_and_themes() -> None:
    run = ClusteringRun.record("v1", {"granularity": 1.0}, [theme("a", "b"), theme("c")])
    (completed,) = run.collect_events()
    assert isinstance(completed, ClusteringRun.Completed)
    assert completed.model_version == "v1" and completed.parameters == {"granularity": 1.0}
    assert [t["proposal_ids"] for t in completed.themes] == [["a", "b"], ["c"]]


def test_an_idea_belongs_to_one_theme_per_run() -> None:
    with pytest.raises(InvalidClusteringError, match="one theme"):
        ClusteringRun.record("v1", {}, [theme("a", "b"), theme("b")])


def test_a_theme_has_ideas() -> None:
    with pytest.raises(InvalidClusteringError, match="at least one"):
        ClusteringRun.record("v1", {}, [theme()])


def test_each_theme_of_a_run_has_its_own_id() -> None:
    twin = {**theme("a"), "theme_id": "same"}
    other = {**theme("b"), "theme_id": "same"}
    with pytest.raises(InvalidClusteringError, match="its own id"):
        ClusteringRun.record("v1", {}, [twin, other])
