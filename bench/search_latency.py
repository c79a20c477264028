"""Warm search latency (query embedding included) at 1k, 10k and 100k memories, beside its
floor: embedding the query alone plus an exact scan of the vectors, measured in the same run.

python bench/search_latency.py [SIZES...]      e.g. python bench/search_latency.py 1000 10000

A search is what the user runs (``Actions.search``: ``assistant search``, serve, MCP, the
browser), whose query is embedded by the 8-bit query model; the floor embeds with that model
too. The full model's time per query is printed beside it: what the query model saves.
Every figure uses new queries (the home's embedding cache would otherwise answer for the
model); the kinds of timing are interleaved so that a busy machine slows them alike.
The target (issue 22): search p95 ≤ 1.5 × floor p95. Questions about days ("what have I
got on next week?") also scan the snapshot's texts for the facts dated in them; their search
is timed apart, beside the others.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from common import percentile, queries, seeded_home, summary

from assistant import Actions, Assistant
from assistant.models.base import query_vector

DAYS = [
    "what have i got on next week",
    "anything on the 16th",
    "what am i doing tomorrow",
    "what did i do last weekend",
    "whats on this month",
]
"""Openings that ask about days, each made new by a query of the set after it."""


def main(sizes: list[int]) -> None:
    for size in sizes:
        home = seeded_home(size)
        with Assistant.open(home) as assistant:
            actions = Actions(assistant)
            for query in queries(10, seed=1):  # warm-up: models, snapshot, connection
                actions.search(query, k=10)
                assistant.embedder.inner.embed([query])
            matrix = assistant.vectors._current().matrix
            model = assistant.embedder.inner
            searched, embedded, scanned, full = [], [], [], []
            asked = queries(800)
            for n in range(0, len(asked), 4):
                started = time.perf_counter()
                hits = actions.search(asked[n], k=10)
                searched.append((time.perf_counter() - started) * 1000)
                assert hits is not None
                started = time.perf_counter()
                vector = query_vector(model, asked[n + 1])
                embedded.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                model.embed([asked[n + 3]])
                full.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                scores = matrix @ np.asarray(vector, dtype=np.float32)
                np.argpartition(-scores, 30)[:30]
                scanned.append((time.perf_counter() - started) * 1000)
            days = []
            for n in range(100):
                asked_day = f"{DAYS[n % len(DAYS)]} {asked[n * 4][:40]}"
                started = time.perf_counter()
                actions.search(asked_day, k=10)
                days.append((time.perf_counter() - started) * 1000)
        floor = [e + s for e, s in zip(embedded, scanned, strict=True)]
        print(summary(f"warm search, {size:,} memories", searched))
        print(summary("  floor: query embedding (the query model)", embedded))
        print(summary("  beside it: the full model on one query", full))
        print(summary("  floor: exact scan", scanned))
        print(summary("  a question about days (the same search, dated facts read too)", days))
        ratio = percentile(searched, 95) / percentile(floor, 95)
        print(f"  search p95 / (embedding + scan) p95 = {ratio:.2f} (target ≤ 1.5)", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
