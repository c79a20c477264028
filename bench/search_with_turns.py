"""Warm search and recall latency at 10k memories plus 10k evidence turns (query embedding
included), against the floor: search over the same 10k memories without any turn.

python bench/search_with_turns.py [MEMORIES] [TURNS]      defaults: 10000 10000

Search must be no slower with the turns beside the memories than the floor; recall (memories
and turns, what every answer runs) is printed beside it, and again for questions about time,
which also rank turns by how recently they were said.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import CACHE, NAMES, PLACES, queries, seeded_home, summary, synthetic_texts

from assistant import Assistant
from assistant.vault.conversations import ASSISTANT, USER, ConversationNotes, Said

TURNS_PER_SESSION = 20
REPLIES = [
    "Noted!",
    "Got it, thanks for telling me.",
    "How did that go?",
    "Oh no, what happened?",
    "That sounds lovely.",
    "Who else is coming?",
    "Good luck with it!",
]
OPENERS = ["ugh,", "so", "btw", "fyi", "honestly", "lol", "", "", ""]
TIME_WORDS = ["recently", "last week", "yesterday", "lately", "this morning"]


def turns_home(memories: int, turns: int) -> Path:
    """A copy of the seeded memory home with ``turns`` user turns in transcript notes, indexed
    as evidence; built once and reused."""
    home = CACHE / f"home-{memories}-turns-{turns}"
    done = home / ".seeded"
    if done.exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(seeded_home(memories), home)
    (home / ".seeded").unlink(missing_ok=True)
    rng = random.Random(3)
    texts = synthetic_texts(turns, seed=41)
    started = time.perf_counter()
    end = time.time()
    with Assistant.open(home) as assistant:
        evidence = assistant.memories.evidence  # opened empty, before there are transcripts
        notes = ConversationNotes(assistant.layout)
        for first in range(0, turns, TURNS_PER_SESSION):
            at = end - rng.uniform(0, 365) * 86_400
            said: list[Said] = []
            for text in texts[first : first + TURNS_PER_SESSION]:
                words = f"{rng.choice(OPENERS)} {text[0].lower()}{text[1:]}".strip()
                said += [Said(USER, at, words), Said(ASSISTANT, at + 1, rng.choice(REPLIES))]
                at += rng.uniform(30, 600)
            notes.append(f"bench{first // TURNS_PER_SESSION:05d}", said)
        indexed = evidence.rebuild()
        print(f"  indexed {indexed} turns", file=sys.stderr, flush=True)
    done.write_text(f"{time.perf_counter() - started:.1f}s\n")
    return home


def timed(run: Callable[[str], object], query: str) -> float:
    """Milliseconds of ``run(query)``."""
    started = time.perf_counter()
    run(query)
    return (time.perf_counter() - started) * 1000


def main(memories: int, turns: int) -> None:
    floor_home, home = seeded_home(memories), turns_home(memories, turns)
    rng = random.Random()
    about_time = [
        f"what did I say about {rng.choice(NAMES)} and {rng.choice(PLACES)} "
        f"{rng.choice(TIME_WORDS)} {n}"
        for n in rng.sample(range(100, 10_000), 200)
    ]
    asked = list(zip(queries(200), queries(200), queries(200), about_time, strict=True))
    # Both homes open at once and measured in turn, query by query: a busy moment on a shared
    # host slows the floor as much as the figures compared with it.
    with Assistant.open(floor_home) as plain, Assistant.open(home) as assistant:
        m = assistant.memories
        for query in queries(10, seed=1):  # warm-up: model, snapshots, connections
            plain.memories.search(query, k=10)
            m.recall(query, 10, turns=3)
        runs: dict[str, list[float]] = {"floor": [], "search": [], "recall": [], "time": []}
        for floor_q, search_q, recall_q, time_q in asked:
            runs["floor"].append(timed(lambda q: plain.memories.search(q, k=10), floor_q))
            runs["search"].append(timed(lambda q: m.search(q, k=10), search_q))
            runs["recall"].append(timed(lambda q: m.recall(q, 10, turns=3), recall_q))
            runs["time"].append(timed(lambda q: m.recall(q, 10, turns=3), time_q))
        count = m.evidence.index.count()
    print(summary(f"floor: warm search, {memories:,} memories, no turns", runs["floor"]))
    print(summary(f"warm search, {memories:,} memories + {count:,} turns", runs["search"]))
    print(summary(f"warm recall (memories + 3 turns), {count:,} turns", runs["recall"]))
    print(summary("warm recall, questions about time (turns by recency too)", runs["time"]))
    print("README figure for warm search at 10k memories: p95 24-40 ms on the reference host")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [10_000, 10_000][len(args) :]))
