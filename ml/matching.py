"""Themes that survive re-runs: a new run's clusters are matched to the previous
run's themes by how many members they share, so labels, confirmations and links
stay with the theme instead of shuffling with the cluster numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

Old = TypeVar("Old", bound=Hashable)
New = TypeVar("New", bound=Hashable)


def match_themes(previous: Mapping[Hashable, Old], current: Mapping[Hashable, New],
                 min_jaccard: float = 0.3) -> dict[New, Old]:
    """For each cluster of `current` (item -> cluster), the theme of `previous`
    (item -> theme) it continues: a one-to-one assignment maximising the total Jaccard
    overlap of members (Hungarian method). A cluster sharing less than `min_jaccard`
    with its best partner is a new theme; a theme left without a cluster has ended.
    When a theme splits, the bigger part keeps it."""
    old = sorted(set(previous.values()), key=str)
    new = sorted(set(current.values()), key=str)
    if not old or not new:
        return {}
    old_row = {theme: i for i, theme in enumerate(old)}
    new_row = {theme: i for i, theme in enumerate(new)}
    shared = np.zeros((len(new), len(old)))
    for item, cluster in current.items():
        if item in previous:
            shared[new_row[cluster], old_row[previous[item]]] += 1
    new_sizes = Counter(current.values())
    old_sizes = Counter(previous.values())
    union = (np.array([new_sizes[c] for c in new])[:, None]
             + np.array([old_sizes[t] for t in old])[None, :] - shared)
    jaccard = shared / union
    rows, columns = linear_sum_assignment(jaccard, maximize=True)
    return {new[r]: old[c] for r, c in zip(rows, columns, strict=True)
            if jaccard[r, c] >= min_jaccard}
