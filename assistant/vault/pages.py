"""Generated pages (profile, people, topics, days): render them, and read back what the user
changed. Pure functions, no I/O.

A page is a title, sections of bullets that each end in a link to a memory note, and a
``## Your notes`` section that belongs to the user and is carried over word for word::

    # Anna
    ## Memories
    - My sister's name is Anna. · [[My sister's name is Anna|↗]]
    ## Your notes
    Anything written here stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import NoteError
from assistant.vault.notes import split_frontmatter

YOUR_NOTES = "## Your notes"
NOTES_HINT = "%% Write anything here: the assistant keeps it as it is. %%"
MAX_SHOWN = 300
_LINKED = re.compile(r"^\s*[-*+] (?P<text>.*) · \[\[(?P<stem>[^\]|#]+)(?:\|[^\]]*)?\]\]\s*$")
_BULLET = re.compile(r"^\s*[-*+] (?:\[[ xX]\] )?(?P<text>.+?)\s*$")
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Item:
    """One memory listed on a page."""

    memory_id: str
    stem: str
    """The memory note's file name without ``.md``: the link target."""
    text: str


@dataclass(frozen=True)
class Page:
    """A generated page before rendering."""

    path: Path
    """Vault-relative."""
    title: str
    properties: dict[str, Any]
    sections: list[tuple[str, list[Item]]]
    empty: str = "Nothing remembered here yet."
    summary: str = ""
    """A one-line digest shown under the title (regenerated on every write)."""

    @property
    def items(self) -> list[Item]:
        """Every listed memory, in page order."""
        return [item for _, items in self.sections for item in items]


@dataclass(frozen=True)
class PageText:
    """What a page on disk holds, as far as the assistant can tell."""

    linked: list[tuple[str, str]] = field(default_factory=list)
    """``(text, note name)`` of each bullet that links to a memory note."""
    unlinked: list[str] = field(default_factory=list)
    """Bullets without a link: facts the user added to the page."""
    added_under: dict[str, str] = field(default_factory=dict)
    """The heading each bullet without a link was added under (none before the first)."""
    own_lines: list[str] = field(default_factory=list)
    """Other lines the user wrote among the generated ones."""
    notes: str = ""
    """The ``Your notes`` section."""


SUMMARY = "> [!abstract] In short:"


def shown(text: str) -> str:
    """A memory's text as one bullet: whitespace collapsed, cut at ``MAX_SHOWN`` with "…"."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_SHOWN else line[: MAX_SHOWN - 1].rstrip() + "…"


def render_page(page: Page, notes: str = "") -> str:
    """The markdown of a page, with the user's notes section carried over."""
    properties = yaml.dump(
        page.properties, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000
    )
    lines = ["---", properties.rstrip("\n"), "---", f"# {page.title}", ""]
    if page.summary:
        lines += [f"{SUMMARY} {page.summary}", ""]
    for heading, items in page.sections:
        if not items:
            continue
        lines.append(f"## {heading}")
        lines += [f"- {item.text} · [[{item.stem}|↗]]" for item in items]
        lines.append("")
    if not page.items:
        lines += [f"*{page.empty}*", ""]
    lines.append(YOUR_NOTES)
    lines.append(notes.strip("\n") if notes.strip() else NOTES_HINT)
    return "\n".join(lines) + "\n"


def read_page(text: str, headings: set[str]) -> PageText:
    """Split a page as found on disk into linked bullets, added bullets, the user's own lines
    and their notes. ``headings`` are the section names the assistant writes."""
    try:
        _, body = split_frontmatter(text)
    except NoteError:
        body = text.replace("\r\n", "\n")
    # The heading may end the file without a newline after it.
    generated, _, notes = (body if body.endswith("\n") else body + "\n").partition(
        f"\n{YOUR_NOTES}\n"
    )
    out = PageText(notes=notes.strip("\n"))
    heading = ""
    for line in generated.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("# ") and stripped != "#":
            continue
        if stripped.startswith("## ") and stripped[3:].strip() in headings:
            heading = stripped[3:].strip()
            continue
        if stripped.startswith("*") and stripped.endswith("*") and not stripped.startswith("* "):
            continue  # the empty-page line
        if stripped == NOTES_HINT or stripped.startswith(SUMMARY):
            continue
        if m := _LINKED.match(line):
            out.linked.append((m.group("text").strip(), m.group("stem").strip()))
        elif m := _BULLET.match(line):
            out.unlinked.append(m.group("text"))
            if heading:
                out.added_under[m.group("text")] = heading
        else:
            out.own_lines.append(line)
    return out
