"""Corrections and retractions: of the conversations that correct, update, replace or take
back something, how many leave every fact to keep stored and no rejected (old) value, through
the learner on a fresh home for each.

By default the development sets v1–v3 are read (the conversations whose note names a
correction; their misses are printed with ``--details``). ``--set v17`` reads the blind
corrections set, every conversation of it (a few only look like corrections), and prints its
figures only: its contents are never printed.

python bench/correction_quality.py [--details] [--set v17]
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
BLIND = {"v17": ROOT / "bench" / "blind17"}
"""The blind corrections sets: measured, never read, never printed item by item."""
CUES = ("correct", "changed", "replaced", "retract", "scrap", "typo", "update")


def corrections(folder: Path) -> list[dict[str, Any]]:
    """The conversations of a set whose note names a correction or a retraction."""
    conversations = json.loads((folder / "extraction.json").read_text())
    return [c for c in conversations if any(cue in c["note"].lower() for cue in CUES)]


def every(folder: Path) -> list[dict[str, Any]]:
    """Every conversation of a set."""
    return list(json.loads((folder / "extraction.json").read_text()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--details", action="store_true", help="print each miss")
    parser.add_argument("--set", choices=list(BLIND), help="a blind set instead (figures only)")
    args = parser.parse_args()
    if args.set and args.details:
        parser.error("--details would show the blind set's contents")
    model = embedder()
    right = total = 0
    sets = {args.set: BLIND[args.set]} if args.set else DEVELOPMENT
    for name, folder in sets.items():
        good = stale = kept = keep = 0
        found = every(folder) if args.set else corrections(folder)
        for conversation in found:
            facts = learned(model, conversation["messages"])
            bad = rejected(conversation, facts)
            missed = [
                k for k in conversation["keep"] if not any(k.lower() in f.lower() for f in facts)
            ]
            good += not bad and not missed
            stale += bool(bad)
            keep += len(conversation["keep"])
            kept += len(conversation["keep"]) - len(missed)
            if args.details and (bad or missed):
                print(f"  {name}: {conversation['messages']} -> {facts}")
        print(f"{name}: {good}/{len(found)} correction conversations keep the new value only")
        print(f"  facts to keep found: {kept}/{keep}; conversations with a rejected value: {stale}")
        right += good
        total += len(found)
    print(f"all {'blind' if args.set else 'development'} sets: {right}/{total} (target: every one)")


if __name__ == "__main__":
    main()
