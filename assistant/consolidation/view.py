"""What a consolidation job looks at: the active memories, their vectors and usage, taken
once at the start of a job, and what a planned change says."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.memories import Memories
from assistant.memory import Memory, MemoryFilter, MemoryType, Status
from assistant.store.usage import Usage


class Stopped(Exception):
    """A job gave up because the user came back (nothing half-done is left behind)."""


def never() -> bool:
    """A stop condition that never holds."""
    return False


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

    def of_type(self, kind: MemoryType) -> list[int]:
        """Positions of the memories of one type."""
        return [i for i, m in enumerate(self.memories) if m.type is kind]

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


def unit_rows(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)
