"""A consolidation run over 10k memories without a model: run time, how fast a new message
pre-empts it, and search latency afterwards.

python bench/consolidation_run.py [SIZE]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import queries, seeded_home, summary
from seeded_store import build

from assistant import Assistant
from assistant.consolidation import Consolidator


def fresh_home(size: int) -> Path:
    """A copy of the seeded home plus the seeded consolidation store (duplicates,
    contradictions, old episodes)."""
    home = Path(tempfile.mkdtemp(prefix="bench-sleep-")) / "home"
    shutil.copytree(seeded_home(size), home)
    with Assistant.open(home) as assistant:
        assistant.memories.add_many(build().drafts)
    return home


def search_latency(assistant: Assistant, label: str) -> None:
    memories = assistant.memories
    for query in queries(10, seed=1):
        memories.search(query, k=10)
    timings = []
    for query in queries(200):
        started = time.perf_counter()
        memories.search(query, k=10)
        timings.append((time.perf_counter() - started) * 1000)
    print(summary(label, timings))


def preemption(size: int) -> None:
    """Runs stopped part-way, as a new message stops them: each run starts again where the
    last one stopped (merges it applied stay), so later stops land in later jobs."""
    home = fresh_home(size)
    try:
        with Assistant.open(home) as assistant:
            waits = []
            for delay in (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0, 13.0, 18.0, 25.0):
                stop = threading.Event()
                runner = threading.Thread(
                    target=lambda stop=stop: Consolidator(assistant).run(stop=stop)
                )
                runner.start()
                time.sleep(delay)
                asked = time.perf_counter()
                stop.set()
                runner.join()
                waits.append(1000 * (time.perf_counter() - asked))
            print(summary("pre-emption: message → run stopped", waits))
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


def main(size: int) -> None:
    home = fresh_home(size)
    try:
        with Assistant.open(home) as assistant:
            search_latency(assistant, f"warm search before consolidation, {size:,}")
            started = time.perf_counter()
            report = Consolidator(assistant).run()
            took = time.perf_counter() - started
            print(f"full run, {size:,} memories: {took:.1f} s ({report.status}): {report.line()}")
            for key, value in sorted(report.counts.items()):
                print(f"  {key}: {value}")
            again = Consolidator(assistant).run()
            print(f"second run (nothing left to do): {again.seconds:.1f} s")
            search_latency(assistant, f"warm search after consolidation, {size:,}")
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    main(count)
    preemption(count)
