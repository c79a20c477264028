"""Corrections and retractions on the development sets: of the conversations whose note says
they correct, update, replace or take back something, how many leave every fact to keep
stored and no rejected (old) value, through the learner on a fresh home for each.

Only the development sets v1–v3 are read (their misses are printed with ``--details``); the
blind sets are never read here.

python bench/correction_quality.py [--details]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from blind_quality import embedder, learned, rejected
from common import ROOT

DEVELOPMENT = {
    "v1": ROOT / "bench" / "blind",
    "v2": ROOT / "bench" / "blind2",
    "v3": ROOT / "bench" / "blind3",
}
CUES = ("correct", "changed", "replaced", "retract", "scrap", "typo", "update")


def corrections(folder: Path) -> list[dict[str, Any]]:
    """The conversations of a set whose note names a correction or a retraction."""
    conversations = json.loads((folder / "extraction.json").read_text())
    return [c for c in conversations if any(cue in c["note"].lower() for cue in CUES)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--details", action="store_true", help="print each miss")
    args = parser.parse_args()
    model = embedder()
    right = total = 0
    for name, folder in DEVELOPMENT.items():
        good = 0
        found = corrections(folder)
        for conversation in found:
            facts = learned(model, conversation["messages"])
            bad = rejected(conversation, facts)
            missed = [
                k for k in conversation["keep"] if not any(k.lower() in f.lower() for f in facts)
            ]
            good += not bad and not missed
            if args.details and (bad or missed):
                print(f"  {name}: {conversation['messages']} -> {facts}")
        print(f"{name}: {good}/{len(found)} correction conversations keep the new value only")
        right += good
        total += len(found)
    print(f"all development sets: {right}/{total} (target: every one)")


if __name__ == "__main__":
    main()
