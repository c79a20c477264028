"""Keeping a fact someone else asserts (an outside agent) the way the learner keeps what the
user says: a repeat reinforces the stored memory, a newer fact of the same kind (where the user
lives, works, a name) supersedes the older one, anything else is a new memory.

Usage::

    kept = keep(memories, Draft("The user lives in Paris.", source="agent"))
    kept.action        # "remembered", "reinforced" or "corrected"
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.learning.extract import extract
from assistant.learning.learner import is_duplicate, same_kind
from assistant.memories import Draft, Memories
from assistant.memory_types import Memory


@dataclass(frozen=True)
class Kept:
    """What keeping a fact did."""

    action: str
    """``remembered`` (a new memory), ``reinforced`` (it repeated one) or ``corrected`` (it
    superseded an older fact of the same kind)."""
    memory: Memory
    """The memory that holds the fact now."""
    replaced: Memory | None = None
    """For ``corrected``: the older fact, kept as superseded."""


def keep(memories: Memories, draft: Draft, *, reinforced_by: str = "") -> Kept:
    """Store ``draft`` (its text already checked by the policy) unless it repeats a memory;
    ``reinforced_by`` is recorded among a reinforced memory's sources."""
    hits = memories.search(draft.text, 5, touch=False)
    duplicate = next((h for h in hits if is_duplicate(draft.text, h)), None)
    if duplicate is not None:
        memory = memories.reinforce(duplicate.memory.id, source=reinforced_by)
        return Kept("reinforced", memory)
    facts = extract(draft.text)
    if len(facts) != 1:
        return Kept("remembered", memories.add_many([draft])[0])
    # Recorded like a learned fact's, so that a newer fact of its kind replaces it in turn.
    draft = replace(draft, metadata={"fact": facts[0].kind, **(draft.metadata or {})})
    older = same_kind(facts[0], hits)
    if older is None:
        return Kept("remembered", memories.add_many([draft])[0])
    # The correction keeps what the user said about the older fact: its flag and importance.
    draft = replace(
        draft,
        important=draft.important or older.important,
        importance=max(draft.importance, older.importance),
    )
    new, old = memories.supersede(older.id, draft)
    return Kept("corrected", new, old)
