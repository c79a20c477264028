"""Catch-up scan of a 10k-note vault with 100 notes edited by hand, and a full reindex.

python bench/vault_sync.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import seeded_home

from assistant import Assistant


def main() -> None:
    source = seeded_home(10_000)
    home = Path(tempfile.mkdtemp(prefix="bench-sync-")) / "home"
    shutil.copytree(source, home)
    try:
        with Assistant.open(home) as assistant:
            notes = sorted(assistant.layout.note_files())
            for note in notes[:100]:
                note.write_text(note.read_text(encoding="utf-8") + " (edited)\n", encoding="utf-8")
            started = time.perf_counter()
            report = assistant.memories.pending_changes()
            scanned = time.perf_counter() - started
            assistant.memories.sync(report)
            synced = time.perf_counter() - started
            print(
                f"catch-up, {len(notes):,} notes, {len(report.modified)} edited: "
                f"scan {scanned:.2f} s, scan + apply {synced:.2f} s"
            )
            started = time.perf_counter()
            result = assistant.memories.reindex()
            print(
                f"full reindex of {result.indexed:,} notes (embedding cache warm): "
                f"{time.perf_counter() - started:.1f} s"
            )
        shutil.rmtree(home / "cache")
        with Assistant.open(home) as assistant:
            started = time.perf_counter()
            result = assistant.memories.reindex()
            print(
                f"full reindex of {result.indexed:,} notes (no embedding cache): "
                f"{time.perf_counter() - started:.1f} s"
            )
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
