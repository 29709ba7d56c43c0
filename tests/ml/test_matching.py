"""match_themes: a re-run keeps the themes people already confirmed."""

from __future__ import annotations

from ml import match_themes


def test_renumbered_clusters_keep_their_themes() -> None:
    previous = {"a": "vpn", "b": "vpn", "c": "vpn", "d": "printer", "e": "printer"}
    current = {"a": 7, "b": 7, "c": 7, "d": 2, "e": 2, "f": 2}

    assert match_themes(previous, current) == {7: "vpn", 2: "printer"}


def test_a_split_theme_stays_with_the_bigger_part_and_the_rest_is_new() -> None:
    previous = {item: "laptops" for item in "abcdef"}
    current = {"a": 0, "b": 0, "c": 0, "d": 0, "e": 1, "f": 1}

    assert match_themes(previous, current) == {0: "laptops"}


def test_little_overlap_is_no_match_and_nothing_matches_nothing() -> None:
    previous = {"a": "old", "b": "old", "c": "old", "d": "old"}
    current = {"a": 0, "x": 0, "y": 0, "z": 0}

    assert match_themes(previous, current) == {}
    assert match_themes({}, current) == {}
