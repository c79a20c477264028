"""The user's lists (shopping, packing, to-do…): each is one memory, "Shopping list: eggs,
milk, flour.", whose items are added and taken off in plain words, with or without a model.

A list is the memory whose ``list`` property names it, or else the latest memory that reads as
that list ("My shopping list: eggs, milk, flour", "shopping list - eggs, milk"), which is then
kept as one. Its note is a memory like any other: edited in Obsidian, the list is what the note
says.

Usage::

    lists = Lists(assistant.memories)
    lists.add("shopping", ["cheese"])      # ListChange("shopping", ["eggs", …, "cheese"], …)
    lists.remove("shopping", ["milk"])
    lists.items("shopping")                # ["eggs", "flour", "cheese"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.list_requests import clean_item, list_name, split_items
from assistant.memories import Memories
from assistant.memory_types import Memory, MemoryType

MAX_ITEMS = 200
"""Most items one list holds; more are not added."""
MAX_LISTS = 100
"""Lists looked through for the one holding an item ticked off with no list named."""
SEARCHED = 10
_FOR = r"(?:\s+for\s+(?:the\s+)?[^\W\d_][\w' -]{0,30}?)?"
"""What a list is for, between its name and its items ("packing list for lisbon: …")."""
_HEAD = re.compile(rf"^.*?\blist{_FOR}\s*(?::|-|–|\bis\b)\s*", re.IGNORECASE)


@dataclass
class ListChange:
    """What a change did to a list."""

    name: str
    items: list[str]
    """The list's items after the change."""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Items asked to be taken off that the list did not hold."""
    memory: Memory | None = None


class Lists:
    """Reads and changes the user's lists, each kept as one memory."""

    def __init__(self, memories: Memories) -> None:
        self.memories = memories

    def items(self, name: str) -> list[str] | None:
        """The items of list ``name``; None when there is no such list."""
        found = self._find(name)
        return None if found is None else parse_items(found.text)

    def add(self, name: str, items: list[str]) -> ListChange:
        """Add ``items`` (those not already there) to list ``name``, making it if need be."""
        name = list_name(name)
        found = self._find(name)
        current = parse_items(found.text) if found is not None else []
        have = {i.casefold() for i in current}
        added: list[str] = []
        for item in (clean_item(i) for i in items):
            if item and item.casefold() not in have and len(current) < MAX_ITEMS:
                current.append(item)
                have.add(item.casefold())
                added.append(item)
        memory = self._write(name, current, found) if added or found is None else found
        return ListChange(name, current, added=added, memory=memory)

    def remove(self, name: str, items: list[str]) -> ListChange:
        """Take ``items`` off list ``name`` (in any case, with or without "the"/"some")."""
        name = list_name(name)
        found = self._find(name)
        current = parse_items(found.text) if found is not None else []
        removed: list[str] = []
        missing: list[str] = []
        for item in (clean_item(i) for i in items):
            match = next((c for c in current if _same(c, item)), None)
            if match is None:
                missing.append(item)
            else:
                current.remove(match)
                removed.append(match)
        memory = self._write(name, current, found) if removed and found is not None else found
        return ListChange(name, current, removed=removed, missing=missing, memory=memory)

    def clear(self, name: str) -> ListChange:
        """Take every item off list ``name``; the list stays, empty."""
        name = list_name(name)
        found = self._find(name)
        current = parse_items(found.text) if found is not None else []
        memory = self._write(name, [], found) if current and found is not None else found
        return ListChange(name, [], removed=current, memory=memory)

    def holding(self, items: list[str]) -> list[str]:
        """The names of the lists that hold every one of ``items`` ("rice": the shopping
        list), the latest edited first."""
        found = [
            m
            for m in self.memories.list(tags=("lists",), limit=MAX_LISTS)
            if m.metadata.get("list")
        ]
        return [
            str(m.metadata["list"])
            for m in sorted(found, key=lambda m: m.updated, reverse=True)
            if all(any(_same(kept, clean_item(i)) for kept in parse_items(m.text)) for i in items)
        ]

    def _find(self, name: str) -> Memory | None:
        name = list_name(name)
        query = f"{name} list"
        hits = self.memories.search(query, SEARCHED, touch=False)
        marked = [h.memory for h in hits if h.memory.metadata.get("list") == name]
        if marked:
            return max(marked, key=lambda m: m.updated)
        reads = [h.memory for h in hits if _reads_as(h.memory.text, name)]
        return max(reads, key=lambda m: m.updated) if reads else None

    def _write(self, name: str, items: list[str], found: Memory | None) -> Memory:
        """The list written as its note: one line, or a bullet a line where the user wrote
        it so; what they wrote below the items is kept."""
        block, below = _parts(found.text) if found is not None else ("", "")
        if items and re.search(r"(?m)^\s*[-*•]\s+\S", block):
            text = f"{name.capitalize()} list:\n" + "\n".join(f"- {i}" for i in items)
        else:
            text = f"{name.capitalize()} list: {', '.join(items) if items else '(empty)'}."
        if below:
            text = f"{text}\n\n{below}"
        if found is None:
            return self.memories.add(
                text,
                type=MemoryType.SEMANTIC,
                importance=5.0,
                tags=("lists",),
                metadata={"list": name},
            )
        return self.memories.update(found.id, text=text, metadata={"list": name})


def parse_items(text: str) -> list[str]:
    """The items a list's text holds: what follows "list:" (or "list -", "list is"), split at
    commas and "and"; none for "(empty)"."""
    rest = _parts(text)[0].rstrip(".")
    if rest.lower() in ("", "(empty)", "empty", "nothing"):
        return []
    return split_items(rest)


def _parts(text: str) -> tuple[str, str]:
    """What follows a list's head: its items' part (up to the first blank line, bullets and
    all) and what the note says below it, kept as it is ("Note to self: go on Saturday
    morning." is no item); ("", "") for a text with no list head."""
    head = _HEAD.match(text.strip())
    if head is None:
        return "", ""
    block, *below = re.split(r"\n\s*\n", text.strip()[head.end() :].strip(), maxsplit=1)
    return block.strip(), below[0].strip() if below else ""


def _same(kept: str, asked: str) -> bool:
    """Whether an item on the list is the one asked for ("eggs" and "egg" are)."""
    a, b = kept.casefold(), asked.casefold()
    return a == b or a.rstrip("s") == b.rstrip("s")


def _reads_as(text: str, name: str) -> bool:
    """Whether a memory's text reads as list ``name`` ("My shopping list: eggs, milk", "My
    packing list for lisbon: passport, charger")."""
    pattern = rf"^(?:my\s+|our\s+|the\s+)?{re.escape(name)}\s+list{_FOR}\s*(?::|-|–|is\b)"
    return re.match(pattern, text.strip(), re.IGNORECASE) is not None
