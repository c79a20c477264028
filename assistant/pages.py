"""The linked side of the vault: pages generated from the memories so that Obsidian shows a
navigable set of pages — the user's profile (``Identity.md``), one page per person, per topic (tag)
and per day, each listing the memories behind it with links to their notes.

Pages are rewritten when the memories they list change. They are read before every rewrite:
a bullet the user edited changes that memory, a bullet added to the profile becomes an
identity fact, a bullet removed from the profile forgets that fact (restorable), and anything
else the user wrote is kept under ``## Your notes``, which the assistant never touches.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.learning.extract import RELATIONS
from assistant.learning.kinds import kinds_said
from assistant.memories import Memories
from assistant.memory_types import Memory, MemoryType, Status
from assistant.store.pages_index import PageIndex, PageRecord
from assistant.vault.files import note_title, write_atomic
from assistant.vault.layout import VaultLayout
from assistant.vault.notes import checksum, link_targets
from assistant.vault.pages import (
    NOTES_HINT,
    Item,
    Page,
    PageText,
    read_page,
    render_page,
    shown,
)

log = logging.getLogger(__name__)

MAX_ITEMS = 500
"""Most memories listed on one topic page (the most important first)."""

PROFILE_SECTIONS = (
    "Name",
    "Family and friends",
    "Pets",
    "Work",
    "Home",
    "Health",
    "Preferences",
    "Other",
)
SECTION_TAGS = {
    "Family and friends": ("family",),
    "Pets": ("pets",),
    "Work": ("work",),
    "Home": ("home",),
    "Health": ("health",),
    "Preferences": ("preferences",),
}
"""The tags a fact added under a profile heading takes, so that it stays under it."""
PETS = frozenset(
    {
        "dog",
        "cat",
        "puppy",
        "kitten",
        "pet",
        "rabbit",
        "bunny",
        "hamster",
        "guinea pig",
        "horse",
        "pony",
        "parrot",
        "bird",
        "fish",
        "tortoise",
        "turtle",
        "snake",
        "lizard",
        "ferret",
    }
)
"""Relations (``relation:cat``) that are animals, listed under Pets rather than people."""
PAGE_SECTIONS = {*PROFILE_SECTIONS, "Memories", "Earlier", "Learned", "Replaced"}


@dataclass
class PagesReport:
    """What one refresh or edit pass did."""

    written: list[Path] = field(default_factory=list)
    edits: list[str] = field(default_factory=list)
    """One line per change made to a memory from a page edit."""
    removed: list[Path] = field(default_factory=list)
    """Pages deleted: no memory was left for them and the user wrote nothing on them."""


class PageWriter:
    """Keeps the generated pages in step with the memories, and the memories with the pages.

    Usage::

        pages = PageWriter(assistant.memories, assistant.layout, PageIndex(assistant.db))
        pages.refresh()                     # every page
        pages.refresh(memories.take_changed())  # only pages listing those memories
    """

    def __init__(self, memories: Memories, layout: VaultLayout, index: PageIndex) -> None:
        self.memories = memories
        self.layout = layout
        self.index = index

    # -- memories → pages ---------------------------------------------------------------------

    def refresh(
        self, changed: Iterable[str] | None = None, pages: Iterable[Path] = ()
    ) -> PagesReport:
        """Rewrite the pages that list any of the ``changed`` memory ids, and ``pages`` (all
        pages when ``changed`` is None). Edits the user made on those pages are applied to
        the memories first, so each page is written once, already showing them."""
        report = PagesReport()
        ids = None if changed is None else set(changed)
        also = {p.as_posix() for p in pages}
        if ids is not None and not ids and not also:
            return report
        records = self.index.all()
        identity = self.layout.relative(self.layout.identity).as_posix()
        candidates = (
            also
            | {identity}
            | {path for path, record in records.items() if ids is None or record.lists(ids)}
        )
        kept: dict[str, list[str]] = {}
        edited = self._edited(candidates, records)
        for path, text in edited.items():
            edits, kept[path] = self._apply(
                Path(path), read_page(text, PAGE_SECTIONS), records.get(path)
            )
            report.edits += edits
        if ids is not None and report.edits:
            ids |= self.memories.take_changed()
        listed = (Status.ACTIVE, Status.SUPERSEDED)
        wanted: set[str] | None = None
        if ids is not None:
            wanted = also | set(edited)  # a page whose edits were applied is rewritten
            wanted |= {path for path, record in records.items() if record.lists(ids)}
            for memory in self.memories.vectors.get_many(sorted(ids)):
                if memory.status in listed:
                    wanted |= page_paths(memory, self.layout)
            if not wanted:  # no page lists them, nor would: nothing to read or write
                return report
        everything = self.memories.list(statuses=list(listed))
        planned = {p.path.as_posix(): p for p in plan(everything, self.layout, wanted)}
        affected = set(planned) | (set(records) if wanted is None else wanted)
        written = []
        for path in sorted(affected):
            page = planned.get(path)
            if page is None and path != identity and self._remove(Path(path), kept.get(path)):
                report.removed.append(Path(path))
                continue
            page = page or _emptied(path, self.layout)
            fresh = self._write(page, records.get(path), kept.get(path, []), report)
            if fresh is not None:
                written.append(fresh)
        self.index.remove([p.as_posix() for p in report.removed])
        self.index.put(written)
        return report

    def _remove(self, page: Path, kept: list[str] | None) -> bool:
        """Delete a page no memory is left for, unless the user wrote on it (then it stays,
        listing nothing, with their words). Whether it is gone."""
        full = self.layout.vault / page
        try:
            current = full.read_text(encoding="utf-8") if full.is_file() else ""
            found = read_page(current, PAGE_SECTIONS)
            own = _with_own_lines(found, bullets=True).strip()
            if kept or (own and own != NOTES_HINT):
                return False
            full.unlink(missing_ok=True)
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("page %s left as it is: %s", page, exc)
            return False
        return True

    def _write(
        self, page: Page, record: PageRecord | None, kept: list[str], report: PagesReport
    ) -> PageRecord | None:
        full = self.layout.vault / page.path
        try:
            current = full.read_text(encoding="utf-8") if full.is_file() else None
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("page %s left as it is: %s", page.path, exc)
            return None
        notes = ""
        if current is not None:
            profile = page.path == self.layout.relative(self.layout.identity)
            notes = _with_own_lines(read_page(current, PAGE_SECTIONS), bullets=not profile)
            notes = "\n".join([notes, *(f"- {t}" for t in kept)]).strip("\n")
        text = render_page(page, notes)
        if text != current:
            try:
                write_atomic(full, text)
            except AssistantError as exc:
                log.warning("page %s not written: %s", page.path, exc)
                return None
            report.written.append(page.path)
        digest = checksum(text.encode("utf-8"))
        if record is not None and record.checksum == digest:
            return None  # unchanged: its record stands
        items = {i.stem: (i.memory_id, i.text) for i in page.items}
        return PageRecord(page.path.as_posix(), digest, items)

    # -- pages → memories ---------------------------------------------------------------------

    def read_edits(self, paths: Iterable[Path] | None = None) -> PagesReport:
        """Apply what the user changed on these pages (vault-relative; every page written so
        far when None), then rewrite them and the pages listing the memories changed."""
        records = self.index.all()
        if paths is None:
            paths = [Path(p) for p in records] + [self.layout.relative(self.layout.identity)]
        edited = self._edited({p.as_posix() for p in paths}, records)
        return self.refresh(set(), [Path(p) for p in edited]) if edited else PagesReport()

    def _edited(self, paths: Iterable[str], records: dict[str, PageRecord]) -> dict[str, str]:
        """The text of each of these pages that changed on disk since the assistant wrote it
        (a page it cannot read is left alone)."""
        found = {}
        for path in sorted(paths):
            if not self.layout.is_page(Path(path)):
                continue
            try:
                text = (self.layout.vault / path).read_text(encoding="utf-8")
            except FileNotFoundError:
                continue  # deleted: regenerated on the next refresh if it still has memories
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("page %s not read: %s", path, exc)
                continue
            record = records.get(path)
            if record is None or checksum(text.encode("utf-8")) != record.checksum:
                found[path] = text
        return found

    def _apply(
        self, relative: Path, found: PageText, record: PageRecord | None
    ) -> tuple[list[str], list[str]]:
        """Apply one page's edits; returns the changes made and the profile bullets that
        could not become memories (kept as the user's notes)."""
        known = record.items if record else {}
        edits: list[str] = []
        resolved = self.memories.index.ids_by_stem([s for _, s in found.linked if s not in known])
        on_page: set[str] = set()
        for text, stem in found.linked:
            memory_id, was = known.get(stem, (resolved.get(stem, ""), ""))
            if not memory_id:
                continue
            on_page.add(memory_id)
            if was and text != was and not was.endswith("…") and text.strip():
                edits += self._do(
                    f"changed on {relative.stem}: {text}",
                    self.memories.update,
                    memory_id,
                    text=text,
                )
        if relative != self.layout.relative(self.layout.identity):
            return edits, []
        failed = []
        for text in found.unlinked:
            added = self._do(
                f"added from your profile: {text}",
                self.memories.add,
                text,
                type=MemoryType.IDENTITY,
                importance=7.0,
                tags=list(SECTION_TAGS.get(found.added_under.get(text, ""), ())),
                source="vault",
            )
            edits += added
            failed += [] if added else [text]
        for memory_id, text in known.values():
            if memory_id not in on_page:
                edits += self._do(
                    f"forgot (removed from your profile): {text}", self.memories.forget, memory_id
                )
        return edits, failed

    @staticmethod
    def _do(line: str, change: Any, *args: Any, **kwargs: Any) -> list[str]:
        try:
            change(*args, **kwargs)
        except AssistantError as exc:
            log.warning("page edit not applied (%s): %s", line, exc)
            return []
        log.info("%s", line)
        return [line]

    def profile_notes(self) -> str:
        """What the user wrote under ``Your notes`` on their profile page."""
        try:
            text = self.layout.identity.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""
        found = read_page(text, PAGE_SECTIONS)
        lines = [*found.own_lines, *found.notes.split("\n")]
        return "\n".join(
            line for line in lines if line.strip() and not line.strip().startswith("%%")
        ).strip()


def _with_own_lines(found: PageText, *, bullets: bool) -> str:
    """The user's notes plus what else they wrote on the page (bullets without a link too,
    except on the profile, where those became memories)."""
    extra = found.own_lines + ([f"- {t}" for t in found.unlinked] if bullets else [])
    if not extra:
        return found.notes
    moved = "\n".join(extra)
    return f"{found.notes}\n{moved}" if found.notes.strip() else moved


# -- which pages exist ------------------------------------------------------------------------


def plan(memories: list[Memory], layout: VaultLayout, wanted: set[str] | None = None) -> list[Page]:
    """The pages the memories call for (the profile, people, topics and days), or only those
    whose vault-relative paths are ``wanted``."""
    active = [m for m in memories if m.status is Status.ACTIVE and m.path is not None]
    replaced = [m for m in memories if m.status is Status.SUPERSEDED and m.path is not None]
    active.sort(key=lambda m: m.created, reverse=True)
    relations = _relations(active)  # read once for the profile and the people's pages
    pages = [_profile(active, layout, relations)]
    pages += _people(active, replaced, layout, wanted, relations)
    pages += _topics(active, layout, wanted)
    pages += _days(active, replaced, layout, wanted)
    return [p for p in pages if wanted is None or p.path.as_posix() in wanted]


def page_paths(memory: Memory, layout: VaultLayout) -> set[str]:
    """The vault-relative paths of the pages that list ``memory``."""
    paths: set[str] = set()
    if memory.status is Status.ACTIVE:
        if _profile_section(memory) is not None:
            paths.add(layout.relative(layout.identity).as_posix())
        paths |= {_topic_path(tag, layout) for tag in memory.tags}
        if memory.source == "conversation":
            paths.add(_day_path(memory.created, layout))
    elif memory.status is Status.SUPERSEDED:
        paths.add(_day_path(memory.updated, layout))
    if memory.status in (Status.ACTIVE, Status.SUPERSEDED):
        paths |= {_person_path(n, layout) for n in link_targets(memory.metadata.get("people"))}
    return paths


def _person_path(name: str, layout: VaultLayout) -> str:
    return layout.relative(layout.people / f"{person_page_name(name)}.md").as_posix()


def _topic_path(tag: str, layout: VaultLayout) -> str:
    return layout.relative(layout.topics / f"{topic_page_name(tag)}.md").as_posix()


def _day_path(moment: datetime, layout: VaultLayout) -> str:
    day = moment.astimezone().date()
    return layout.relative(layout.daily / f"{day.isoformat()}.md").as_posix()


def _item(memory: Memory) -> Item:
    assert memory.path is not None
    return Item(memory.id, memory.path.stem, shown(memory.text))


def _fact(memory: Memory) -> str:
    return str(memory.metadata.get("fact", ""))


def _relation(fact: str) -> str:
    """Who a ``relation:`` fact names (``cat`` for ``relation:cat``); empty for other facts."""
    return fact.split(":", 1)[1] if fact.startswith("relation:") else ""


_KINDS = rf"{RELATIONS}|{'|'.join(sorted(PETS, key=len, reverse=True))}"
_SIZE = r"(?:(?:little|big|older|younger|baby|twin|new|old|best|step)\s+)?"


def said_relation(name: str, text: str) -> str:
    """What ``name`` is to the user as ``text`` says it ("my sister Ana is a vet" → sister,
    "we have a cat called Miso" → cat, "Sam, my partner" → partner); empty when it says
    none. For facts the rules did not read as a relation."""
    who = re.escape(name)
    for pattern in (
        rf"\b(?:my|our)\s+{_SIZE}(?P<rel>{_KINDS})(?:['’]s name is|\s+is called|\s+is named|"
        rf"\s*,)?\s+{who}\b",
        rf"\b(?:a|an)\s+(?:[^\W\d_]+\s+)?(?P<rel>{_KINDS})\s*,?\s+(?:called|named)\s+{who}\b",
        rf"\b{who}\s*(?:,|\s+is)\s+(?:my|our)\s+{_SIZE}(?P<rel>{_KINDS})\b",
    ):
        found = re.search(pattern, text, re.IGNORECASE)
        if found:
            return found.group("rel").lower()
    return ""


def _relations(active: list[Memory]) -> dict[str, tuple[str, Memory]]:
    """Each person or pet the active memories name, with what they are to the user and the
    memory that says so (a ``relation:`` fact first, else the earliest that says it)."""
    found: dict[str, tuple[str, Memory]] = {}
    ruled: set[str] = set()
    for memory in sorted(active, key=lambda m: m.created):  # the one that introduced them
        for name in link_targets(memory.metadata.get("people")):
            relation = _relation(_fact(memory))
            if relation and name not in ruled:
                found[name] = (relation, memory)
                ruled.add(name)
            elif name not in found and (said := said_relation(name, memory.text)):
                found[name] = (said, memory)
    return found


def _profile_section(memory: Memory) -> str | None:
    fact, tags = _fact(memory), set(memory.tags)
    if fact in ("name", "nickname"):
        return "Name"
    if _relation(fact) in PETS or tags & {"pets", "pet"}:
        return "Pets" if memory.type is MemoryType.IDENTITY else None
    if fact.startswith(("relation:", "about:", "birthday:")) or "family" in tags:
        return "Family and friends" if memory.type is MemoryType.IDENTITY else None
    if fact in ("work", "job") or "work" in tags:
        return "Work" if memory.type is MemoryType.IDENTITY else None
    if fact in ("home", "timezone") or "home" in tags:
        return "Home" if memory.type is MemoryType.IDENTITY else None
    if fact.startswith("allergy:") or "health" in tags:
        return "Health" if memory.type is MemoryType.IDENTITY else None
    if fact.startswith(("likes:", "habit:")) or tags & {"preferences", "routine"}:
        return "Preferences"
    if memory.type is not MemoryType.IDENTITY:
        return None
    said = kinds_said(memory.text)  # a fact learned without a kind: "started my new job at aldi"
    return _KIND_SECTIONS[said[0]] if said else "Other"


_KIND_SECTIONS = {
    "pets": "Pets",
    "kids": "Family and friends",
    "partner": "Family and friends",
    "medication": "Health",
    "home": "Home",
    "work": "Work",
}
"""The profile heading of a fact by what its words say it is about
(:mod:`assistant.learning.kinds`), where its kind and tags give none."""


def _profile(
    active: list[Memory], layout: VaultLayout, relations: dict[str, tuple[str, Memory]]
) -> Page:
    sections: dict[str, list[Item]] = {name: [] for name in PROFILE_SECTIONS}
    for memory in active:
        section = _profile_section(memory)
        if section is not None:
            sections[section].append(_item(memory))
    listed = {item.memory_id for items in sections.values() for item in items}
    named = {
        name
        for memory in active
        if memory.id in listed
        for name in link_targets(memory.metadata.get("people"))
    }
    for name, (relation, memory) in relations.items():
        if name not in named and memory.id not in listed:  # "my sister Ana is a vet in Porto"
            sections["Pets" if relation in PETS else "Family and friends"].append(_item(memory))
            listed.add(memory.id)
    return Page(
        layout.relative(layout.identity),
        "Identity",
        {"tags": ["assistant/profile"], "aliases": ["Profile", "About me"]},
        [(name, items) for name, items in sections.items()],
        "Nothing about you yet. Add facts here as bullets, one per line.",
        profile_summary(sections),
    )


def profile_summary(sections: dict[str, list[Item]], limit: int = 320) -> str:
    """The profile in one line: the first facts of each section, most telling first."""
    picks = [
        ("Name", 1),
        ("Home", 1),
        ("Work", 1),
        ("Family and friends", 3),
        ("Pets", 1),
        ("Health", 2),
        ("Preferences", 3),
    ]
    parts = [item.text.rstrip(".") for name, n in picks for item in sections.get(name, [])[:n]]
    line = ""
    for part in parts:
        candidate = f"{line} · {part}" if line else part
        if len(candidate) > limit:
            break
        line = candidate
    return line


def person_page_name(name: str) -> str:
    """The file name (without ``.md``) of a person's page, also the link target."""
    return note_title(name)


def _people(
    active: list[Memory],
    replaced: list[Memory],
    layout: VaultLayout,
    wanted: set[str] | None,
    relations: dict[str, tuple[str, Memory]],
) -> list[Page]:
    current: dict[str, list[Memory]] = defaultdict(list)
    earlier: dict[str, list[Memory]] = defaultdict(list)
    relation = {name: said for name, (said, _) in relations.items()}
    for group, memories in ((current, active), (earlier, replaced)):
        for memory in memories:
            for name in link_targets(memory.metadata.get("people")):
                group[name].append(memory)
    replaced_by_id = {m.id: m for m in replaced}
    for memory in active:  # "Anna, not Ana": what was said of Ana is Anna's earlier past
        for old in filter(None, map(replaced_by_id.get, memory.supersedes)):
            for name in link_targets(memory.metadata.get("people")):
                if old not in earlier[name]:
                    earlier[name].append(old)
    pages = []
    for name, memories in current.items():
        path = Path(_person_path(name, layout))
        if wanted is not None and path.as_posix() not in wanted:
            continue
        pet = relation.get(name) in PETS
        properties: dict[str, Any] = {"tags": ["assistant/pet" if pet else "assistant/person"]}
        if name in relation:
            properties["relation"] = relation[name]
        pages.append(
            Page(
                path,
                name,
                properties,
                [
                    ("Memories", [_item(m) for m in memories]),
                    ("Earlier", [_item(m) for m in earlier.get(name, [])]),
                ],
            )
        )
    return pages


def topic_page_name(tag: str) -> str:
    """The file name (without ``.md``) of a tag's page: nested tags ``a/b`` become ``a - b``."""
    return note_title(tag.replace("/", " - "))


def _topics(active: list[Memory], layout: VaultLayout, wanted: set[str] | None) -> list[Page]:
    by_tag: dict[str, list[Memory]] = defaultdict(list)
    for memory in active:
        for tag in memory.tags:
            by_tag[tag].append(memory)
    pages = []
    for tag, memories in by_tag.items():
        path = _topic_path(tag, layout)
        if wanted is not None and path not in wanted:
            continue
        memories.sort(key=lambda m: (m.important, m.importance, m.created), reverse=True)
        pages.append(
            Page(
                Path(path),
                f"#{tag}",
                {"tags": ["assistant/topic", tag]},
                [("Memories", [_item(m) for m in memories[:MAX_ITEMS]])],
            )
        )
    return pages


def _days(
    active: list[Memory], replaced: list[Memory], layout: VaultLayout, wanted: set[str] | None
) -> list[Page]:
    learned: dict[date, list[Memory]] = defaultdict(list)
    changed: dict[date, list[Memory]] = defaultdict(list)
    for memory in active:
        if memory.source == "conversation":
            learned[memory.created.astimezone().date()].append(memory)
    for memory in replaced:
        changed[memory.updated.astimezone().date()].append(memory)
    pages = []
    for day in sorted(set(learned) | set(changed)):
        path = layout.relative(layout.daily / f"{day.isoformat()}.md")
        if wanted is not None and path.as_posix() not in wanted:
            continue
        items = sorted(learned.get(day, []), key=lambda m: m.created)
        pages.append(
            Page(
                path,
                day.strftime("%A %d %B %Y"),
                {"tags": ["assistant/daily"], "date": day},
                [
                    ("Learned", [_item(m) for m in items]),
                    ("Replaced", [_item(m) for m in changed.get(day, [])]),
                ],
            )
        )
    return pages


def _emptied(path: str, layout: VaultLayout) -> Page:
    """A page whose memories are all gone: kept (with the user's notes), listing nothing."""
    relative = Path(path)
    kind = relative.parent.name.lower() if relative.parent != Path(layout.root.name) else ""
    tag = {"people": "assistant/person", "topics": "assistant/topic", "daily": "assistant/daily"}
    title = relative.stem if kind else "Identity"
    return Page(relative, title, {"tags": [tag.get(kind, "assistant/profile")]}, [])
