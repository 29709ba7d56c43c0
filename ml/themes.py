"""Themes: group suggestions without being told how many groups there are.

Text -> word + char TF-IDF -> LSA (TruncatedSVD, L2 again) -> AutoKMeans. LSA 200
clusters better than sparse TF-IDF (CLINC150, k given: V 0.78 vs 0.76, ARI 0.45 vs
0.27) and makes k-means 5-20x faster. Labels are read from the sparse word columns,
which stay readable, not from the LSA space.

`backend="semantic"` clusters sentence embeddings (`ml/embeddings.py`, the optional
`semantic` extra) instead of LSA; the labels still come from the word columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Normalizer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ml.clustering import AutoKMeans
from ml.embeddings import SentenceEncoder
from ml.features import WordMinDf, text_features, word_columns

#: Told the stage a fit starts and how far along it is (0..1).
Progress = Callable[[str, float], None]


class ThemeFinder(ClusterMixin, BaseEstimator):  # type: ignore[misc]
    """Finds themes in short texts; each gets a label, its top terms and the texts
    closest to its centre.

    `granularity` > 1 asks for finer themes, < 1 for coarser ones; `n_themes` fixes
    the number instead. Learned: `labels_`, `n_themes_`, `theme_terms_`,
    `theme_labels_`, `representatives_` (indices into the fitted texts), `sizes_`.
    """

    def __init__(self, granularity: float = 1.0, n_themes: int | None = None,
                 n_components: int = 200, sample_size: int = 3000, n_terms: int = 5,
                 n_representatives: int = 3, word_weight: float = 0.5,
                 char_ngram_range: tuple[int, int] = (2, 3),
                 word_min_df: WordMinDf = "auto", random_state: int | None = 0,
                 backend: str = "tfidf") -> None:
        self.granularity = granularity
        self.n_themes = n_themes
        self.n_components = n_components
        self.sample_size = sample_size
        self.n_terms = n_terms
        self.n_representatives = n_representatives
        self.word_weight = word_weight
        self.char_ngram_range = char_ngram_range
        self.word_min_df = word_min_df
        self.random_state = random_state
        self.backend = backend

    def fit(self, texts: Sequence[str], y: Any = None,
            progress: Progress | None = None) -> ThemeFinder:
        """Embed, cluster with a data-chosen number of themes, then describe each.

        `progress(stage, fraction)` is told each step as it starts (for a progress bar).
        One BLAS thread: as fast on 2 cores (the SVD is mostly sparse products), and it
        leaves the other core to the web app this runs beside.
        """
        with threadpool_limits(1, user_api="blas"):
            return self._fit(list(texts), progress or (lambda stage, fraction: None))

    def _fit(self, texts: list[str], progress: Progress) -> ThemeFinder:
        progress("Reading the words of every text", 0.0)
        features = text_features(len(texts), self.word_weight, self.char_ngram_range,
                                 self.word_min_df)
        sparse = features.fit_transform(texts)
        if self.backend == "semantic":
            progress("Embedding every text (sentence model)", 0.15)
            encoder = SentenceEncoder()
            dense = encoder.encode(texts)
            self.embedding_: Pipeline | SentenceEncoder = encoder
        elif self.backend == "tfidf":
            progress("Reducing to 200 dimensions (LSA)", 0.15)
            dims = max(1, min(self.n_components, sparse.shape[0] - 1, sparse.shape[1] - 1))
            lsa = Pipeline([("svd", TruncatedSVD(dims, random_state=self.random_state)),
                            ("l2", Normalizer(copy=False))])
            with np.errstate(divide="ignore", invalid="ignore"):  # explained variance of 1 text
                dense = lsa.fit_transform(sparse)
            self.embedding_ = Pipeline([("features", features), ("lsa", lsa)])
        else:
            raise ValueError(f"unknown backend {self.backend!r}: choose tfidf or semantic")
        progress("Choosing the number of themes and grouping", 0.4)
        self.clusterer_ = AutoKMeans(self.n_themes, self.granularity, self.sample_size,
                                     random_state=self.random_state).fit(dense)
        self.labels_ = self.clusterer_.labels_
        self.n_themes_ = self.clusterer_.n_clusters_
        self.sizes_ = np.bincount(self.labels_, minlength=self.n_themes_)
        progress("Labelling the themes", 0.9)
        self.theme_terms_ = _distinctive_terms(features, sparse, self.labels_,
                                               self.n_themes_, self.n_terms)
        self.theme_labels_ = [", ".join(terms[:3]) or "(no words)" for terms in self.theme_terms_]
        self.representatives_ = _closest(dense, self.clusterer_.cluster_centers_,
                                          self.labels_, self.n_representatives)
        return self

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The nearest theme of each new text."""
        return np.asarray(self.clusterer_.predict(self.transform(texts)))

    def nearest(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each new text's nearest theme and the cosine of the theme's centre with the
        text's LSA projection, not normalised again: a text of words the themes never
        used keeps a short vector and scores low (see ml/nearest.py). With sentence
        embeddings, the cosine of the text's embedding."""
        check_is_fitted(self)
        if isinstance(self.embedding_, Pipeline):
            features = self.embedding_.named_steps["features"]
            lsa = self.embedding_.named_steps["lsa"]
            projected = lsa.named_steps["svd"].transform(features.transform(list(texts)))
        else:
            projected = self.embedding_.encode(list(texts))
        centres = self.clusterer_.cluster_centers_
        centres = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
        scores = np.asarray(projected @ centres.T)
        best = scores.argmax(axis=1)
        return best, scores[np.arange(len(best)), best]

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Texts in the space the themes live in, LSA or embeddings (rows of unit length)."""
        check_is_fitted(self)
        if isinstance(self.embedding_, Pipeline):
            return np.asarray(self.embedding_.transform(list(texts)))
        return self.embedding_.encode(list(texts))


def _distinctive_terms(features: Pipeline, sparse: sp.csr_matrix, labels: np.ndarray,
                       n_themes: int, n_terms: int) -> list[list[str]]:
    """c-TF-IDF (as in BERTopic): a term's share of the theme's word weight, times
    log(1 + average theme weight / the term's weight over all themes). Terms starting
    or ending with a stop word, and terms adding no word to better ones, are skipped."""
    width, names = word_columns(features)
    members = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                            shape=(n_themes, len(labels)))
    per_theme = sp.csr_matrix(members @ sparse[:, :width])
    totals = np.asarray(per_theme.sum(axis=0)).ravel()
    idf = np.log1p(totals.sum() / n_themes / np.maximum(totals, 1e-12))
    idf[[_reads_badly(name) for name in names]] = 0.0
    theme_totals = np.maximum(np.asarray(per_theme.sum(axis=1)).ravel(), 1e-12)
    scores = sp.csr_matrix(sp.diags(1 / theme_totals) @ per_theme @ sp.diags(idf))
    return [_pick(names[row.indices], row.data, n_terms) for row in scores]


def _reads_badly(term: str) -> bool:
    """Stop words alone or at either end ("my credit", "how much", "what's") make poor
    labels."""
    words = [word.split("'")[0].split("’")[0] for word in term.split()]
    return words[0] in ENGLISH_STOP_WORDS or words[-1] in ENGLISH_STOP_WORDS


def _pick(names: np.ndarray, scores: np.ndarray, n_terms: int) -> list[str]:
    """The best terms; one whose words are all picked already is skipped, one that
    extends a picked term ("credit" -> "credit score") replaces it."""
    chosen: list[str] = []
    covered: set[str] = set()
    for column in np.argsort(-scores):
        if scores[column] <= 0 or len(chosen) == n_terms:
            break
        words = set(names[column].split())
        if words <= covered:
            continue
        extended = [i for i, term in enumerate(chosen) if set(term.split()) < words]
        if extended:
            chosen[extended[0]] = str(names[column])
        else:
            chosen.append(str(names[column]))
        covered |= words
    return chosen


def _closest(dense: np.ndarray, centres: np.ndarray, labels: np.ndarray,
             n: int) -> list[list[int]]:
    """For each theme, the indices of its `n` members nearest its centre."""
    distance = np.linalg.norm(dense - centres[labels], axis=1)
    order = np.lexsort((distance, labels))
    starts = np.searchsorted(labels[order], np.arange(len(centres)))
    return [order[start:start + n][labels[order[start:start + n]] == theme].tolist()
            for theme, start in enumerate(starts)]
