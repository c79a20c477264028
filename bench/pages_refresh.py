"""Generated pages over a 10k-memory vault: writing every page, then refreshing after one
memory changes (what happens after each learned fact).

python bench/pages_refresh.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import seeded_home, summary, synthetic_texts

from assistant import Assistant, Draft

TAGS = [
    "family",
    "work",
    "health",
    "travel",
    "food",
    "plans",
    "home",
    "friends",
    "money",
    "music",
    "sport",
    "books",
    "garden",
    "car",
    "school",
    "pets",
]
PEOPLE = ["Anna", "Tom", "Sam", "Lea", "Omar", "Mia", "Ravi", "Zoe", "Ben", "Ines"] * 3
COUNT = 10_000


def drafts() -> list[Draft]:
    """Memories as chat builds them: tagged, about people, learned over 200 days."""
    now = datetime.now(UTC)
    out = []
    for i, text in enumerate(synthetic_texts(COUNT)):
        person = f"{PEOPLE[i % len(PEOPLE)]}{i % 7 if i % 3 else ''}"
        out.append(
            Draft(
                text,
                type="identity" if i % 50 == 0 else "semantic",
                tags=[TAGS[i % len(TAGS)]],
                created_at=now - timedelta(days=i % 200, minutes=i),
                source="conversation",
                metadata={"people": [f"[[{person}]]"], "fact": "note"},
            )
        )
    return out


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-pages-")) / "home"
    # The synthetic texts are those of the seeded 10k home: reuse its embedding cache.
    shutil.copytree(seeded_home(COUNT) / "cache", home / "cache")
    try:
        with Assistant.open(home) as assistant:
            assistant.memories.add_many(drafts())
            assistant.memories.take_changed()
            started = time.perf_counter()
            report = assistant.refresh_pages(everything=True)
            print(
                f"all pages, {COUNT:,} memories: {len(report.written)} pages written in "
                f"{time.perf_counter() - started:.2f} s"
            )
            started = time.perf_counter()
            assistant.refresh_pages(everything=True, edited=None)
            print(f"all pages again, nothing changed: {time.perf_counter() - started:.2f} s")
            memories = assistant.memories.list(limit=20)
            millis = []
            for memory in memories:
                assistant.memories.update(memory.id, importance=min(10.0, memory.importance + 1))
                started = time.perf_counter()
                assistant.refresh_pages()
                millis.append((time.perf_counter() - started) * 1000)
            print(summary("refresh after one memory changed", millis))
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
