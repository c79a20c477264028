"""What a consolidation job looks at: the active memories, their vectors and usage, taken
once at the start of a job, and what a planned change says."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from assistant.memories import Memories
from assistant.memory_types import Memory, MemoryFilter, Status
from assistant.store.usage import Usage


class Stopped(Exception):
    """A job gave up because the user came back (nothing half-done is left behind)."""


T = TypeVar("T")

WATCH_EVERY = 512
"""Items a job's loop takes between two looks at whether the run must stop."""


def never() -> bool:
    """A stop condition that never holds."""
    return False


def watched(items: Iterable[T], stop: Callable[[], bool], every: int = WATCH_EVERY) -> Iterator[T]:
    """The items, looking at ``stop()`` before every ``every`` of them; raises
    :class:`Stopped` when it turns true."""
    for n, item in enumerate(items):
        if n % every == 0 and stop():
            raise Stopped
        yield item


@dataclass(frozen=True)
class Action:
    """One planned change, as ``consolidate --dry-run`` prints it."""

    job: str
    verb: str
    """``merge``, ``decay``, ``archive``, ``supersede``, ``review``, ``learn``, ``compact``,
    ``fix`` or ``refresh``."""
    ids: tuple[str, ...]
    """The memories it touches; the first is the one kept, where that applies."""
    summary: str


@dataclass
class StoreView:
    """Active memories with their unit vectors (row ``i`` of ``vectors`` is ``memories[i]``),
    their usage, and the time the view was taken."""

    memories: list[Memory]
    vectors: np.ndarray
    usage: dict[str, Usage]
    now: float = field(default_factory=time.time)

    @classmethod
    def of(
        cls, memories: Memories, now: float | None = None, stop: Callable[[], bool] = never
    ) -> StoreView:
        """The active memories of the store now, read in chunks; raises :class:`Stopped`
        when ``stop()`` turns true."""
        ids = memories.vectors.ids(MemoryFilter(statuses=(Status.ACTIVE,)))
        active: list[Memory] = []
        for start in range(0, len(ids), 1000):
            if stop():
                raise Stopped
            active += memories.vectors.get_many(ids[start : start + 1000])
        ids = [m.id for m in active]
        return cls(
            active,
            memories.vectors.vectors_of(ids),
            memories.index.usage(ids),
            time.time() if now is None else now,
        )

    def last_used(self, memory: Memory) -> float:
        """When the memory was last retrieved, else when it was created (epoch seconds)."""
        seen = self.usage.get(memory.id, Usage()).last_access or 0.0
        return max(seen, memory.created.timestamp())

    def access_count(self, memory: Memory) -> int:
        """How many times the memory was retrieved."""
        return self.usage.get(memory.id, Usage()).access_count


def link(memory: Memory) -> str:
    """An Obsidian link to a memory's note (its id when it has no note yet)."""
    return f"[[{memory.path.stem}]]" if memory.path is not None else memory.id


def short(text: str, limit: int = 70) -> str:
    """One line of a memory's text for a summary."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def nearest(
    view: StoreView,
    k: int,
    *,
    among: np.ndarray | None = None,
    stop: Callable[[], bool] = never,
) -> Iterator[tuple[int, int, float]]:
    """``(i, j, cosine)`` for each memory ``i`` and its ``k`` nearest others ``j`` (only rows
    where ``among`` is true take part), a block of rows at a time; raises :class:`Stopped`
    between blocks when ``stop()`` turns true."""
    count = len(view.memories)
    k = min(k, count - 1)
    if k < 1:
        return
    for start in range(0, count, 256):
        if stop():
            raise Stopped
        block = view.vectors[start : start + 256] @ view.vectors.T
        if among is not None:
            block[:, ~among] = -1.0
        for row, scores in enumerate(block):
            i = start + row
            if among is not None and not among[i]:
                continue
            scores[i] = -1.0
            for j in np.argpartition(-scores, k - 1)[:k]:
                yield i, int(j), float(scores[j])
