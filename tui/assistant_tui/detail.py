"""The detail pane: a memory's text and properties at once, then (read in a worker) how
often it was used, the memories it links to and the exchange it was learned from."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from assistant import Assistant, Turn, Usage
from assistant.memory_types import Hit, Memory
from assistant.vault.notes import link_targets
from assistant_tui.text import plain

MAX_SHOWN_CHARS = 5000
"""A huge memory's text is cut here in the pane (the note and the editor have it all)."""


@dataclass(frozen=True)
class Row:
    """One listed memory, with its search hit when it came from a search."""

    memory: Memory
    hit: Hit | None = None


@dataclass(frozen=True)
class Link:
    """A memory one step away, and how it is related."""

    label: str
    memory: Memory


@dataclass(frozen=True)
class Extras:
    """What the pane shows after a read: usage, links and provenance."""

    usage: Usage
    links: tuple[Link, ...]
    source: tuple[Turn, ...]


def gather(assistant: Assistant, row: Row) -> Extras:
    """Read a memory's usage, links and source exchange (blocking: call from a worker)."""
    m = row.memory
    memories = assistant.memories
    wanted: list[tuple[str, str]] = [("replaces", old) for old in m.supersedes]
    for src, dst, kind in memories.index.links(m.id):
        if kind == "related":
            wanted.append(("related", dst if src == m.id else src))
        elif kind == "supersedes" and dst == m.id:
            wanted.append(("replaced by", src))
    stems = {
        "merged into": link_targets(m.metadata.get("merged_into")),
        "replaced by": link_targets(m.metadata.get("superseded_by")),
        "merged from": link_targets(m.metadata.get("merged_from")),
        "summarised in": link_targets(m.metadata.get("summary")),
        "summarises": link_targets(m.metadata.get("episodes")),
        "based on": link_targets(m.metadata.get("evidence")),
    }
    by_stem = memories.index.ids_by_stem(sorted({s for group in stems.values() for s in group}))
    for label, group in stems.items():
        wanted += [(label, by_stem[s]) for s in group if s in by_stem]
    if row.hit is not None and row.hit.via:
        wanted.append(("found through", row.hit.via))
    seen: dict[str, str] = {}
    for label, memory_id in wanted:
        if memory_id != m.id and memory_id not in seen:
            seen[memory_id] = label
    found = {x.id: x for x in memories.vectors.get_many(list(seen))}
    links = tuple(Link(label, found[i]) for i, label in seen.items() if i in found)
    source = tuple(assistant.conversations.source_of(m.metadata, m.text))
    return Extras(memories.usage(m.id), links, source)


def render(row: Row, extras: Extras | None = None, now: float | None = None) -> Text:
    """The pane's text for ``row``; ``extras`` once they are read (``now``: the clock, in
    epoch seconds, that "3 days ago" counts from)."""
    now = time.time() if now is None else now
    m = row.memory
    out = Text()
    cut = len(m.text) > MAX_SHOWN_CHARS
    out.append(plain(m.text[:MAX_SHOWN_CHARS]))
    if cut:
        out.append(f"… ({len(m.text):,} characters; e edits all of it)", style="dim")
    out.append("\n\n")
    if row.hit is not None:  # first: in a search, why it was found matters most
        out.append("why it was found\n", style="bold")
        out.append(row.hit.breakdown.explain() + "\n\n")
    people = ", ".join(str(p).strip("[]") for p in m.metadata.get("people", []) or [])
    props = [
        ("id", m.id),
        ("type", m.type.value),
        ("status", m.status.value),
        ("importance", f"{m.importance:g}" + (" (marked important)" if m.important else "")),
        ("tags", ", ".join(f"#{t}" for t in m.tags) or "—"),
        ("people", people or "—"),
        ("created", _when(m.created, now)),
        ("source", m.source),
        ("note", m.path.as_posix() if m.path else "—"),
    ]
    if extras is not None:
        used = extras.usage
        last = (
            _when(datetime.fromtimestamp(used.last_access).astimezone(), now)
            if used.last_access
            else "never"
        )
        props.append(("used", f"{used.access_count} time(s), last {last}"))
    for key, value in props:
        out.append(f"{key:<11}", style="bold")
        out.append(plain(str(value), 300) + "\n")
    if extras is None:
        return out
    if extras.links:
        out.append("\nlinks", style="bold")
        out.append("  (l opens one)\n", style="dim")
        for n, link in enumerate(extras.links, 1):
            mark = "" if link.memory.status.value == "active" else f" ({link.memory.status})"
            out.append(f"{n:>2}. {link.label}: ", style="dim")
            out.append(plain(link.memory.text, 70) + mark + "\n")
    if extras.source:
        out.append("\nlearned from\n", style="bold")
        for turn in extras.source:
            who = "you" if turn.role == "user" else "assistant"
            out.append(f"{who}: ", style="dim")
            out.append(plain(turn.text, 400) + "\n")
    elif m.metadata.get("conversation"):
        out.append("\nlearned from\n", style="bold")
        out.append(f"conversation {str(m.metadata['conversation'])[-8:]} (no longer logged)\n")
    return out


def _when(moment: datetime, now: float) -> str:
    local = moment.astimezone()
    days = (now - local.timestamp()) / 86400
    ago = "today" if days < 1 else f"{days:.0f} days ago" if days < 60 else ""
    return local.strftime("%Y-%m-%d %H:%M") + (f" ({ago})" if ago else "")
