"""Shared helpers for the benchmarks: synthetic memories, seeded homes, percentiles."""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
os.environ.setdefault("ASSISTANT_MODEL_CACHE", str(ROOT / ".cache" / "models"))

NAMES = [
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Esra",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Luca",
    "Maya",
    "Nils",
    "Omar",
]
RELATIONS = ["sister", "brother", "friend", "colleague", "neighbour", "cousin", "manager", "aunt"]
PLACES = ["Lyon", "Berlin", "Osaka", "Lisbon", "Toronto", "Nairobi", "Oslo", "Lima", "Hanoi"]
ACTIVITIES = [
    "climbing",
    "baking sourdough",
    "playing chess",
    "running",
    "learning Spanish",
    "painting",
    "cycling",
    "birdwatching",
    "gardening",
    "playing the cello",
]
FOODS = ["peanuts", "shellfish", "gluten", "dairy", "sesame", "eggs", "soy", "kiwi"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "My {relation} {name} lives in {place} and loves {activity}.",
    "{name} is allergic to {food}, remember that for the dinner on {day}.",
    "I started {activity} with {name} on {day} number {n}.",
    "Meeting with {name} about the {place} project is on {day}, week {n}.",
    "{name} recommended a book about {activity}; edition {n}.",
    "I prefer {activity} over {activity2} on {day}s, noted {n}.",
]


def synthetic_texts(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct, varied memory texts."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        out.append(
            rng.choice(TEMPLATES).format(
                relation=rng.choice(RELATIONS),
                name=rng.choice(NAMES),
                place=rng.choice(PLACES),
                activity=rng.choice(ACTIVITIES),
                activity2=rng.choice(ACTIVITIES),
                food=rng.choice(FOODS),
                day=rng.choice(DAYS),
                n=n,
            )
        )
    return out


def queries(count: int, seed: int | None = None) -> list[str]:
    """Distinct queries, each with a number. Without a ``seed`` they are drawn afresh on every
    run from hundreds of thousands of possible queries: the seeded homes are reused and keep
    an embedding cache, which would otherwise answer for the model from the second run on."""
    rng = random.Random(seed)
    numbers = rng.sample(range(100, 10_000), count) if seed is None else range(count)
    shapes = [
        "where does my {relation} live {n}",
        "what is {name} allergic to {n}",
        "who do I go {activity} with {n}",
        "when is the meeting about {place} {n}",
        "book recommendation about {activity} {n}",
    ]
    return [
        rng.choice(shapes).format(
            relation=rng.choice(RELATIONS),
            name=rng.choice(NAMES),
            activity=rng.choice(ACTIVITIES),
            place=rng.choice(PLACES),
            n=n,
        )
        for n in numbers
    ]


def seeded_home(count: int) -> Path:
    """A home holding ``count`` synthetic memories, built once and reused."""
    from assistant import Assistant, Draft

    home = CACHE / f"home-{count}"
    done = home / ".seeded"
    if done.exists():
        return home
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    texts = synthetic_texts(count)
    started = time.perf_counter()
    with Assistant.open(home) as assistant:
        step = 2000
        for start in range(0, count, step):
            chunk = texts[start : start + step]
            assistant.memories.add_many(
                [Draft(t, importance=1 + (i % 10)) for i, t in enumerate(chunk)]
            )
            print(f"  seeded {min(start + step, count)}/{count}", file=sys.stderr, flush=True)
        assistant.vectors.compact()
    done.write_text(f"{time.perf_counter() - started:.1f}s\n")
    return home


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values``."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(label: str, millis: list[float]) -> str:
    """One printed line: p50 / p95 / mean in milliseconds."""
    return (
        f"{label}: p50 {percentile(millis, 50):.1f} ms, p95 {percentile(millis, 95):.1f} ms, "
        f"mean {statistics.fmean(millis):.1f} ms (n={len(millis)})"
    )
