"""SimilarIdeas: duplicates found while typing, new ideas searchable at once."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

import ml.lookup
from ml import SimilarIdeas
from tests.ml.corpus import LABELS, TEXTS


@pytest.fixture
def index() -> SimilarIdeas:
    return SimilarIdeas().fit(TEXTS, ids=[f"idea-{i}" for i in range(len(TEXTS))])


def test_it_is_a_scikit_learn_estimator() -> None:
    lookup = SimilarIdeas(word_weight=0.3, new_below=0.4)

    assert lookup.fit(TEXTS) is lookup
    assert clone(lookup).get_params() == {
        "word_weight": 0.3, "char_ngram_range": (2, 3), "word_min_df": "auto", "new_below": 0.4,
    }
    assert not hasattr(clone(lookup), "index_")


@pytest.mark.parametrize(("typed", "duplicate"), [
    ("vpn disconects evry hour from home", "VPN disconnects every hour when working from home"),
    ("self service pasword reset", "Self-service password reset without calling the service desk"),
    ("dark mode intranet", "Dark mode for the intranet"),
    ("printer on 3rd floor jammed again", "The printer on the third floor jams every day"),
    ("meeting rooms nobody shows up for should be released",
     "Release meeting rooms that nobody shows up for"),
])
def test_a_typed_near_duplicate_finds_the_existing_idea_first(
        index: SimilarIdeas, typed: str, duplicate: str) -> None:
    matches = index.query(typed, k=5)

    assert matches[0][0] == f"idea-{TEXTS.index(duplicate)}"
    assert len(matches) == 5
    assert [score for _, score in matches] == sorted((s for _, s in matches), reverse=True)


def test_the_other_matches_share_the_topic(index: SimilarIdeas) -> None:
    matches = index.query("the vpn keeps dropping", k=4)

    assert {LABELS[int(idea.split("-")[1])] for idea, _ in matches} == {"vpn"}


def test_an_added_idea_is_found_at_once_without_refitting(index: SimilarIdeas) -> None:
    vocabulary = index.features_.named_steps["tfidf"].transformer_list[0][1].vocabulary_.copy()

    index.add("Coffee machine on the second floor needs descaling", "coffee")

    assert index.query("descale the coffee machine", k=1)[0][0] == "coffee"
    assert index.features_.named_steps["tfidf"].transformer_list[0][1].vocabulary_ == vocabulary
    assert len(index) == len(TEXTS) + 1


def test_added_ideas_survive_folding_into_the_index(
        index: SimilarIdeas, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ml.lookup, "MERGE_EVERY", 2)
    index.add("Coffee machine on the second floor needs descaling", "coffee")
    before = index.query("descale the coffee machine", k=3)

    index.add("Water cooler in the lobby leaks", "water")

    assert index.pending_ is None
    assert index.index_.shape[1] == len(TEXTS) + 2
    assert index.query("descale the coffee machine", k=3) == before
    assert index.query("the water cooler leaks", k=1)[0][0] == "water"


def test_a_removed_idea_is_no_longer_found(index: SimilarIdeas) -> None:
    duplicate = f"idea-{TEXTS.index('Dark mode for the intranet')}"

    index.remove(duplicate).remove("never-there")

    assert duplicate not in [idea for idea, _ in index.query("dark mode for the intranet")]
    assert len(index) == len(TEXTS) - 1


def test_adding_an_id_again_replaces_its_text(index: SimilarIdeas) -> None:
    index.add("Dark mode for the intranet", "x").add("Bicycle racks in the car park", "x")

    assert index.query("dark mode for the intranet", k=1)[0][0] != "x"
    assert index.query("bicycle racks", k=1)[0][0] == "x"


def test_an_unrelated_text_looks_new_and_a_duplicate_does_not(index: SimilarIdeas) -> None:
    assert index.looks_new(index.query("canteen should serve vegan lunches on friday"))
    assert not index.looks_new(index.query("dark mode for the intranet"))
    assert index.looks_new([])


def test_the_fast_single_text_path_matches_the_pipeline(index: SimilarIdeas) -> None:
    texts = ["VPN drops!!", "", "zzzz unknown words qqq", *TEXTS[:5]]

    fast = np.vstack([index.one_text_(text).toarray() for text in texts])

    np.testing.assert_allclose(fast, index.features_.transform(texts).toarray(), atol=1e-6)


def test_a_refit_is_due_once_the_index_has_doubled() -> None:
    index = SimilarIdeas().fit(TEXTS[:3])

    index.add(TEXTS[3], 3).add(TEXTS[4], 4)
    assert not index.needs_refit()
    index.add(TEXTS[5], 5)
    assert index.needs_refit()


def test_fit_rejects_no_ideas_and_duplicate_or_missing_ids() -> None:
    with pytest.raises(ValueError, match="no ideas"):
        SimilarIdeas().fit([])
    with pytest.raises(ValueError, match="unique"):
        SimilarIdeas().fit(["a b", "c d"], ids=[1, 1])
    with pytest.raises(ValueError, match="2 texts but 1 ids"):
        SimilarIdeas().fit(["a b", "c d"], ids=[1])
