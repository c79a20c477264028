"""Prepares the shared model cache once, so that a first chat builds nothing while its user
waits: the MiniLM export and its query model, the weights of every classifier over the
embedding (the router, the clause classifiers, corrections, injection, emotions,
continuations, keepers) and the pair reader's export.

``python -m assistant.warm`` (``make install`` runs it) prints each part and how long it took.
Everything here is also built on first use, so a part that fails is reported and skipped, and
the command still succeeds.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from assistant.companion.emotion import EmotionClassifier
from assistant.consolidation.protect import Protection
from assistant.conversation.router import Router
from assistant.core import make_embedder
from assistant.errors import AssistantError
from assistant.learning.classifier import ClauseClassifier
from assistant.learning.continuation import Continuations
from assistant.learning.corrections import Acts
from assistant.learning.injection import InjectionDetector
from assistant.learning.instructions import InstructionReader
from assistant.models.base import Embedder
from assistant.models.minilm import MiniLMEmbedder, is_minilm
from assistant.models.pair_reader import PairReader
from assistant.settings import read_settings

Part = tuple[str, Callable[[], object]]


def parts(embedder: Embedder, cache: Path) -> list[Part]:
    """What the cache holds for ``embedder``, each as a name and what builds it."""
    found: list[Part] = [("embedding model", lambda: embedder.embed(["warm"]))]
    if isinstance(embedder, MiniLMEmbedder):
        found.append(("query model", lambda: embedder.embed_query("warm")))
    found += [
        ("router", Router(embedder, cache).weights),
        ("clauses", ClauseClassifier(embedder, cache).weights),
        ("corrections", Acts(embedder, cache).classifier.weights),
        ("injection", InjectionDetector(embedder, cache).classifier.weights),
        ("instructions", InstructionReader(embedder, cache).classifier.weights),
        ("emotions", EmotionClassifier(embedder, cache).classifier.weights),
        ("continuations", Continuations(embedder, cache).classifier.weights),
        ("keepers", Protection(embedder, cache).classifier.weights),
    ]
    if is_minilm(embedder):
        found.append(
            ("pair reader", lambda: PairReader(cache).probability("paraphrase", [("a", "b")]))
        )
    return found


def warm(embedder: Embedder, cache: Path, say: Callable[[str], None] = print) -> list[str]:
    """Builds every part into ``cache``; the names of those that failed."""
    failed = []
    for name, build in parts(embedder, cache):
        start = time.perf_counter()
        try:
            build()
        except (AssistantError, OSError, ValueError, RuntimeError) as exc:
            failed.append(name)
            say(f"  {name}: not prepared ({exc}); it is built on first use instead")
            continue
        say(f"  {name}: ready in {time.perf_counter() - start:.1f} s")
    return failed


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="  %(message)s")
    settings = read_settings({}, os.environ)
    print(f"preparing the models in {settings.model_cache}")
    failed = warm(make_embedder(settings), settings.model_cache)
    print("done" if not failed else f"done; {len(failed)} part(s) left for first use")


if __name__ == "__main__":
    main()
