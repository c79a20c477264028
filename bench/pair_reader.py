"""The pair reader's cost: its one-time export into a fresh model cache, then reading pairs of
memory texts in the batches the merge job gives it, beside the floor of embedding the same
texts apart with the bundled MiniLM (what every pair already costs to become a candidate).

python bench/pair_reader.py [PAIRS]
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

from assistant.consolidation.judge_pairs import load_pairs
from assistant.models.minilm import MiniLMEmbedder
from assistant.models.pair_reader import PairReader

CACHE = Path(os.environ.get("ASSISTANT_MODEL_CACHE", ROOT / ".cache" / "models"))


def sample(count: int) -> list[tuple[str, str]]:
    text = (ROOT / "assistant" / "data" / "reader_pairs.tsv").read_text("utf-8")
    pairs = [(a, b) for _, a, b in load_pairs(text)]
    return random.Random(3).sample(pairs, min(count, len(pairs)))


def export_seconds() -> float:
    """First use in an empty cache: the adapters are added into the weights and exported."""
    cache = Path(tempfile.mkdtemp(prefix="bench-reader-"))
    try:
        started = time.perf_counter()
        PairReader(cache).load()
        return time.perf_counter() - started
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def per_pair(pairs: list[tuple[str, str]], rounds: int = 3) -> tuple[float, float]:
    """Milliseconds per pair read (both orders), and per pair embedded apart (the floor)."""
    reader = PairReader(CACHE)
    reader.load()
    embedder = MiniLMEmbedder(CACHE)
    embedder.load()
    reader.probabilities(pairs[:32])
    embedder.embed([t for pair in pairs[:32] for t in pair])
    read, apart = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        reader.probabilities(pairs)
        read.append(1000 * (time.perf_counter() - started) / len(pairs))
        started = time.perf_counter()
        embedder.embed([t for pair in pairs for t in pair])
        apart.append(1000 * (time.perf_counter() - started) / len(pairs))
    return statistics.median(read), statistics.median(apart)


def main(count: int) -> None:
    pairs = sample(count)
    print(f"export into an empty cache (once per adapter file): {export_seconds():.1f} s")
    read, apart = per_pair(pairs)
    print(f"reading {len(pairs):,} pairs, both orders: {read:.2f} ms per pair (median of 3)")
    print(f"floor: embedding both texts apart with MiniLM: {apart:.2f} ms per pair")
    print(f"1,000 pairs read in a consolidation run: {read:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
