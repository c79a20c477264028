"""Settling a review item: for two memories that may contradict each other, keep new, keep
old, both true, or merge into one; for a memory archived by decay, restore it or dismiss."""

from __future__ import annotations

from assistant.consolidation.contradictions import replace_older
from assistant.consolidation.decay import importance_set
from assistant.consolidation.keep import given_importance
from assistant.consolidation.view import link, short
from assistant.errors import InvalidInputError, NotFoundError
from assistant.memories import Change, Draft, Memories
from assistant.memory_types import Memory, Status
from assistant.store.reviews import ARCHIVED, Resolution, ReviewItem, ReviewQueue

UNDO = (Resolution.RESTORE, Resolution.DISMISS)
"""The answers to a memory archived by decay."""


def open_items(memories: Memories, queue: ReviewQueue) -> list[ReviewItem]:
    """The items waiting for the user, oldest first. A memory archived by decay that is
    active again (restored in the browser, by ``assistant restore`` or by hand) or gone
    leaves the queue here, and so does a possible contradiction one of whose memories was
    forgotten or replaced since."""
    items = []
    for item in queue.open():
        if item.kind != ARCHIVED and not _both_active(memories, item):
            queue.resolve(item.id, Resolution.MOOT)
            continue
        if item.kind == ARCHIVED:
            try:
                back = memories.get(item.new_id).status is not Status.ARCHIVED
            except NotFoundError:
                queue.resolve(item.id, Resolution.DISMISS)
                continue
            if back:
                queue.resolve(item.id, Resolution.RESTORE)
                continue
        items.append(item)
    return items


def _both_active(memories: Memories, item: ReviewItem) -> bool:
    try:
        found = [memories.get(i) for i in (item.new_id, item.old_id) if i]
    except NotFoundError:
        return False
    return all(m.status is Status.ACTIVE for m in found)


def waiting(memories: Memories, queue: ReviewQueue) -> int:
    """How many possible contradictions wait for the user (the moot ones left out)."""
    return sum(item.kind != ARCHIVED for item in open_items(memories, queue))


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
    if item.kind == ARCHIVED:
        return _settle_archived(memories, queue, item, resolution)
    if resolution in UNDO:
        raise InvalidInputError(f"a possible contradiction cannot be answered {resolution}")
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


def _settle_archived(
    memories: Memories, queue: ReviewQueue, item: ReviewItem, resolution: Resolution
) -> str:
    """Restore a memory decay archived (with the importance it was given; decay leaves it in
    the store from then on) or leave it in the archive."""
    if resolution not in UNDO:
        raise InvalidInputError("a memory archived by decay can only be restored or dismissed")
    memory = memories.get(item.new_id)
    if resolution is Resolution.RESTORE:
        restored = memories.restore(memory.id)
        given = given_importance(restored)
        if given > restored.importance:
            when = importance_set(restored.updated.timestamp())
            memories.update_many(
                {restored.id: Change(importance=given, metadata=when)}, verb="restored"
            )
        done = f"Restored “{short(memory.text)}”."
    else:
        done = f"“{short(memory.text)}” stays in the archive."
    queue.resolve(item.id, resolution)
    return done
