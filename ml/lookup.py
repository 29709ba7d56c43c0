"""Similar ideas while typing: the k nearest existing ideas by cosine on sparse TF-IDF.

Exact search on the sparse matrix is fast enough at our scale (p95 of a few ms at
100,000 ideas), so no approximate index is needed; LSA would lose precision on
fine-grained topics. The index is stored transposed (one row per feature), so a
query only touches the postings of its own n-grams.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from typing import Self

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import ThreadpoolController

from ml.features import OneText, WordMinDf, text_features

Match = tuple[Hashable, float]

#: Added rows are folded into the transposed index once there are this many.
MERGE_EVERY = 1024


class _Lookup(BaseEstimator):  # type: ignore[misc]
    """What both lookups share: fitted ideas `ids_`, `alive_` (False once removed),
    `row_of_` (idea -> row) and the `new_below` threshold."""

    ids_: list[Hashable]
    alive_: np.ndarray
    row_of_: dict[Hashable, int]
    new_below: float

    def remove(self, idea: Hashable) -> Self:
        """Stop finding an idea (merged, withdrawn); unknown ids are ignored."""
        check_is_fitted(self)
        row = self.row_of_.pop(idea, None)
        if row is not None:
            self.alive_[row] = False
        return self

    def looks_new(self, matches: Sequence[Match]) -> bool:
        """Whether the best of `query`'s matches is too weak to call it a duplicate."""
        return not matches or matches[0][1] < self.new_below

    def __len__(self) -> int:
        check_is_fitted(self)
        return int(self.alive_.sum())

    def _best(self, scores: np.ndarray, k: int) -> list[Match]:
        """The `k` best rows by score, best first, leaving out scores of 0 or less."""
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids_[row], float(scores[row])) for row in top if scores[row] > 0]


class SimilarIdeas(_Lookup):
    """Finds the ideas most similar to a text; ideas can be added and removed one by
    one without refitting the vocabulary.

    `new_below`: a best match scoring less than this means "looks new". 0.5 has the
    best Youden's J on CLINC150 val + oos_val queries against a train corpus: 86% of
    the new queries are called new, 17% of the known ones (AUROC 0.92). Raise it to
    call more ideas new; the matches are worth showing either way.

    New ideas are vectorised with the fitted vocabulary: words first seen after `fit`
    only match through their character n-grams until the next full refit.
    """

    def __init__(self, word_weight: float = 0.5, char_ngram_range: tuple[int, int] = (2, 3),
                 word_min_df: WordMinDf = "auto", new_below: float = 0.5) -> None:
        self.word_weight = word_weight
        self.char_ngram_range = char_ngram_range
        self.word_min_df = word_min_df
        self.new_below = new_below

    def fit(self, texts: Sequence[str], ids: Sequence[Hashable] | None = None) -> SimilarIdeas:
        """Learn the vocabulary and index `texts` under `ids` (default 0..n-1)."""
        texts = list(texts)
        ids = list(range(len(texts)) if ids is None else ids)
        if not texts:
            raise ValueError("no ideas to learn a vocabulary from; until there is one, "
                             "every idea looks new")
        if len(ids) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(ids)} ids")
        if len(set(ids)) != len(ids):
            raise ValueError("ids must be unique")
        self.features_: Pipeline = text_features(
            len(texts), self.word_weight, self.char_ngram_range, self.word_min_df)
        rows = sp.csr_matrix(self.features_.fit_transform(texts), dtype=np.float32)
        self.one_text_ = OneText(self.features_)
        self.ids_: list[Hashable] = ids
        self.row_of_: dict[Hashable, int] = {idea: row for row, idea in enumerate(ids)}
        self.alive_ = np.ones(len(ids), dtype=bool)
        self.index_ = rows.T.tocsr()
        self.pending_: sp.csr_matrix | None = None
        self.fitted_on_ = len(texts)
        return self

    def add(self, text: str, idea: Hashable) -> SimilarIdeas:
        """Make one idea searchable at once; an id added again replaces its text."""
        check_is_fitted(self)
        if idea in self.row_of_:
            self.remove(idea)
        row = self.one_text_(text)
        self.pending_ = row if self.pending_ is None else sp.vstack([self.pending_, row], "csr")
        self.row_of_[idea] = len(self.ids_)
        self.ids_.append(idea)
        self.alive_ = np.append(self.alive_, True)
        if self.pending_.shape[0] >= MERGE_EVERY:
            self._merge()
        return self

    def query(self, text: str, k: int = 5) -> list[Match]:
        """The `k` ideas most similar to `text`, best first, as (id, cosine); ideas
        sharing nothing with the text (cosine 0) are left out."""
        check_is_fitted(self)
        return self._best(self._scores(self.one_text_(text)), k)

    def _scores(self, vector: sp.csr_matrix) -> np.ndarray:
        """Cosine of one vectorised text with every idea, removed ones set to -1."""
        out = np.empty(len(self.ids_), dtype=np.float32)
        indexed = self.index_.shape[1]
        # Only the postings of the text's own n-grams: ~4x faster than vector @ index_.
        out[:indexed] = self.index_[vector.indices].T @ vector.data
        if self.pending_ is not None:
            out[indexed:] = (self.pending_ @ vector.T).toarray().ravel()
        out[~self.alive_] = -1.0
        return out

    def needs_refit(self) -> bool:
        """Whether as many ideas were added since `fit` as it saw: words new to the
        vocabulary only match through their characters, so a refit is due (cheap
        while the box is small: the first ideas refit after 1, 2, 4, 8... more)."""
        check_is_fitted(self)
        return len(self.ids_) >= 2 * self.fitted_on_

    def looks_new(self, matches: Sequence[Match]) -> bool:
        """Whether the best of `query`'s matches is too weak to call it a duplicate."""
        return not matches or matches[0][1] < self.new_below

    def __len__(self) -> int:
        check_is_fitted(self)
        return int(self.alive_.sum())

    def _merge(self) -> None:
        """Fold pending rows into the transposed index: O(index size), so done only
        once every MERGE_EVERY additions."""
        rows = sp.vstack([self.index_.T, self.pending_], format="csr")
        self.index_ = rows.T.tocsr()
        self.pending_ = None


