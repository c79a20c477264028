"""What taking in the vault's hand edits costs a command on a 10k-memory home.

python bench/catch_up.py [RUNS]

Prints the time of ``Assistant.catch_up`` with nothing changed and with one note edited by
hand, and the floor it compares with: a bare walk of the note folders that stats every file.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from common import seeded_home


def floor(roots: list[Path]) -> float:
    """Seconds for a walk that stats every file under ``roots``, doing nothing else."""

    def walk(folder: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            else:
                entry.stat()

    started = time.perf_counter()
    for root in roots:
        if root.is_dir():
            walk(str(root))
    return time.perf_counter() - started


def main(runs: int) -> None:
    from assistant import Assistant
    from assistant.vault.freshness import SLACK

    home = seeded_home(10_000)
    with Assistant.open(home) as assistant:
        assistant.catch_up()  # the first one may sync the whole vault
        idle, edited, walks = [], [], []
        note = next(assistant.layout.memories.rglob("*.md"))
        original = note.read_text(encoding="utf-8")
        layout = assistant.layout
        time.sleep(SLACK + 0.5)  # every note older than the moment's slack
        for _ in range(runs):
            walks.append(floor([layout.memories, layout.archive, layout.projects]))
            started = time.perf_counter()
            assistant.catch_up()
            idle.append(time.perf_counter() - started)
        for n in range(runs):
            note.write_text(original.rstrip("\n") + f" {n}\n", encoding="utf-8")
            started = time.perf_counter()
            assistant.catch_up()
            edited.append(time.perf_counter() - started)
            time.sleep(SLACK + 1.0)  # the pages refreshed after it are written meanwhile
        note.write_text(original, encoding="utf-8")
        assistant.catch_up()

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f})"

    print(f"catch-up, 10,000 notes, nothing changed: {ms(idle)}, n={runs}")
    print(f"catch-up, one note edited by hand: {ms(edited)}")
    print(f"floor, a walk of the same folders that stats every file: {ms(walks)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
