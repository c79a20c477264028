"""Router accuracy and confusion matrix on the held-out set, and its latency.

python bench/router_quality.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import ROOT, summary

from assistant.models.minilm import MiniLMEmbedder
from assistant.router import ROUTES, Router, load_examples

HELD_OUT = ROOT / "tests" / "fixtures" / "router_heldout.tsv"


def main() -> None:
    embedder = MiniLMEmbedder(ROOT / ".cache" / "models")
    embedder.load()
    examples = load_examples(HELD_OUT)
    with tempfile.TemporaryDirectory() as weights:
        router = Router(embedder, Path(weights))
        started = time.perf_counter()
        router.weights()
        print(f"training on {len(load_examples())} examples: "
              f"{time.perf_counter() - started:.2f} s (cached afterwards)")  # fmt: skip
        vectors = embedder.embed([text for _, text in examples])
        confusion = {a: dict.fromkeys(ROUTES, 0) for a in ROUTES}
        decide, total = [], []
        for (label, text), vector in zip(examples, vectors, strict=True):
            router._cache.clear()  # measure decisions, not cache hits
            started = time.perf_counter()
            got = router.route(text, vector).route
            decide.append((time.perf_counter() - started) * 1000)
            confusion[label][got] += 1
        for n, (_, text) in enumerate(examples):
            router._cache.clear()
            started = time.perf_counter()
            router.route(f"{text} #{n}")  # unseen text: embedding included
            total.append((time.perf_counter() - started) * 1000)
    right = sum(confusion[r][r] for r in ROUTES)
    print(f"held-out accuracy: {right}/{len(examples)} = {right / len(examples):.1%}")
    print("confusion (rows: true route, columns: predicted):")
    print(f"  {'':8}" + "".join(f"{r:>9}" for r in ROUTES))
    for route in ROUTES:
        print(f"  {route:8}" + "".join(f"{confusion[route][p]:>9}" for p in ROUTES))
    print(summary("router decision (embedding given)", decide))
    print(summary("router with embedding of an unseen message", total))


if __name__ == "__main__":
    main()
