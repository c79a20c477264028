"""Settling a review item: keep new, keep old, both true, or merge into one."""

from __future__ import annotations

from assistant.consolidation.contradictions import replace_older
from assistant.consolidation.view import link, short
from assistant.errors import InvalidInputError
from assistant.memories import Change, Draft, Memories
from assistant.memory import Memory, Status
from assistant.store.reviews import Resolution, ReviewItem, ReviewQueue


def merged_text(old: Memory, new: Memory) -> str:
    """The default text of a merge: the older statement, then the newer one."""
    first = old.text.strip()
    if first and first[-1] not in ".!?":
        first += "."
    return f"{first} {new.text.strip()}"


def settle(
    memories: Memories,
    queue: ReviewQueue,
    item: ReviewItem,
    resolution: Resolution,
    text: str | None = None,
) -> str:
    """Apply the user's decision and close the item; returns what was done, in words.
    ``text`` is the merged memory's text (default: both statements)."""
    new, old = memories.get(item.new_id), memories.get(item.old_id)
    if resolution is Resolution.KEEP_NEW:
        replace_older(memories, new, old, "you chose the newer one")
        done = f"Kept “{short(new.text)}”; the older one is kept as replaced."
    elif resolution is Resolution.KEEP_OLD:
        memories.update_many(
            {new.id: Change(metadata={"rejected_for": link(old)})}, verb="rejected"
        )
        memories.forget(new.id)
        done = f"Kept “{short(old.text)}”; the newer one is archived (restorable)."
    elif resolution is Resolution.BOTH:
        done = "Kept both; I will not ask about them again."
    elif resolution is Resolution.MERGE:
        body = (text or merged_text(old, new)).strip()
        if not body:
            raise InvalidInputError("a merged memory needs some text")
        merged = memories.add_many(
            [
                Draft(
                    body,
                    type=old.type,
                    importance=max(old.importance, new.importance),
                    tags=tuple(dict.fromkeys((*old.tags, *new.tags))),
                    important=old.important or new.important,
                    source="user",
                    supersedes=(old.id, new.id),
                    metadata={"merged_from": [link(old), link(new)]},
                )
            ]
        )[0]
        target = link(merged)
        memories.update_many(
            {
                m.id: Change(status=Status.SUPERSEDED, metadata={"superseded_by": target})
                for m in (old, new)
                if m.status is not Status.SUPERSEDED
            },
            verb="merged",
        )
        done = f"Merged into “{short(merged.text)}”."
    else:  # pragma: no cover - the enum is exhaustive
        raise InvalidInputError(f"unknown resolution {resolution!r}")
    queue.resolve(item.id, resolution)
    return done