class SemanticSimilarIdeas(_Lookup):
    """`SimilarIdeas` on sentence embeddings (the optional `semantic` backend): the same
    methods, cosine of all-MiniLM-L6-v2 vectors instead of TF-IDF.

    There is no vocabulary, so ideas are added at full strength and a refit is never
    due. `new_below` 0.65 has the best Youden's J on CLINC150 val + oos_val queries
    against train, chosen as the TF-IDF threshold was: 97% of the new queries are
    called new, 15% of the known ones (AUROC 0.97). Each query encodes its text (a
    few ms of CPU) and scores it against a dense matrix.
    """

    def __init__(self, new_below: float = 0.65, threads: int = 1) -> None:
        self.new_below = new_below
        self.threads = threads

    def fit(self, texts: Sequence[str], ids: Sequence[Hashable] | None = None
            ) -> SemanticSimilarIdeas:
        """Encode and index `texts` under `ids` (default 0..n-1)."""
        from ml.embeddings import SentenceEncoder

        texts = list(texts)
        ids = list(range(len(texts)) if ids is None else ids)
        if len(ids) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(ids)} ids")
        if len(set(ids)) != len(ids):
            raise ValueError("ids must be unique")
        self.encoder_ = SentenceEncoder(self.threads)
        self.rows_ = self.encoder_.encode(texts)
        self.ids_: list[Hashable] = ids
        self.row_of_: dict[Hashable, int] = {idea: row for row, idea in enumerate(ids)}
        self.alive_ = np.ones(len(ids), dtype=bool)
        return self

    def add(self, text: str, idea: Hashable) -> SemanticSimilarIdeas:
        """Make one idea searchable at once; an id added again replaces its text."""
        check_is_fitted(self)
        if idea in self.row_of_:
            self.remove(idea)
        row = self.encoder_.encode([text])
        if len(self.ids_) == len(self.rows_):  # room for as many again: amortised O(1)
            grown = np.empty((max(16, 2 * len(self.rows_)), self.rows_.shape[1]), np.float32)
            grown[:len(self.rows_)] = self.rows_
            self.rows_ = grown
        self.rows_[len(self.ids_)] = row[0]
        self.row_of_[idea] = len(self.ids_)
        self.ids_.append(idea)
        self.alive_ = np.append(self.alive_, True)
        return self

    def query(self, text: str, k: int = 5) -> list[Match]:
        """The `k` ideas most similar to `text`, best first, as (id, cosine); ideas with
        a cosine of 0 or less are left out."""
        check_is_fitted(self)
        vector = self.encoder_.encode([text])[0]
        # One BLAS thread: a second one spins for most of this small product (CPU
        # p50 19 ms vs 8 ms per query at 10,000 ideas) and takes the other core.
        with _blas().limit(limits=1, user_api="blas"):
            scores = self.rows_[:len(self.ids_)] @ vector
        scores[~self.alive_] = -1.0
        return self._best(scores, k)

    def needs_refit(self) -> bool:
        """Never: there is no vocabulary to grow out of."""
        check_is_fitted(self)
        return False


@functools.cache
def _blas() -> ThreadpoolController:
    """Found once: looking the BLAS libraries up costs ~2 ms, as much as a query."""
    return ThreadpoolController()


#: The text representations a lookup or a theme run can use.
BACKENDS = ("tfidf", "semantic")


def similar_ideas(backend: str = "tfidf") -> SimilarIdeas | SemanticSimilarIdeas:
    """An unfitted lookup on `backend`: "tfidf" (the default) or "semantic" (needs the
    `semantic` extra; `ml.embeddings.missing()` says whether it is there)."""
    if backend == "tfidf":
        return SimilarIdeas()
    if backend == "semantic":
        return SemanticSimilarIdeas()
    raise ValueError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
