"""`incubator ml evaluate`: how well the default models do on a labelled CSV.

Themes: the default ThemeFinder clusters the corpus WITHOUT being told the number of
labels; scored by V-measure and ARI against the labels (V-measure alone flatters
over-splitting, hence ARI and the cluster count).

Lookup (with query files): each query asks SimilarIdeas, fitted on the corpus, for its
5 nearest ideas. `p_at_5` and `hit_at_1` count a neighbour as right when it has the
query's label, over the queries not labelled `oos`; `new_idea_auroc` is how well the
best similarity separates the `oos` queries (genuinely new ideas) from the rest.
Several query files are read as one (e.g. test.csv and oos_test.csv of CLINC150).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
from sklearn.metrics import adjusted_rand_score, roc_auc_score, v_measure_score

from ml import ThemeFinder
from ml.lookup import similar_ideas

NEW_IDEA_LABEL = "oos"
K = 5

Report = dict[str, int | float]


def evaluate(corpus: Path, text_column: str = "text", label_column: str = "label",
             queries: Sequence[Path] = (), backend: str = "tfidf") -> Report:
    """The JSON report: themes on the corpus, and the lookup when queries are given,
    both on `backend` ("tfidf" or "semantic")."""
    texts, labels = read_labelled(corpus, text_column, label_column)
    report = themes_report(texts, labels, backend)
    if queries:
        query_texts: list[str] = []
        query_labels: list[str] = []
        for path in queries:
            more_texts, more_labels = read_labelled(path, text_column, label_column)
            query_texts += more_texts
            query_labels += more_labels
        report |= lookup_report(texts, labels, query_texts, query_labels, backend)
    return report


def read_labelled(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for column in (text_column, label_column):
        if rows and column not in rows[0]:
            raise ValueError(f"{path} has no column {column!r}")
    return [row[text_column] for row in rows], [row[label_column] for row in rows]


def themes_report(texts: list[str], labels: list[str], backend: str = "tfidf") -> Report:
    started = time.perf_counter()
    themes = ThemeFinder(backend=backend).fit(texts)
    seconds = time.perf_counter() - started
    return {
        "n": len(texts),
        "n_labels": len(set(labels)),
        "n_clusters": int(themes.n_themes_),
        "v_measure": round(float(v_measure_score(labels, themes.labels_)), 4),
        "ari": round(float(adjusted_rand_score(labels, themes.labels_)), 4),
        "seconds": round(seconds, 2),
    }


def lookup_report(corpus: list[str], corpus_labels: list[str], queries: list[str],
                  query_labels: list[str], backend: str = "tfidf") -> Report:
    index = similar_ideas(backend).fit(corpus)
    right, best = [], []
    for text, label in zip(queries, query_labels, strict=True):
        matches = index.query(text, k=K)
        right.append([corpus_labels[cast(int, idea)] == label for idea, _ in matches])
        best.append(matches[0][1] if matches else 0.0)
    known = np.array([label != NEW_IDEA_LABEL for label in query_labels])
    in_scope = [hits for hits, keep in zip(right, known, strict=True) if keep]
    report: Report = {}
    if in_scope:
        report["p_at_5"] = round(float(np.mean([sum(hits) / K for hits in in_scope])), 4)
        report["hit_at_1"] = round(float(np.mean([bool(hits) and hits[0]
                                                   for hits in in_scope])), 4)
    if 0 < known.sum() < len(known):
        report["new_idea_auroc"] = round(float(roc_auc_score(known, best)), 4)
    return report
