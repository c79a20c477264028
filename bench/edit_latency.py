"""Edit-to-searchable latency: a note edited in the vault, found by search via the watcher.

python bench/edit_latency.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import seeded_home, summary

from assistant import Assistant


def main(edits: int = 20) -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-edit-")) / "home"
    shutil.copytree(seeded_home(1_000), home)
    try:
        with Assistant.open(home) as assistant:
            memories = assistant.memories
            assistant.watch_vault()
            notes = sorted(assistant.layout.note_files())[:edits]
            timings = []
            for n, note in enumerate(notes):
                marker = f"zebracorn{n}"
                note.write_text(note.read_text(encoding="utf-8").rstrip() + f" {marker}\n")
                started = time.perf_counter()
                while not any(
                    marker in h.memory.text for h in memories.search(marker, k=3, touch=False)
                ):
                    time.sleep(0.02)
                    if time.perf_counter() - started > 30:
                        raise SystemExit(f"edit {n} never became searchable")
                timings.append((time.perf_counter() - started) * 1000)
        print(summary("edit in the vault → searchable (1,000 notes, watcher)", timings))
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
