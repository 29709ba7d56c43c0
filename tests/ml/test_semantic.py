"""The optional semantic backend (`pip install -e '.[semantic]'`): sentence embeddings
for the lookup and the themes. Skipped, saying why, only where the extra is not
installed; the choice of backend and the fallback are tested without it
(tests/incubator/test_ml_backend.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from ml import ThemeFinder
from ml.embeddings import MODEL_SHA256, SentenceEncoder, _check, missing
from ml.lookup import SemanticSimilarIdeas, similar_ideas
from tests.ml.corpus import LABELS, TEXTS

installed = pytest.mark.skipif(missing() is not None,
                               reason=f"the semantic extra is not installed: {missing()}")


@installed
def test_texts_become_unit_vectors_and_paraphrases_lie_close() -> None:
    rows = SentenceEncoder().encode(["Keep the service desk open until 6pm",
                                     "Extend the helpdesk hours into the evening",
                                     "The printer on the third floor jams every day"])

    assert rows.shape == (3, 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-5)
    # Two wordings of one idea share almost no words, yet lie closer than another idea.
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.2
    assert SentenceEncoder().encode([]).shape == (0, 384)


@installed
def test_a_text_encodes_the_same_alone_or_in_a_batch_of_longer_texts() -> None:
    text = "VPN drops during calls"
    alone = SentenceEncoder().encode([text])[0]
    batched = SentenceEncoder().encode([text, " ".join(TEXTS[:20])])[0]

    assert alone @ batched > 0.9999


@installed
def test_the_lookup_finds_a_rewording_and_calls_unrelated_text_new() -> None:
    index = similar_ideas("semantic").fit(TEXTS, ids=[f"idea-{i}" for i in range(len(TEXTS))])
    assert isinstance(index, SemanticSimilarIdeas)

    matches = index.query("my VPN keeps cutting out when I am at home", k=5)
    assert LABELS[int(str(matches[0][0]).split("-")[1])] == "vpn"
    assert not index.looks_new(matches)
    assert index.looks_new(index.query("recipe for a lemon drizzle cake", k=5))
    assert not index.needs_refit()


@installed
def test_added_ideas_are_found_at_once_and_removed_ones_never() -> None:
    index = SemanticSimilarIdeas().fit(TEXTS[:5])
    for i in range(40):  # past the first growth of the matrix
        index.add(f"Idea number {i} about the canteen menu", f"new-{i}")
    index.add("A quiet room for phone calls on every floor", "quiet")

    assert index.query("somewhere silent to take a call", k=1)[0][0] == "quiet"
    index.remove("quiet")
    assert "quiet" not in [idea for idea, _ in index.query("somewhere silent to take a call")]
    assert len(index) == 5 + 40


@installed
def test_themes_on_embeddings_recover_the_known_themes() -> None:
    themes = ThemeFinder(backend="semantic").fit(TEXTS)

    assert adjusted_rand_score(LABELS, themes.labels_) > 0.6
    assert themes.theme_labels_[themes.labels_[0]]  # labels still read from the words
    assert themes.predict(["the VPN disconnects again"])[0] == themes.labels_[0]


def test_a_model_file_that_is_not_the_checked_one_is_refused(tmp_path: Path) -> None:
    tampered = tmp_path / "model.onnx"
    tampered.write_bytes(b"not the published weights")

    with pytest.raises(RuntimeError, match="not the file this backend was checked with"):
        _check(tampered, MODEL_SHA256)


def test_an_unknown_backend_is_named() -> None:
    with pytest.raises(ValueError, match="unknown backend 'bert'"):
        similar_ideas("bert")
    with pytest.raises(ValueError, match="unknown backend 'bert'"):
        ThemeFinder(backend="bert").fit(TEXTS)
