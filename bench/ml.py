"""Theme runs over 10,000 and 100,000 suggestions, and similar-idea lookups at 100,000.

The corpora are resampled from CLINC150 train (15,000 short requests, 150 intents,
`../shared/data/clinc150/`) with noise, so that 100,000 texts are not 15,000 texts
repeated: each text is a random train text in which, each with probability 1/2, one
word is replaced by a random word of the train vocabulary, two letters of one word
are swapped (a typo), and a random vocabulary word is inserted. Fixed seeds.

- `themes_*_s`: `ThemeFinder().fit(texts)` wall time (k chosen by the pipeline), each
  run in a fresh child process; `peak_rss_mb` is the peak RSS of the 100,000 run's
  process (Python, the corpus and the fit).
- `lookup_p95_ms_100k`: `SimilarIdeas` fitted on 100,000 texts, 200 more added one by
  one (so part of the answer comes from the not-yet-folded rows), then CLINC150 val
  texts as queries, each `query(text, k=5)` call timed (vectorise, score, top 5).

Prints {"themes_10k_s", "themes_100k_s", "peak_rss_mb", "lookup_p95_ms_100k"}; details
go to stderr. About 1.5 minutes on the 2-core machine.

`--backend semantic` measures the optional sentence-embedding backend the same way
(the keys keep their names; pass --large 10000 for a run of minutes, not an hour:
it encodes ~400 texts per CPU-second), and adds "encode_texts_per_cpu_s".

Usage: .venv/bin/python bench/ml.py [--small N] [--large N] [--queries N]
       [--backend tfidf|semantic]
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # else this file would shadow the `ml` package

from ml import ThemeFinder  # noqa: E402
from ml.lookup import BACKENDS, similar_ideas  # noqa: E402

CLINC = ROOT.parent / "shared" / "data" / "clinc150"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--backend", choices=BACKENDS, default="tfidf")
    args = parser.parse_args()
    small_s, _ = in_child(args.small, args.backend)
    large_s, large_rss = in_child(args.large, args.backend)
    lookup = lookup_p95_ms(args.large, args.queries, args.backend)
    report = {"themes_10k_s": small_s, "themes_100k_s": large_s,
              "peak_rss_mb": large_rss, "lookup_p95_ms_100k": lookup}
    if args.backend == "semantic":
        report["encode_texts_per_cpu_s"] = encode_rate()
    print(json.dumps(report))


def encode_rate(n: int = 2000) -> float:
    """Texts encoded per CPU-second (one onnxruntime thread), batches of 64."""
    from ml.embeddings import SentenceEncoder

    texts = noisy_corpus(n, seed=3)
    SentenceEncoder().encode(texts[:10])  # load the model first
    started = time.process_time()
    SentenceEncoder().encode(texts)
    rate = n / (time.process_time() - started)
    log(f"encoded {n:,} texts at {rate:.0f} texts per CPU-second")
    return round(rate)


def read_texts(name: str) -> list[str]:
    with (CLINC / name).open(newline="", encoding="utf-8") as file:
        return [row["text"] for row in csv.DictReader(file)]


def noisy_corpus(n: int, seed: int = 0) -> list[str]:
    """n texts resampled from CLINC150 train with word swaps, typos and insertions."""
    train = read_texts("train.csv")
    vocabulary = sorted({word for text in train for word in text.split()})
    rng = random.Random(seed)
    corpus = []
    for _ in range(n):
        words = rng.choice(train).split()
        if rng.random() < 0.5:
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        if rng.random() < 0.5:
            i = rng.randrange(len(words))
            word = words[i]
            if len(word) > 3:
                j = rng.randrange(len(word) - 1)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocabulary))
        corpus.append(" ".join(words))
    return corpus


def themes_run(n: int, backend: str,
               results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    texts = noisy_corpus(n)
    started, cpu = time.perf_counter(), time.process_time()
    themes = ThemeFinder(backend=backend).fit(texts)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = sorted(themes.sizes_.tolist(), reverse=True)
    log(f"themes {n:,}: {seconds:.1f} s ({cpu:.1f} s CPU), {themes.n_themes_} themes, "
        f"peak {peak_mb:.0f} MB, sizes {sizes[:3]}..{sizes[-3:]}, e.g. {themes.theme_labels_[:3]}")
    results.put((round(seconds, 2), round(peak_mb)))


def in_child(n: int, backend: str) -> tuple[float, int]:
    """One theme run in a fresh process, so its peak memory is its own."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=themes_run, args=(n, backend, results))
    child.start()
    seconds, peak_mb = results.get()
    child.join()
    return seconds, peak_mb


def lookup_p95_ms(n: int, queries: int, backend: str) -> float:
    corpus = noisy_corpus(n, seed=1)
    started = time.perf_counter()
    index = similar_ideas(backend).fit(corpus)
    stored = index.index_.data if hasattr(index, "index_") else index.rows_
    log(f"lookup index of {n:,}: fitted in {time.perf_counter() - started:.1f} s, "
        f"{stored.nbytes / 1e6:.0f} MB of scores")
    for i, text in enumerate(noisy_corpus(200, seed=2)):
        index.add(text, f"added-{i}")
    timings, cpu = [], []
    for text in (read_texts("val.csv") * 2)[:queries]:
        started, cpu_started = time.perf_counter(), time.process_time()
        index.query(text, k=5)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    timings.sort()
    cpu.sort()
    p50, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95)]
    log(f"lookup at {n:,} ideas: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms; "
        f"CPU p50 {cpu[len(cpu) // 2]:.2f} ms, p95 {cpu[int(len(cpu) * 0.95)]:.2f} ms")
    return round(p95, 2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
