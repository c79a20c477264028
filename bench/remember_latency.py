"""Latency of a single ``remember`` (note + indexes, no model calls besides the embedding).

python bench/remember_latency.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import summary, synthetic_texts

from assistant import Assistant


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-remember-"))
    try:
        with Assistant.open(home) as assistant:
            memories = assistant.memories
            memories.add_many(synthetic_texts(1000, seed=3))
            for text in synthetic_texts(5, seed=4):  # warm-up
                memories.add(text)
            timings = []
            for text in synthetic_texts(300, seed=5):
                started = time.perf_counter()
                memories.add(text + " (single)")
                timings.append((time.perf_counter() - started) * 1000)
        print(summary("remember, store of 1,000 memories", timings))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
