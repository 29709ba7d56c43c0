"""ThemeFinder: themes found without being told how many, labelled in words."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from ml import ThemeFinder
from tests.ml.corpus import LABELS, TEXTS, THEMES


@pytest.fixture(scope="module")
def themes() -> ThemeFinder:
    return ThemeFinder(random_state=0).fit(TEXTS)


def theme_of(themes: ThemeFinder, text: str) -> int:
    return int(themes.labels_[TEXTS.index(text)])


def test_it_is_a_scikit_learn_estimator() -> None:
    finder = ThemeFinder(granularity=2.0, n_terms=3)

    assert clone(finder).get_params()["granularity"] == 2.0
    assert not hasattr(clone(finder), "labels_")
    assert finder.fit(TEXTS) is finder
    assert np.array_equal(ThemeFinder().fit_predict(TEXTS), ThemeFinder().fit(TEXTS).labels_)


def test_it_finds_about_as_many_themes_as_there_are(themes: ThemeFinder) -> None:
    assert len(THEMES) - 1 <= themes.n_themes_ <= len(THEMES) + 2
    assert adjusted_rand_score(LABELS, themes.labels_) > 0.7
    assert themes.sizes_.sum() == len(TEXTS)


@pytest.mark.parametrize(("member", "term"), [
    ("VPN disconnects every hour when working from home", "vpn"),
    ("Dark mode for the intranet", "dark mode"),
    ("Printer queue gets stuck and nobody can print", "printer"),
    ("Book meeting rooms from the calendar", "meeting"),
])
def test_a_themes_label_names_what_it_is_about(
        themes: ThemeFinder, member: str, term: str) -> None:
    theme = theme_of(themes, member)

    assert any(term in t for t in themes.theme_terms_[theme][:3])
    assert themes.theme_labels_[theme] == ", ".join(themes.theme_terms_[theme][:3])


def test_representatives_are_members_of_their_theme(themes: ThemeFinder) -> None:
    for theme, members in enumerate(themes.representatives_):
        assert 1 <= len(members) <= 3
        assert all(themes.labels_[i] == theme for i in members)


def test_same_topic_same_theme(themes: ThemeFinder) -> None:
    vpn = {theme_of(themes, text) for text in THEMES["vpn"]}
    dark = {theme_of(themes, text) for text in THEMES["dark mode"]}

    assert len(vpn) == 1
    assert len(dark) == 1
    assert vpn != dark


def test_a_new_text_goes_to_the_nearest_theme(themes: ThemeFinder) -> None:
    new = ["vpn keeps dropping at home", "printer is out of toner again",
           "please add a dark mode to the intranet"]

    assert themes.predict(new).tolist() == [
        theme_of(themes, THEMES["vpn"][0]), theme_of(themes, THEMES["printer"][0]),
        theme_of(themes, THEMES["dark mode"][0]),
    ]


def test_granularity_gives_coarser_or_finer_themes(themes: ThemeFinder) -> None:
    coarse = ThemeFinder(granularity=0.5, random_state=0).fit(TEXTS).n_themes_
    fine = ThemeFinder(granularity=2.0, random_state=0).fit(TEXTS).n_themes_

    assert coarse < themes.n_themes_ < fine


def test_a_given_number_of_themes_is_used() -> None:
    assert ThemeFinder(n_themes=3).fit(TEXTS).n_themes_ == 3


def test_tiny_and_duplicate_inputs_still_give_themes() -> None:
    one = ThemeFinder().fit(["Dark mode for the intranet"])
    same = ThemeFinder().fit(["Dark mode please"] * 6)
    two = ThemeFinder(granularity=5.0).fit(["Dark mode please", "The VPN drops"] * 20)

    assert one.n_themes_ == 1
    assert one.labels_.tolist() == [0]
    assert same.n_themes_ == 1
    assert two.n_themes_ == 2


def test_labels_keep_hyphenated_words_and_skip_contracted_stop_words() -> None:
    wifi = ["Wi-Fi drops in the canteen", "The Wi-Fi is slow on floor 3",
            "Guest Wi-Fi needs a new password every day", "What's the Wi-Fi password?"]
    printers = ["Printer on floor 2 jams", "Printer toner is always empty",
                "What's wrong with the printer queue?", "Printer needs a driver update"]
    finder = ThemeFinder(n_themes=2, random_state=0).fit(wifi + printers)

    terms = finder.theme_terms_[int(finder.labels_[0])]
    assert "wi-fi" in terms
    words = {word for terms in finder.theme_terms_ for term in terms for word in term.split()}
    assert not words & {"wi", "fi", "what's"}
