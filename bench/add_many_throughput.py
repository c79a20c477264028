"""Throughput of ``add_many`` with batched embedding, on new texts (no cache hits).

python bench/add_many_throughput.py [COUNT]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import synthetic_texts

from assistant import Assistant


def main(count: int) -> None:
    runs, model_only = [], []
    for run in range(3):
        home = Path(tempfile.mkdtemp(prefix="bench-add-many-"))
        try:
            with Assistant.open(home) as assistant:
                model = assistant.memories.embedder.inner  # type: ignore[attr-defined]
                model.embed(["warm up"])
                texts = synthetic_texts(count, seed=100 + run)
                started = time.perf_counter()
                assistant.memories.add_many(texts)
                runs.append(count / (time.perf_counter() - started))
                started = time.perf_counter()
                model.embed([t + " again" for t in texts])  # the model alone, same lengths
                model_only.append(count / (time.perf_counter() - started))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    runs.sort()
    model_only.sort()
    print(
        f"add_many: {runs[1]:.0f} memories/s median of {len(runs)} runs of {count:,} "
        f"(min {runs[0]:.0f}, max {runs[-1]:.0f}); the embedding model alone on the same "
        f"texts: {model_only[1]:.0f} texts/s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
