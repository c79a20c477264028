"""Project-scoped search against global search: p95 latency at 10k memories spread over 20
projects (a twentieth of them global), the query embedding included in both.

python bench/project_search.py [SIZE] [PROJECTS]      e.g. python bench/project_search.py 2000 5

The target (issue 23): scoped search p95 within 10 % of global search p95. The two kinds are
interleaved, query by query, so that a busy machine slows them alike.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from common import percentile, queries, summary, synthetic_texts

from assistant import Assistant, Draft


def seeded(home: Path, size: int, projects: int) -> None:
    """``size`` memories: the first of every ``projects + 1`` global, the rest spread
    evenly over the projects."""
    with Assistant.open(home) as assistant:
        names = [f"Project {n:02d}" for n in range(projects)]
        for name in names:
            assistant.projects.new(name)
        places = ["", *names]
        drafts = [
            Draft(text, project=places[n % len(places)])
            for n, text in enumerate(synthetic_texts(size))
        ]
        assistant.memories.add_many(drafts)


def main(size: int, projects: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        started = time.perf_counter()
        seeded(home, size, projects)
        took = time.perf_counter() - started
        print(f"seeded {size:,} memories in {projects} projects in {took:.0f} s")
        with Assistant.open(home) as assistant:
            memories = assistant.memories
            scope = "Project 07"
            for query in queries(10, seed=1):  # warm-up: model, snapshot, masks
                memories.search(query, k=10, project="")
                memories.search(query, k=10, project=scope)
            everywhere, scoped = [], []
            asked = queries(400)
            for n in range(0, len(asked), 2):
                started = time.perf_counter()
                memories.search(asked[n], k=10, project="")
                everywhere.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                hits = memories.search(asked[n + 1], k=10, project=scope)
                scoped.append((time.perf_counter() - started) * 1000)
                assert all(h.memory.project in ("", scope) for h in hits)
    print(summary(f"global search, {size:,} memories", everywhere))
    print(summary(f"scoped search, one of {projects} projects + global", scoped))
    ratio = percentile(scoped, 95) / percentile(everywhere, 95)
    print(f"  scoped p95 / global p95 = {ratio:.2f} (target ≤ 1.10)", flush=True)


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*(arguments + [10_000, 20][len(arguments) :]))
