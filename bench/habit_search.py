"""How long consolidation takes to look for habits among many episodes, most of which form no
routine (a year or more of varied diary entries), with three real routines among them.

python bench/habit_search.py [SIZE ...]   (default 600 1500 3000)

Prints the median of three runs of ``find_patterns`` per size (embedding is not timed), how many
of the three routines yield a habit, and the habits found that are none of them (there should be
none: the diary episodes fall on days drawn at random). The floor it compares with:
one exact cosine pass over the same episodes (``vectors @ vectors.T``), which any search for
groups of alike episodes has to make at least once.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np
from common import NAMES, PLACES, RELATIONS, ROOT

from assistant.consolidation.patterns import find_patterns
from assistant.consolidation.view import StoreView
from assistant.memory_types import Memory, MemoryType
from assistant.models.minilm import MiniLMEmbedder

_DIARY = [
    "Had lunch with {name} at that place near {place} station, the soup was cold.",
    "Long call with my {relation} about {topic}, we didn't agree on much.",
    "Fixed the {thing} finally, took most of the afternoon.",
    "{name} came round and we ended up talking about {topic} until late.",
    "Rainy walk to the {shop}, forgot the {thing} anyway.",
    "Work was mostly {topic} today, three meetings about it.",
    "Watched a documentary about {place} with my {relation}.",
    "Bought a new {thing} for the flat, {name} helped carry it.",
    "My {relation} {name} sent photos from {place}.",
    "Dentist, then errands: {shop}, post office, back home by four.",
    "Couldn't sleep, read about {topic} until 2am.",
    "Cooked {dish} for {name}, turned out better than expected.",
]
_FILL = {
    "topic": [
        "the mortgage",
        "school places",
        "the election",
        "tax forms",
        "the garden fence",
        "holiday plans",
        "the car",
        "a new job",
        "the wedding",
        "Grandma's birthday",
    ],
    "thing": ["bike chain", "kitchen tap", "printer", "shelf", "boiler", "lamp", "desk chair"],
    "shop": ["bakery", "hardware shop", "pharmacy", "market", "bookshop", "corner shop"],
    "dish": ["risotto", "a curry", "lasagne", "dumplings", "fish pie", "a tagine"],
}
_ROUTINES = [
    (
        5,
        [
            "Climbing at the wall with Jess, sent the blue route.",
            "Bouldering session with Jess.",
            "Saturday climbing, my forearms are dead.",
            "Climbed with Jess, new overhang problems.",
        ],
    ),
    (
        1,
        [
            "Choir practice, we started the Fauré.",
            "Choir tonight, the altos were flat.",
            "Tuesday choir: long rehearsal for the concert.",
            "Sang at choir, Fauré again.",
        ],
    ),
    (
        6,
        [
            "Called mum after lunch, she's fine.",
            "Sunday call with mum, her hip is better.",
            "Phoned my mum, usual Sunday chat.",
            "Mum on the phone for an hour.",
        ],
    ),
]


def episodes(size: int, seed: int = 3) -> list[Memory]:
    """``size`` varied diary episodes over the last ``size / 3`` days, plus three routines of
    eight weeks each."""
    rng = random.Random(seed)
    now = datetime(2026, 6, 1, 20, tzinfo=UTC)
    out = []
    for n in range(size):
        fields = {k: rng.choice(v) for k, v in _FILL.items()}
        text = rng.choice(_DIARY).format(
            name=rng.choice(NAMES),
            place=rng.choice(PLACES),
            relation=rng.choice(RELATIONS),
            **fields,
        )
        created = now - timedelta(days=rng.uniform(0, max(size / 3, 30)))
        out.append(Memory(f"d{n}", text, MemoryType.EPISODIC, created=created, updated=created))
    monday = now - timedelta(days=now.weekday())
    for day, texts in _ROUTINES:
        for week in range(8):
            created = monday - timedelta(weeks=week + 1) + timedelta(days=day)
            text = texts[week % len(texts)]
            memory = Memory(
                f"r{day}-{week}", text, MemoryType.EPISODIC, created=created, updated=created
            )
            out.append(memory)
    return out


def main(sizes: list[int]) -> None:
    embedder = MiniLMEmbedder(ROOT / ".cache" / "models")
    for size in sizes:
        memories = episodes(size)
        vectors = np.asarray(embedder.embed([m.text for m in memories]), dtype=np.float32)
        view = StoreView(memories, vectors, {})
        timings, floor = [], []
        for _ in range(3):
            started = time.perf_counter()
            found = find_patterns(view, set(), embedder)
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            _ = vectors @ vectors.T
            floor.append(time.perf_counter() - started)
        routines = {m.id.split("-")[0] for p in found for m in p.evidence if m.id[0] == "r"}
        others = [p.text for p in found if not any(m.id[0] == "r" for m in p.evidence)]
        print(
            f"{size:>5,} episodes + 24 of routines: find_patterns median "
            f"{statistics.median(timings):.2f} s (floor, one cosine pass: "
            f"{statistics.median(floor) * 1000:.0f} ms); routines found "
            f"{len(routines)}/{len(_ROUTINES)}, other habits {len(others)} {others[:3]}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [600, 1500, 3000])
