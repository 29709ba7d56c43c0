"""`incubator ml evaluate` on a slice of CLINC150 (20 intents; no test split)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from incubator.cli import main
from incubator.evaluation import evaluate

CLINC = Path(__file__).parents[2].parent / "shared" / "data" / "clinc150"
INTENTS = 20


def write_slice(source: str, target: Path, per_label: int, intents: set[str] | None) -> Path:
    with (CLINC / source).open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    chosen: list[dict[str, str]] = []
    for row in rows:
        taken = sum(r["label"] == row["label"] for r in chosen)
        if (intents is None or row["label"] in intents) and taken < per_label:
            chosen.append(row)
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=["label", "text"])
        writer.writeheader()
        writer.writerows(chosen)
    return target


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("clinc")
    with (CLINC / "val.csv").open(newline="", encoding="utf-8") as file:
        labels = sorted({row["label"] for row in csv.DictReader(file)})
    intents = set(labels[::len(labels) // INTENTS][:INTENTS])
    return (write_slice("val.csv", folder / "corpus.csv", 20, intents),
            write_slice("train.csv", folder / "queries.csv", 5, intents),
            write_slice("oos_val.csv", folder / "new.csv", 20, None))


def test_themes_alone(files: tuple[Path, Path, Path]) -> None:
    report = evaluate(files[0])

    assert set(report) == {"n", "n_labels", "n_clusters", "v_measure", "ari", "seconds"}
    assert (report["n"], report["n_labels"]) == (400, INTENTS)
    assert INTENTS * 0.75 <= report["n_clusters"] <= INTENTS * 3
    assert report["v_measure"] > 0.75
    assert report["ari"] > 0.4
    assert 0 < report["seconds"] < 10


def test_the_cli_adds_the_lookup_and_reads_several_query_files(
        files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    corpus, queries, new = files

    main(["ml", "evaluate", "--csv", str(corpus), "--text-column", "text",
          "--label-column", "label", "--queries", str(queries), "--queries", str(new)])

    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["n", "n_labels", "n_clusters", "v_measure", "ari", "seconds",
                            "p_at_5", "hit_at_1", "new_idea_auroc"]
    assert report["p_at_5"] > 0.75
    assert report["hit_at_1"] > 0.8  # 100 queries: one miss moves it by 0.01
    assert report["new_idea_auroc"] > 0.75


def test_without_new_ideas_there_is_no_auroc(files: tuple[Path, Path, Path]) -> None:
    report = evaluate(files[0], queries=[files[1]])

    assert "new_idea_auroc" not in report
    assert 0 <= report["hit_at_1"] <= 1


def test_a_missing_column_is_named(files: tuple[Path, Path, Path]) -> None:
    with pytest.raises(ValueError, match="no column 'intent'"):
        evaluate(files[0], label_column="intent")
