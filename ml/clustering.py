"""k-means that reads the number of clusters off the data.

Nobody knows how many themes a pile of ideas holds. A fixed distance threshold or
HDBSCAN over-split or drop much of the data as noise on short texts, so instead:

1. build a Ward hierarchy of a random sample (cheap: O(m²) for m ≤ 3,000);
2. score every cut of it on a log-spaced grid of k with the silhouette (Euclidean on
   L2-normalised rows, i.e. cosine) — it climbs steeply while cuts separate real
   groups and flattens once they only split them;
3. take the knee of that curve (Kneedle on log k) as k, times `granularity`;
4. refine on all rows with k-means started from the cut's centroids, which beats
   k-means++ (on CLINC150 val/train: ARI +0.01 to +0.04) and skips its costly init.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

#: Points on the log-spaced grid of k tried (2 .. sample size / 4).
GRID_POINTS = 60
#: Every k whose knee score is this close to the best one is a candidate; k is their
#: geometric middle. On a flat-topped curve the single best point jumps between
#: neighbours from one sample to the next (CLINC150 train: k 166-248 with seeds).
KNEE_TOLERANCE = 0.02
#: Rows in clusters smaller than this score 0, like sklearn's singletons: a pair of
#: near-duplicates is a duplicate, not a theme, and without this rule the curve of a
#: corpus full of duplicates keeps rising with k and has no knee.
MIN_CLUSTER_SIZE = 3


class AutoKMeans(ClusterMixin, BaseEstimator):  # type: ignore[misc]
    """k-means with k chosen at the knee of the silhouette curve of a Ward hierarchy.

    `granularity` multiplies the chosen k: 0.5 for coarser clusters, 2 for finer.
    `n_clusters` skips the choice. `sample_size` bounds the hierarchy's cost.
    """

    def __init__(self, n_clusters: int | None = None, granularity: float = 1.0,
                 sample_size: int = 3000, max_iter: int = 100,
                 random_state: int | np.random.RandomState | None = None) -> None:
        self.n_clusters = n_clusters
        self.granularity = granularity
        self.sample_size = sample_size
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> AutoKMeans:
        """Choose k on a sample, then cluster every row."""
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        rng = check_random_state(self.random_state)
        size = min(len(X), self.sample_size)
        sample = X[np.sort(rng.choice(len(X), size, replace=False))]
        distances = pairwise_distances(sample.astype(np.float64))
        tree = _ward(distances)
        distinct = size - int(np.sum(tree[:, 2] <= 1e-6))
        self.k_grid_, self.silhouettes_ = _silhouette_curve(distances, tree, distinct)
        k = self.n_clusters or round(_knee(self.k_grid_, self.silhouettes_) * self.granularity)
        k = int(np.clip(k, 1, distinct))
        cut = fcluster(tree, k, "maxclust") if k > 1 else np.ones(size, dtype=int)
        centres = _centroids(sample, cut)
        self.kmeans_ = KMeans(len(centres), init=centres, n_init=1, max_iter=self.max_iter,
                              random_state=rng).fit(X)
        self.labels_ = self.kmeans_.labels_
        self.cluster_centers_ = self.kmeans_.cluster_centers_
        self.n_clusters_ = len(centres)
        self.n_iter_ = self.kmeans_.n_iter_
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The nearest cluster centre of each row."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return np.asarray(self.kmeans_.predict(X))


def _ward(distances: np.ndarray) -> np.ndarray:
    """Ward linkage from a square distance matrix: BLAS-computed distances make it
    2x faster than letting scipy compute them from the rows."""
    if len(distances) < 2:
        return np.empty((0, 4))
    return np.asarray(linkage(squareform(distances, checks=False), "ward"))


def _silhouette_curve(distances: np.ndarray, tree: np.ndarray,
                      distinct: int) -> tuple[np.ndarray, np.ndarray]:
    """Silhouettes of the hierarchy's cuts at k = 2 .. sample size / 4 (log grid)."""
    high = min(len(distances) // 4, distinct - 1)
    if high < 2:
        return np.array([1]), np.array([0.0])
    grid = np.unique(np.geomspace(2, high, GRID_POINTS).astype(int))
    scores = [_silhouette(distances, fcluster(tree, k, "maxclust")) for k in grid]
    return grid, np.array(scores)


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """sklearn's silhouette_score(metric="precomputed"), but 0 for rows of clusters
    under MIN_CLUSTER_SIZE, and 20x faster: the per-cluster distance sums come from one
    sparse product instead of a loop over clusters."""
    _, cluster = np.unique(labels, return_inverse=True)
    n = len(labels)
    members = sp.csr_matrix((np.ones(n, distances.dtype), (np.arange(n), cluster)))
    sizes = np.bincount(cluster).astype(float)
    sums = np.asarray((members.T @ distances).T)
    own = sums[np.arange(n), cluster]
    within = own / np.maximum(sizes[cluster] - 1, 1)
    means = sums / sizes
    means[np.arange(n), cluster] = np.inf
    nearest = means.min(axis=1)
    score = (nearest - within) / np.maximum(np.maximum(within, nearest), 1e-12)
    score[sizes[cluster] < MIN_CLUSTER_SIZE] = 0.0
    return float(score.mean())


def _knee(grid: np.ndarray, scores: np.ndarray) -> int:
    """Kneedle: the k farthest above the chord of the curve, with log k and the
    silhouette both scaled to [0, 1] (the middle of the near-best ones)."""
    if len(grid) < 3 or np.ptp(scores) == 0:
        return int(grid[np.argmax(scores)])
    x = np.log(grid)
    x = (x - x[0]) / (x[-1] - x[0])
    y = (scores - scores.min()) / np.ptp(scores)
    height = y - x
    near = grid[height >= height.max() - KNEE_TOLERANCE]
    return round(float(np.exp(np.log(near).mean())))


def _centroids(rows: np.ndarray, labels: np.ndarray) -> np.ndarray:
    _, cluster = np.unique(labels, return_inverse=True)
    sums = np.zeros((cluster.max() + 1, rows.shape[1]), dtype=rows.dtype)
    np.add.at(sums, cluster, rows)
    counts = np.bincount(cluster).astype(rows.dtype)
    return np.asarray(sums / counts[:, None])
