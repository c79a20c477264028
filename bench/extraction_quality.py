"""Extraction precision and recall on the labelled conversation sets, without a model, and
what the learner does with repeats and corrections on seeded cases.

python bench/extraction_quality.py
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from common import ROOT

from assistant import Assistant
from assistant.learning.learner import Learner
from assistant.learning.quality import score

SETS = {
    "development set": ROOT / "tests" / "fixtures" / "extraction_set.json",
    "held-out set": ROOT / "tests" / "fixtures" / "extraction_heldout.json",
}
CASES = [
    ("the same fact five times", ["I'm allergic to penicillin."] * 5),
    (
        "look-alike dates",
        ["I have a dentist appointment on March 3.", "I have a dentist appointment on May 3."],
    ),  # fmt: skip
    ("a name corrected", ["My sister's name is Anne.", "Actually, it's Anna not Anne."]),
    ("a day corrected", ["I have a meeting with Sam on Tuesday.", "No, I meant Wednesday."]),
    ("a job left", ["I work at Acme.", "I quit Acme last month."]),
    ("a habit stopped", ["I drink coffee every morning.", "I don't drink coffee anymore."]),
    ("a move", ["I live in Lyon.", "I just moved to Berlin."]),
]


def main() -> None:
    for name, path in SETS.items():
        conversations = json.loads(path.read_text())
        result = score(conversations)
        print(f"{name} ({len(conversations)} conversations, {result.expected} facts to keep): "
              f"precision {result.precision:.2f}, recall {result.recall:.2f}")  # fmt: skip
        for junk in result.junk:
            print(f"  kept but should not: {junk}")
        for missed in result.missed:
            print(f"  missed: {missed}")
    for label, messages in CASES:
        home = Path(tempfile.mkdtemp(prefix="learn-"))
        try:
            with Assistant.open(home) as assistant:
                learner = Learner(assistant.memories)
                actions = [c.action for m in messages for c in learner.learn(m, conversation="c")]
                active = [m.text for m in assistant.memories.list()]
                superseded = assistant.memories.list(statuses=["superseded"])
            print(f"{label}: {', '.join(actions)} → active: {active}; "
                  f"superseded: {[m.text for m in superseded]}")  # fmt: skip
        finally:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
