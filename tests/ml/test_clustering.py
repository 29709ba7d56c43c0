"""AutoKMeans: k-means that chooses k itself."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.exceptions import SkipTestWarning
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import normalize
from sklearn.utils.estimator_checks import check_estimator

from ml import AutoKMeans
from ml.clustering import _silhouette


def blobs(groups: int, per_group: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Well separated groups on the unit sphere, like LSA rows of texts."""
    rows, labels = make_blobs(groups * per_group, n_features=20, centers=groups,
                              cluster_std=1.0, center_box=(-10, 10), random_state=seed)
    return normalize(rows), labels


def test_it_passes_scikit_learns_estimator_checks() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkipTestWarning)
        results = check_estimator(AutoKMeans(random_state=0), on_fail=None)

    problems = [(r["check_name"], r["status"], r["exception"]) for r in results
                if r["status"] != "passed" and r["check_name"] != "check_array_api_input"]
    assert problems == []


@pytest.mark.parametrize("groups", [3, 6, 12])
def test_it_finds_the_number_of_groups_within_a_tenth(groups: int) -> None:
    rows, labels = blobs(groups)

    model = AutoKMeans(random_state=0).fit(rows)

    assert abs(model.n_clusters_ - groups) <= groups // 10
    assert adjusted_rand_score(labels, model.labels_) > 0.9


def test_granularity_asks_for_coarser_or_finer_clusters() -> None:
    rows, _ = blobs(6)

    counts = [AutoKMeans(granularity=g, random_state=0).fit(rows).n_clusters_
              for g in (0.5, 1.0, 2.0)]

    assert counts == [3, 6, 12]


def test_a_given_number_of_clusters_is_used() -> None:
    rows, _ = blobs(6)

    assert AutoKMeans(n_clusters=4, random_state=0).fit(rows).n_clusters_ == 4


def test_the_choice_is_made_on_a_sample_and_applies_to_all_rows() -> None:
    rows, labels = blobs(5, per_group=400)

    model = AutoKMeans(sample_size=300, random_state=0).fit(rows)

    assert model.n_clusters_ == 5
    assert adjusted_rand_score(labels, model.labels_) > 0.95
    assert (model.predict(rows) == model.labels_).all()


def test_the_fast_silhouette_equals_scikit_learns_when_no_cluster_is_tiny() -> None:
    rows, _ = blobs(4, per_group=10)
    labels = np.random.default_rng(0).integers(0, 5, len(rows))
    assert np.bincount(labels).min() >= 3
    distances = np.linalg.norm(rows[:, None] - rows[None], axis=2)

    assert _silhouette(distances, labels) == pytest.approx(
        silhouette_score(distances, labels, metric="precomputed"), abs=1e-6)
