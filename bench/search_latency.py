"""Warm search latency (query embedding included) at 1k, 10k and 100k memories.

python bench/search_latency.py [SIZES...]      e.g. python bench/search_latency.py 1000 10000
"""

from __future__ import annotations

import sys
import time

from common import queries, seeded_home, summary

from assistant import Assistant


def main(sizes: list[int]) -> None:
    for size in sizes:
        home = seeded_home(size)
        with Assistant.open(home) as assistant:
            memories = assistant.memories
            for query in queries(10, seed=1):  # warm-up: model, snapshot, connection
                memories.search(query, k=10)
            timings = []
            for query in queries(200):
                started = time.perf_counter()
                hits = memories.search(query, k=10)
                timings.append((time.perf_counter() - started) * 1000)
                assert hits is not None
        print(summary(f"warm search, {size:,} memories", timings), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
