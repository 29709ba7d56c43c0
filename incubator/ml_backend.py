"""Which text representation the similar-ideas lookup and the themes use.

`INCUBATOR_ML_BACKEND`: "tfidf" (the default, scikit-learn only) or "semantic"
(sentence embeddings, the optional extra `pip install -e '.[semantic]'`). Asked for
the semantic backend without the extra, the app says so in its log and runs on TF-IDF:
similar ideas and themes still work, only less well.
"""

from __future__ import annotations

import logging

from ml.embeddings import missing
from ml.lookup import BACKENDS

log = logging.getLogger(__name__)

DEFAULT = "tfidf"


def check_backend(requested: str) -> str:
    """`requested`, lower-cased, if it names a backend; else a ValueError naming them."""
    backend = requested.strip().lower() or DEFAULT
    if backend not in BACKENDS:
        raise ValueError(f"INCUBATOR_ML_BACKEND={requested!r} is not a backend: "
                         f"choose one of {', '.join(BACKENDS)}")
    return backend


def choose_backend(requested: str) -> str:
    """The backend to run: `requested`, or TF-IDF (with a warning in the log) when the
    semantic backend is asked for but not installed."""
    backend = check_backend(requested)
    if backend == "semantic" and (reason := missing()):
        log.warning("INCUBATOR_ML_BACKEND=semantic, but %s: similar ideas and themes use "
                    "TF-IDF instead", reason, extra={"ml_backend": DEFAULT})
        return DEFAULT
    return backend
