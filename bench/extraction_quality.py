"""Extraction precision and recall on the labelled conversation sets, with the rules, with the
learned clause classifiers (the default path without a model) and (``--model NAME``, a model
configured in ``$ASSISTANT_HOME``) with a model; 5-fold cross-validation of the classifiers on
their training clauses; the time to extract one message; and what the learner does with
repeats and corrections on seeded cases.

python bench/extraction_quality.py [--model NAME]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ROOT, percentile

from assistant import Assistant
from assistant.learning.classifier import ClauseClassifier
from assistant.learning.clauses import sentences
from assistant.learning.extract import extract, merge
from assistant.learning.injection import looks_like_injection
from assistant.learning.instructions import InstructionReader
from assistant.learning.learned import LearnedExtractor
from assistant.learning.learner import Learner
from assistant.learning.model_extract import ModelExtractor
from assistant.learning.quality import cross_validate, learned, rules, score
from assistant.models.minilm import MiniLMEmbedder
from assistant.models.registry import build_model, load_keys
from assistant.settings import read_settings

SETS = {
    "development set": ROOT / "tests" / "fixtures" / "extraction_set.json",
    "held-out set": ROOT / "tests" / "fixtures" / "extraction_heldout.json",
}
CASES = [
    ("the same fact five times", ["I'm allergic to penicillin."] * 5),
    (
        "look-alike dates",
        ["I have a dentist appointment on March 3.", "I have a dentist appointment on May 3."],
    ),
    ("a name corrected", ["My sister's name is Anne.", "Actually, it's Anna not Anne."]),
    ("a day corrected", ["I have a meeting with Sam on Tuesday.", "No, I meant Wednesday."]),
    ("a job left", ["I work at Acme.", "I quit Acme last month."]),
    ("a habit stopped", ["I drink coffee every morning.", "I don't drink coffee anymore."]),
    ("a move", ["I live in Lyon.", "I just moved to Berlin."]),
]


HOSTILE = [
    "i" + " " * 100_000,
    "we have" + " " * 100_000 + "x",
    "we have a dog" + " " * 100_000 + ",",
    "i " * 50_000,
    "biscuit is 3, " * 7_000,
    "my dog " * 14_000,
    "x" * 100_000,
    "I don't drink " + "coffee " * 14_000 + "anymore, ok",
    "," * 100_000,
    ". " * 50_000,
    "and " * 25_000,
    "oh and biscuit is 3, " * 5_000,
    "dentist on friday" + " " * 100_000 + "so i",
    "my mum\n" * 14_000,
]
"""Long inputs built to make a pattern that backtracks take quadratic time."""


def model_extractor(name: str) -> Callable[[str], list[str]]:
    """Texts of the facts a configured model (plus the rules, as in chat) extracts."""
    settings = read_settings({}, os.environ)
    keys = load_keys(os.environ, settings.home)
    found = [build_model(m, keys) for m in settings.models if m.name == name]
    if not found or found[0].check():
        raise SystemExit(f"no ready model called {name!r}: {found[0].check() if found else ''}")
    extractor = ModelExtractor(found[0])

    def run(text: str) -> list[str]:
        if looks_like_injection(text):
            return []
        return [c.text for c in merge(extractor.extract(text), extract(text))]

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="also measure extraction with this configured model")
    args = parser.parse_args()
    settings = read_settings({}, os.environ)
    embedder = MiniLMEmbedder(settings.model_cache)
    classifier = ClauseClassifier(embedder, settings.model_cache)
    extractors: list[tuple[str, Callable[[str], list[str]]]] = [
        ("rules", rules),
        ("learned classifiers", learned(classifier)),
    ]
    if args.model:
        extractors.append((f"model {args.model}", model_extractor(args.model)))
    for (name, path), (how, extractor) in itertools.product(SETS.items(), extractors):
        conversations = json.loads(path.read_text())
        result = score(conversations, extractor)
        name = f"{name} with {how}"
        print(
            f"{name} ({len(conversations)} conversations, {result.expected} facts to keep): "
            f"precision {result.precision:.2f}, recall {result.recall:.2f}"
        )
        for junk in result.junk:
            print(f"  kept but should not: {junk}")
        for missed in result.missed:
            print(f"  missed: {missed}")
    cv = cross_validate(embedder)
    print(
        f"5-fold cross-validation on the training clauses: keep precision {cv.precision:.2f}, "
        f"recall {cv.recall:.2f}; type accuracy {cv.type_accuracy:.2f}; importance band "
        f"accuracy {cv.importance_accuracy:.2f}"
    )
    extractor = LearnedExtractor(classifier)
    messages = [
        m for path in SETS.values() for c in json.loads(path.read_text()) for m in c["messages"]
    ]
    extractor.extract("warm up")
    millis = []
    for message in messages * 3:
        start = time.perf_counter()
        extractor.extract(message)
        millis.append((time.perf_counter() - start) * 1000)
    print(
        f"extracting one message without a model ({len(messages)} messages, 3 rounds): "
        f"p50 {percentile(millis, 50):.1f} ms, p95 {percentile(millis, 95):.1f} ms"
    )
    reader = InstructionReader(embedder, settings.model_cache)
    reader.standing(["warm up, always"])
    millis = []
    for message in messages:
        start = time.perf_counter()
        reader.standing(sentences(message))
        millis.append((time.perf_counter() - start) * 1000)
    print(
        f"reading standing instructions in one message ({len(messages)} messages, each once, "
        f"nothing cached): p50 {percentile(millis, 50):.1f} ms, p95 {percentile(millis, 95):.1f} "
        "ms (learned after the reply, beside extraction)"
    )
    slowest = 0.0
    for text in HOSTILE:
        start = time.perf_counter()
        extractor.extract(text, context=text)
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
    print(
        f"hostile messages of about 100 kB ({len(HOSTILE)}, as message and as the one before): "
        f"slowest {slowest:.0f} ms (floor: none may take seconds; a chat message p95 ≤ 30 ms)"
    )
    for label, messages in CASES:
        home = Path(tempfile.mkdtemp(prefix="learn-"))
        try:
            with Assistant.open(home) as assistant:
                learner = Learner(assistant.memories)
                actions = [c.action for m in messages for c in learner.learn(m, conversation="c")]
                active = [m.text for m in assistant.memories.list()]
                superseded = assistant.memories.list(statuses=["superseded"])
            print(
                f"{label}: {', '.join(actions)} → active: {active}; "
                f"superseded: {[m.text for m in superseded]}"
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
