"""The memory store API: add, search, get, update, forget, restore, reindex.

Every change is written to the vault note first (the truth), then to the indexes; a failure
between the two is repaired by ``reindex``. What the user said, turn by turn, is kept beside
the memories as evidence (:mod:`assistant.evidence`): ``recall`` returns both, labelled apart.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from assistant import paths
from assistant.errors import (
    AssistantError,
    InvalidInputError,
    NoteChangedError,
    NoteError,
    NotFoundError,
)
from assistant.events import Changed, ChangeFeed
from assistant.evidence import Evidence
from assistant.learning.dates import Span, asked_span, month_words, noted_spans
from assistant.learning.validate import only_asks
from assistant.memory_types import (
    Hit,
    ListOrder,
    Memory,
    MemoryFilter,
    MemoryType,
    Status,
    new_id,
    utcnow,
)
from assistant.models.base import Embedder, Matrix, query_vector
from assistant.models.interrupt import shielded
from assistant.projects.placement import favour, names_project, stays_global
from assistant.settings import Settings
from assistant.store import ranking
from assistant.store.base import Candidate, Vector, VectorIndex
from assistant.store.conversations import ConversationLog
from assistant.store.evidence import EvidenceIndex, EvidenceTurn, TurnHit
from assistant.store.notes_index import NoteIndex, NoteRow, note_row
from assistant.store.usage import Usage
from assistant.vault import sync
from assistant.vault.conversations import ConversationNotes
from assistant.vault.files import remove_stale_temp_files
from assistant.vault.note_files import NoteFiles
from assistant.vault.notes import CORE_KEYS, checksum
from assistant.vault.sync import SyncReport
from assistant.when import about_time

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_SCOPED: ContextVar[str | None] = ContextVar("project_scope", default=None)
E = TypeVar("E", bound=Enum)
MAX_DATED = 200
"""Facts dated in the months a question about days touches, read to find those on its days."""
ASKED_TURNS = 5
"""Turns searched beyond those asked for, to make up for the questions left out."""


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass(frozen=True)
class Draft:
    """A memory to add with :meth:`Memories.add_many`."""

    text: str
    type: MemoryType | str = MemoryType.SEMANTIC
    importance: float = 5.0
    tags: Sequence[str] = ()
    created_at: datetime | None = None
    metadata: Mapping[str, Any] | None = None
    important: bool = False
    emotion: float = 0.0
    entities: Sequence[str] = ()
    source: str = "user"
    supersedes: Sequence[str] = ()
    project: str | None = None
    """The project it belongs to: None for the one in use (:attr:`Memories.scope`), ``""``
    for none. A fact about the user in general stays global whatever this says."""


@dataclass(frozen=True)
class Change:
    """Changes to one memory for :meth:`Memories.update_many`; None leaves a field as it is.
    ``metadata`` keys are merged into the note's own."""

    text: str | None = None
    type: MemoryType | str | None = None
    importance: float | None = None
    tags: Sequence[str] | None = None
    important: bool | None = None
    metadata: Mapping[str, Any] | None = None
    status: Status | str | None = None
    supersedes: Sequence[str] | None = None


@dataclass(frozen=True)
class ReindexReport:
    """What a rebuild from the vault found."""

    indexed: int
    invalid: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0
    turns: int = 0
    """Conversation turns indexed as evidence."""


@dataclass(frozen=True)
class Recall:
    """What a question brings back: extracted memories and the user's own turns."""

    memories: list[Hit]
    turns: list[TurnHit]


class Memories:
    """The memory store of one home: vault notes plus their indexes."""

    def __init__(
        self,
        settings: Settings,
        notes: NoteFiles,
        index: NoteIndex,
        vectors: VectorIndex,
        embedder: Embedder,
    ) -> None:
        self.settings = settings
        self.notes = notes
        self.index = index
        self.vectors = vectors
        self.embedder = embedder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")
        self.changes = ChangeFeed()
        """Every change, published once (the pages and the vault's history follow it)."""
        self._changed: set[str] = set()
        self._changed_lock = threading.Lock()
        self._evidence: Evidence | None = None
        self._evidence_lock = threading.Lock()
        self.scope: Callable[[], str] = lambda: ""
        """The name of the project in use (``""``: none): new memories go into it and
        searches favour it. The assistant sets it to its projects' choice."""

    @property
    def evidence(self) -> Evidence:
        """Every user turn, kept as evidence (opened on first use; rebuilt from the vault's
        transcript notes when its index is missing)."""
        with self._evidence_lock:
            if self._evidence is None:
                index = EvidenceIndex(paths.lance_dir(self.settings.home), self.embedder.dim)
                notes = ConversationNotes(self.notes.layout)
                lock = paths.index_dir(self.settings.home) / ".transcripts.lock"
                self._evidence = Evidence(notes, index, self.embedder, lock=lock)
                if index.created and any(notes.notes()):
                    log.warning("evidence index missing; rebuilding it from the vault")
                    self._evidence.rebuild()
            return self._evidence

    def project_in_use(self) -> str:
        """The project new memories go into and searches favour: the one set by
        :meth:`scoped` on this thread, else :attr:`scope`'s."""
        chosen = _SCOPED.get()
        return self.scope() if chosen is None else chosen

    @contextlib.contextmanager
    def scoped(self, project: str | None) -> Iterator[None]:
        """Work in ``project`` (``""``: none; None: the one in use) on this thread, e.g. while
        learning from a message of a channel linked to a project."""
        token = _SCOPED.set(project)
        try:
            yield
        finally:
            _SCOPED.reset(token)

    def take_changed(self) -> set[str]:
        """Ids of the memories added or changed since the last call (for the pages that
        list them)."""
        with self._changed_lock:
            changed, self._changed = self._changed, set()
        return changed

    def _mark_changed(self, ids: Iterable[str]) -> None:
        with self._changed_lock:
            self._changed.update(ids)

    def _publish(self, verb: str, memories: Sequence[Memory]) -> None:
        """Tell the subscribers what happened to ``memories`` (one change each)."""
        self.changes.publish([Changed(verb, (m.id,), m.text) for m in memories])

    # -- writes -------------------------------------------------------------------------------

    def add(
        self,
        text: str,
        *,
        type: MemoryType | str = MemoryType.SEMANTIC,
        importance: float = 5.0,
        tags: Sequence[str] = (),
        created_at: datetime | None = None,
        metadata: Mapping[str, Any] | None = None,
        important: bool = False,
        emotion: float = 0.0,
        entities: Sequence[str] = (),
        source: str = "user",
    ) -> Memory:
        """Store one memory and return it (with its id and note path)."""
        draft = Draft(
            text,
            type,
            importance,
            tags,
            created_at,
            metadata,
            important,
            emotion,
            entities,
            source,
        )
        return self.add_many([draft])[0]

    def add_many(
        self, drafts: Iterable[Draft | str], on_progress: Progress | None = None
    ) -> list[Memory]:
        """Store many memories, embedding them in batches; all are validated before any write."""
        given = [d if isinstance(d, Draft) else Draft(d) for d in drafts]
        memories = [self._build(d) for d in given]
        if not memories:
            return []
        in_use = self.project_in_use() if any(d.project is None for d in given) else ""
        found: dict[str, Path | None] = {}
        folders = [
            self._folder(in_use if d.project is None else d.project, m, found)
            for d, m in zip(given, memories, strict=True)
        ]
        with self.index.hold():
            return self._write_new(memories, on_progress, folders)

    def _folder(self, project: str, memory: Memory, found: dict[str, Path | None]) -> Path | None:
        """Where a new memory's note goes: its project's folder, or None for its type's
        folder (no project, a fact about the user in general, a project gone). ``found``
        keeps the folders already looked for."""
        if not project or (
            stays_global(memory.type, memory.tags, memory.text)
            and not names_project(memory.text, project)  # "We use Postgres for Apollo"
        ):
            return None
        if project not in found:
            folder = self.notes.layout.project_dir(project)
            found[project] = folder if folder.is_dir() else None
            if found[project] is None:
                log.warning("project folder %s is gone; the memory stays global", project)
        return found[project]

    def _write_new(
        self,
        memories: list[Memory],
        on_progress: Progress | None,
        folders: Sequence[Path | None] = (),
    ) -> list[Memory]:
        texts = [m.text for m in memories]
        # Notes do not need the vectors: write them while the model embeds (it frees the GIL).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed") as pool:
            embedding = pool.submit(self.embedder.embed, texts) if len(texts) > 8 else None
            stored: list[tuple[Memory, str]] = []
            for done, memory in enumerate(memories, 1):
                folder = folders[done - 1] if folders else None
                stored.append(self.notes.write(memory, folder))
                if on_progress:
                    on_progress(done, len(memories))
            with shielded():  # the notes are written: index them even if a run is stopped
                vectors = embedding.result() if embedding else self.embedder.embed(texts)
        self._index(stored, vectors, new=True)
        written = [m for m, _ in stored]
        self._publish("remembered", written)
        log.info("added %d memories", len(written))
        return written

    def update(
        self,
        memory_id: str,
        *,
        text: str | None = None,
        type: MemoryType | str | None = None,
        importance: float | None = None,
        tags: Sequence[str] | None = None,
        important: bool | None = None,
        metadata: Mapping[str, Any] | None = None,
        status: Status | str | None = None,
        supersedes: Sequence[str] | None = None,
    ) -> Memory:
        """Change a memory's text or properties; the note is rewritten and re-indexed.

        The changes are applied to the note as it is on disk; if the user edits it at the
        same moment, their edit is read and the changes applied on top of it.
        """
        change = Change(text, type, importance, tags, important, metadata, status, supersedes)
        return self.update_many({memory_id: change})[0]

    def update_many(self, changes: Mapping[str, Change], *, verb: str = "updated") -> list[Memory]:
        """Apply many changes (memory id → :class:`Change`), re-indexing them in one batch.
        All changes are validated before any note is written."""
        checked = {memory_id: self._checked(change) for memory_id, change in changes.items()}
        done: list[tuple[Memory, str]] = []
        with self.index.hold():
            rows = self.index.rows(list(checked))
            try:
                for memory_id, change in checked.items():
                    done.append(self._write_change(memory_id, change, rows.get(memory_id)))
            finally:  # notes already written are indexed even when a later one fails
                self._publish(verb, [m for m, _ in done])
                self._reindex_many(done)
        return [m for m, _ in done]

    def _checked(self, change: Change) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if change.text is not None:
            out["text"] = clean_text(change.text, self.settings.max_text_chars)
        if change.type is not None:
            out["type"] = parse_type(change.type)
        if change.importance is not None:
            out["importance"] = check_range("importance", change.importance, 0, 10)
        if change.tags is not None:
            out["tags"] = clean_names(change.tags, strip="#")
        if change.important is not None:
            out["important"] = change.important
        if change.status is not None:
            out["status"] = parse_status(change.status)
        if change.supersedes is not None:
            out["supersedes"] = clean_names(change.supersedes)
        if change.metadata is not None:
            out["metadata"] = check_metadata(change.metadata)
        return out

    def _write_change(
        self, memory_id: str, checked: dict[str, Any], row: NoteRow | None = None
    ) -> tuple[Memory, str]:
        fields = dict(checked)
        extra = fields.pop("metadata", None)
        for attempt in range(3):
            current, digest = self._read(memory_id, row if attempt == 0 else None)
            merged = {**fields, "updated": utcnow()}
            if extra is not None:
                merged["metadata"] = {**current.metadata, **extra}
            try:
                return self.notes.write(replace(current, **merged), expected=digest)
            except NoteChangedError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def supersede(self, memory_id: str, draft: Draft) -> tuple[Memory, Memory]:
        """Replace a fact with a newer one: the new memory links to the old, which is kept
        with ``status: superseded`` and a link to its successor. Returns ``(new, old)``."""
        old = self.get(memory_id)
        project = old.project if draft.project is None else draft.project
        new = self.add_many(
            [replace(draft, supersedes=(*draft.supersedes, old.id), project=project)]
        )[0]
        return new, self.superseded_by(old.id, new)

    def superseded_by(self, memory_id: str, successor: Memory) -> Memory:
        """Mark a fact no longer true since ``successor`` was learned ("We've been together
        2 years." after "Ellie and I broke up."): kept with ``status: superseded`` and a link
        to it."""
        link = f"[[{successor.path.stem}]]" if successor.path else successor.id
        return self.update(memory_id, status=Status.SUPERSEDED, metadata={"superseded_by": link})

    def reinforce(
        self,
        memory_id: str,
        *,
        source: str = "",
        boost: float = 0.5,
        at_least: float = 0.0,
        important: bool = False,
        tags: Sequence[str] = (),
    ) -> Memory:
        """Count a repeated statement of a fact: importance up by ``boost`` (at most 10, and
        at least ``at_least``), the merged count and sources recorded in the note; the user
        confirming it is a use. ``important`` flags it, and ``tags`` are added to its own."""
        current = self.get(memory_id)
        count = int(current.metadata.get("merged_count", 1) or 1) + 1
        sources = list(current.metadata.get("sources", []) or [])
        if source and source not in sources:
            sources = [*sources, source][-20:]
        added = [t for t in clean_names(tags, strip="#") if t not in current.tags]
        updated = self.update(
            memory_id,
            importance=max(min(10.0, current.importance + boost), min(10.0, at_least)),
            important=True if important and not current.important else None,
            tags=[*current.tags, *added] if added else None,
            metadata={"merged_count": count, "sources": sources},
        )
        self.used([updated.id])
        return updated

    def repeat_of(
        self, text: str, type: MemoryType | str | None = MemoryType.SEMANTIC
    ) -> Memory | None:
        """The active memory of this ``type`` (of any, when None) that says exactly ``text``
        (as it would be stored), with or without a full stop at its end ("I love coffee" / "I
        love coffee.", as chat keeps it), in the project in use or global; None when there is
        none."""
        wanted = clean_text(text, self.settings.max_text_chars)
        bare = wanted.rstrip(".")
        kind = parse_type(type) if type is not None else None
        places = {"", self.project_in_use() or ""}
        for memory in self.vectors.get_many(self.vectors.with_text(wanted, bare, f"{bare}.")):
            if (
                memory.status is Status.ACTIVE
                and (kind is None or memory.type is kind)
                and memory.project in places
            ):
                return memory
        return None

    def used(self, memory_ids: Sequence[str], *, now: float | None = None) -> None:
        """Count memories as used: put into an answer, opened by the user, confirmed or
        pinned. Reinforcement counts these uses, and a memory's importance fades from its
        last one; a search hit alone is not a use. ``now``: epoch seconds (the clock's time
        when None)."""
        ids = list(dict.fromkeys(memory_ids))
        if ids:
            self.index.touch(ids, time.time() if now is None else now)

    def forget(self, memory_id: str) -> Memory:
        """Archive a memory: its note moves to ``Assistant/Archive/``; ``restore`` undoes it."""
        memory = self.get(memory_id)
        if memory.status is Status.ARCHIVED:
            return memory
        with self.index.hold():
            archived, digest = self.notes.archive(replace(memory, updated=utcnow()))
            forgotten = self._reindex_one(archived, digest)
        self._publish("forgot", [memory])
        return forgotten

    def forget_many(
        self, memory_ids: Iterable[str], *, metadata: Mapping[str, Any] | None = None
    ) -> list[Memory]:
        """Archive many memories (recording ``metadata`` in each note), re-indexed in one
        batch; ones already archived are left as they are."""
        extra = check_metadata(metadata or {})
        done: list[tuple[Memory, str]] = []
        with self.index.hold():
            try:
                for memory_id in memory_ids:
                    memory = self.get(memory_id)
                    if memory.status is Status.ARCHIVED:
                        continue
                    record = replace(
                        memory, updated=utcnow(), metadata={**memory.metadata, **extra}
                    )
                    done.append(self.notes.archive(record))
            finally:
                self._publish("archived", [m for m, _ in done])
                self._reindex_many(done)
        return [m for m, _ in done]

    def restore(self, memory_id: str) -> Memory:
        """Bring an archived memory back to its type folder as active; a replaced one is
        active again too (what replaced it was wrong: "Bracken is 1000 now"). One that a
        consolidation merged into another is kept apart from it (``kept_apart``): no later
        run merges the two again."""
        memory = self.get(memory_id)
        if memory.status is Status.SUPERSEDED:
            with self.index.hold():
                current, digest = self._read(memory.id)
                gone = ("superseded_by", "merged_into")
                kept = {k: v for k, v in current.metadata.items() if k not in gone}
                if merged := current.metadata.get("merged_into"):
                    apart = [str(a) for a in current.metadata.get("kept_apart", []) or []]
                    kept["kept_apart"] = [*apart, str(merged)]
                fresh = replace(current, status=Status.ACTIVE, metadata=kept, updated=utcnow())
                back = self._reindex_one(*self.notes.write(fresh, expected=digest))
            self._publish("restored", [memory])
            return back
        if memory.status is not Status.ARCHIVED:
            return memory
        with self.index.hold():
            restored, digest = self.notes.restore(replace(memory, updated=utcnow()))
            back = self._reindex_one(restored, digest)
        self._publish("restored", [memory])
        return back

    def reload(self, memory_id: str) -> Memory:
        """Re-read a memory's note after it was edited by hand, and re-index it."""
        row = self.index.get(self.resolve_id(memory_id))
        assert row is not None
        memory, digest = self.notes.read(Path(row.path))
        return self._reindex_one(memory, digest)

    # -- reads --------------------------------------------------------------------------------

    def get(self, memory_id: str) -> Memory:
        """The memory as its note says now. Accepts a unique id prefix."""
        return self._read(memory_id)[0]

    def get_many(self, memory_ids: Sequence[str]) -> list[Memory]:
        """Memories by full id as their notes say now (one index query for all); ids without
        a note are skipped."""
        rows = self.index.rows(memory_ids)
        found = []
        for memory_id in memory_ids:
            row = rows.get(memory_id)
            if row is not None:
                with contextlib.suppress(NotFoundError, NoteError):
                    found.append(self._read(memory_id, row)[0])
        return found

    def _read(self, memory_id: str, row: NoteRow | None = None) -> tuple[Memory, str]:
        row = row or self.index.get(memory_id) or self.index.get(self.resolve_id(memory_id))
        assert row is not None
        full_id = row.id
        try:
            memory, digest = self.notes.read(Path(row.path))
        except NotFoundError as exc:
            raise NotFoundError(
                f"memory {full_id}: its note {row.path} no longer exists (deleted or moved by "
                "hand); run `assistant vault sync`"
            ) from exc
        if memory.id != full_id:
            raise NoteError(f"{row.path} now holds memory {memory.id}; run `assistant vault sync`")
        return memory, digest

    def resolve_id(self, memory_id: str) -> str:
        """The full id for an id, or a unique start or end of one (at least 6 characters)."""
        memory_id = memory_id.strip()
        if not memory_id:
            raise InvalidInputError("no memory id given")
        if self.index.get(memory_id) is not None:
            return memory_id
        matches = self.index.find_prefix(memory_id) if len(memory_id) >= 6 else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InvalidInputError(f"{memory_id!r} matches several memories; give more of the id")
        if len(memory_id) < 6:
            raise InvalidInputError(
                f"{memory_id!r} is too short to name a memory; give at least 6 characters of its id"
            )
        raise NotFoundError(f"no memory with id {memory_id!r}")

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        types: Sequence[MemoryType | str] = (),
        tags: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        include_superseded: bool = False,
        include_archived: bool = False,
        where: MemoryFilter | None = None,
        touch: bool = False,
        now: float | None = None,
        project: str | None = None,
        vector: Vector | None = None,
    ) -> list[Hit]:
        """The ``k`` best memories for ``query``, each with its score breakdown.

        Hybrid candidates (exact vector + BM25) are re-ranked by relevance, recency (which
        weighs in when the question is about time or recent things), decayed importance,
        reinforcement and the important flag, then near-duplicates are pushed down with MMR.
        A search hit is not a use: pass ``touch`` when every result is used, or call
        :meth:`used` for those that are. A ``where`` filter, when given, replaces the other
        filter arguments. ``now`` (epoch seconds, the clock's time when None) is the moment
        recency and importance fade to. ``project`` (None: the one in use, ``""``: none)
        limits the search to that project's memories and the global ones, the project's
        ranked first among about equally relevant ones; a ``where`` naming projects wins.
        """
        query = clean_text(query, self.settings.max_text_chars, what="query")
        if k < 1:
            raise InvalidInputError("k must be at least 1")
        if where is None:
            statuses = [Status.ACTIVE]
            statuses += [Status.SUPERSEDED] if include_superseded else []
            statuses += [Status.ARCHIVED] if include_archived else []
            where = MemoryFilter(
                types=tuple(parse_type(t) for t in types),
                tags=clean_names(tags, strip="#"),
                since=since,
                until=until,
                statuses=tuple(statuses),
            )
        scope = self.project_in_use() if project is None else project
        if scope and not where.projects:
            where = replace(where, projects=(scope, ""))
        weights = self.settings.retrieval
        limit = max(weights.candidates, k * 3)
        if vector is None:
            vector = self.embedder.embed([query])[0]
        candidates = self.vectors.search(vector, query, limit=limit, where=where)
        now = time.time() if now is None else now
        dated = self._dated(query, vector, where, now)  # "what have I got on next week?"
        on_days = {c.id for c in dated}
        candidates = [c for c in candidates if c.id not in on_days] + dated
        # The links of every candidate (for the one-hop expansion) are read while they are
        # ranked: the results are among them.
        links = (
            self._pool.submit(self.index.neighbours, [c.id for c in candidates])
            if weights.link_damping and candidates
            else None
        )
        usage = self.index.usage([c.id for c in candidates])
        scored = ranking.score(candidates, usage, now, weights, about_time=about_time(query))
        if scope and "" in where.projects:
            members = set(self.vectors.ids(replace(where, projects=(scope,))))
            scored = favour(scored, members)
        picked = ranking.mmr(scored, k, weights.mmr_lambda, weights.mmr_similarity_floor)
        if on_days:  # the facts dated in the days asked about come first, soonest first
            order = {c.id: n for n, c in enumerate(dated)}
            first = sorted(
                (s for s in scored if s.candidate.id in on_days),
                key=lambda s: order[s.candidate.id],
            )
            rest = [s for s in picked if s.candidate.id not in on_days]
            picked = (first + rest)[:k]
        ids = [s.candidate.id for s in picked]
        memories = self.vectors.get_many(ids)
        hits = [
            Hit(
                memory=memory,
                score=s.breakdown.total,
                breakdown=s.breakdown,
                access_count=usage.get(memory.id, Usage()).access_count,
                dated=memory.id in on_days,
            )
            for s, memory in zip(picked, memories, strict=True)
        ]
        if links is not None and hits:
            hits = self._expand(hits, links.result(), k, where, weights.link_damping)
        if touch:
            self.used([h.memory.id for h in hits], now=now)
        return hits

    def _dated(
        self, query: str, vector: Vector, where: MemoryFilter, now: float
    ) -> list[Candidate]:
        """The facts dated within the days ``query`` asks about, soonest first; none when it
        asks about no day ("what have I got on next week?" asks about seven)."""
        span = asked_span(query, datetime.fromtimestamp(now).date())
        if span is None:
            return []
        found = self.vectors.containing(
            vector,
            [w for m in month_words(span) for w in (m, m.lower())],  # "12 june 2027" too
            where=where,
            limit=MAX_DATED,
        )
        texts = {m.id: m.text for m in self.vectors.get_many([c.id for c in found])}
        on: dict[str, date] = {}
        for candidate in found:
            days = [s for s in noted_spans(texts.get(candidate.id, "")) if _overlaps(s, span)]
            if days:
                on[candidate.id] = min(s[0] for s in days)
        return sorted((c for c in found if c.id in on), key=lambda c: on[c.id])

    def recall(
        self,
        query: str,
        k: int = 10,
        *,
        turns: int = 3,
        touch: bool = False,
        now: float | None = None,
        project: str | None = None,
        vector: Vector | None = None,
    ) -> Recall:
        """The ``k`` best memories for ``query`` and the ``turns`` conversation turns in which
        the user said the most relevant things, labelled apart (a turn is not a memory).
        ``vector``: the query's embedding, when the caller has it (a quicker query model's
        for a search the user asked for, see :func:`~assistant.models.base.query_vector`)."""
        if vector is None:
            vector = self.embedder.embed([query])[0]
        hits = self.search(query, k, touch=touch, now=now, project=project, vector=vector)
        try:
            said = self.said(query, turns, now=now, vector=vector)
        except AssistantError as exc:  # the memories still answer
            log.warning("conversation turns not searched: %s", exc)
            said = []
        return Recall(hits, said)

    def query_vector(self, query: str) -> Vector:
        """``query``'s embedding by the quicker query model, for a search the user asked for
        (:meth:`search`, :meth:`said` and :meth:`recall` take it as ``vector``); the learning
        paths search with the full model's, which their thresholds were set on."""
        return query_vector(
            self.embedder, clean_text(query, self.settings.max_text_chars, what="query")
        )

    def said(
        self, query: str, k: int = 3, *, now: float | None = None, vector: Vector | None = None
    ) -> list[TurnHit]:
        """The ``k`` conversation turns in which the user said what is most relevant to
        ``query`` (a turn that only asks is none), best first: by relevance, and by recency
        too when the question is about time or recent things (``now``: epoch seconds, the
        clock's time when None)."""
        if k < 1:
            return []
        query = clean_text(query, self.settings.max_text_chars, what="query")
        weights = self.settings.retrieval
        recency = weights.weight_recency_time if about_time(query) else 0.0
        found = self.evidence.search(
            query,
            k + ASKED_TURNS,
            semantic_share=weights.semantic_share,
            floor=weights.min_relevance,
            recency=recency,
            half_life_days=weights.recency_half_life_days,
            now=time.time() if now is None else now,
            vector=vector,
        )
        # A question the user asked ("what did I say about the plumber?") tells nothing, and
        # asked again it would fill the places of the turns that do.
        return [t for t in found if not only_asks(t.turn.text)][:k]

    def forget_turn(self, turn: str) -> EvidenceTurn:
        """Forget something the user said: the turn and the reply to it leave the transcript
        note, the evidence index and the conversation log."""
        found = self.evidence.forget(turn)
        ConversationLog(self.index.db).forget(found.session, found.at)
        self.changes.publish([Changed("forgot", (), "a conversation turn")])
        return found

    def _expand(
        self,
        hits: list[Hit],
        neighbours: Mapping[str, list[str]],
        k: int,
        where: MemoryFilter,
        damping: float,
    ) -> list[Hit]:
        """One hop through links: memories related to a result, or about the same person,
        join with the result's score damped; the best ``k`` of all are kept."""
        have = {h.memory.id for h in hits}
        offered: dict[str, Hit] = {}
        for hit in hits:
            for other in neighbours.get(hit.memory.id, []):
                best = offered.get(other)
                if other not in have and (best is None or best.score < hit.score * damping):
                    offered[other] = hit
        if not offered:
            return hits
        reached = [m for m in self.vectors.get_many(sorted(offered)) if where.matches(m)]
        usage = self.index.usage([m.id for m in reached])
        for memory in reached:
            parent = offered[memory.id]
            score = parent.score * damping
            hits.append(
                Hit(
                    memory=memory,
                    score=score,
                    breakdown=replace(parent.breakdown, total=score),
                    access_count=usage.get(memory.id, Usage()).access_count,
                    via=parent.memory.id,
                )
            )
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:k]

    def list(
        self,
        *,
        types: Sequence[MemoryType | str] = (),
        tags: Sequence[str] = (),
        statuses: Sequence[Status | str] = (Status.ACTIVE,),
        limit: int | None = None,
        where: MemoryFilter | None = None,
        order: ListOrder | str = ListOrder.RECENT,
    ) -> list[Memory]:
        """Memories matching the filters (``where``, when given, replaces the others),
        newest first, or the most important first, or the most often used first."""
        if where is None:
            where = MemoryFilter(
                types=tuple(parse_type(t) for t in types),
                tags=clean_names(tags, strip="#"),
                statuses=tuple(parse_status(s) for s in statuses),
            )
        order = _parse_enum(ListOrder, order, "order")
        counts = None
        if order is ListOrder.USED:
            usage = self.index.usage(self.vectors.ids(where))
            counts = {i: u.access_count for i, u in usage.items()}
        return self.vectors.memories(where, limit or None, order=order, counts=counts)

    def usage(self, memory_id: str) -> Usage:
        """How often and when a memory was last used (see :meth:`used`)."""
        return self.index.usage([memory_id]).get(memory_id, Usage())

    # -- vault sync ---------------------------------------------------------------------------

    def pending_changes(
        self, paths: Iterable[Path] | None = None, stop: Callable[[], bool] | None = None
    ) -> SyncReport:
        """What changed in the vault since it was indexed (read-only); only ``paths`` if given.
        Raises ``ScanStopped`` when ``stop()`` turns true during the scan."""
        return sync.scan(self.notes, self.index.all(), paths, stop)

    def as_indexed(self, paths: Iterable[Path]) -> set[Path]:
        """Of these vault-relative note paths, those whose file holds what the index has for
        that path (the same checksum): the assistant's own writes, say. Reads only them."""
        paths = list(paths)
        known = self.index.checksums([p.as_posix() for p in paths])
        same = set()
        for path in paths:
            digest = known.get(path.as_posix())
            if digest is None:
                continue
            try:
                data = (self.notes.layout.vault / path).read_bytes()
            except OSError:
                continue
            if checksum(data) == digest:
                same.add(path)
        return same

    def sync_paths(self, paths: Iterable[Path]) -> SyncReport:
        """Index changes to these vault-relative paths (files or folders), as the watcher sees
        them."""
        paths = list(paths)
        return self.sync(self.pending_changes(paths), paths)

    def sync(
        self, report: SyncReport | None = None, paths: Sequence[Path] | None = None
    ) -> SyncReport:
        """Bring the indexes in line with the vault: new, edited, moved and deleted notes.

        Notes the user wrote under ``Memories/`` without an id get one (only their
        frontmatter changes). A note deleted by hand is recreated in ``Archive/`` as an
        archived memory, so the deletion can be undone with ``restore``.
        """
        report = report or self.pending_changes(paths)
        with self.index.hold():
            if paths is None:
                self._clean_temp_files()
            if report.unnumbered:
                self._number(report)
                report = self.pending_changes(paths)  # scan those notes again, with their ids
            changed = report.new + report.modified
            if changed:
                memories = [m for m, _ in changed]
                self._index(changed, self.embedder.embed([m.text for m in memories]))
            for relative in report.tombstones:  # only once the returned note is indexed
                self.notes.remove(relative)
            for memory_id in report.deleted:
                self._archive_deleted(memory_id)
        if report.pending:
            self.changes.publish(
                [Changed("synced", (), f"{report.pending} changes made in the vault")]
            )
        log.info(
            "vault sync: %d new, %d modified, %d moved, %d deleted",
            len(report.new),
            len(report.modified),
            len(report.moves),
            len(report.deleted),
        )
        return report

    def _number(self, report: SyncReport) -> None:
        """Give each note without an id one: the id its path had, else the id of a memory
        whose note is gone and which had the same text (moved and stripped of its ``id:``
        line), else a new one."""
        lost = {m.text: m.id for m in reversed(self.vectors.get_many(report.deleted))}
        for relative in report.unnumbered:
            memory_id = report.former_ids.get(relative)
            if memory_id is None and lost:
                memory_id = lost.pop(sync.note_body(self.notes, relative), None)
            sync.number_note(self.notes, relative, memory_id)

    def _clean_temp_files(self) -> None:
        for path, problem in remove_stale_temp_files(self.notes.layout.root, time.time()):
            log.warning("cannot remove the stale temp file %s: %s", path, problem)

    def _archive_deleted(self, memory_id: str) -> None:
        kept = self.vectors.get_many([memory_id])
        if not kept:
            self.index.remove([memory_id])
            return
        memory = kept[0]
        record = replace(
            memory,
            status=Status.ARCHIVED,
            updated=utcnow(),
            path=None,
            metadata={**memory.metadata, sync.DELETED_FROM: str(memory.path)},
        )
        stored, digest = self.notes.write(record, folder=self.notes.layout.archive)
        self._reindex_one(stored, digest)

    # -- rebuild ------------------------------------------------------------------------------

    def reindex(self, on_progress: Progress | None = None) -> ReindexReport:
        """Rebuild DuckDB notes and LanceDB from the vault alone; usage stats are kept."""
        started = time.perf_counter()
        scan = sync.scan(self.notes, {})  # nothing known: every valid note comes back as new
        invalid = scan.invalid + [
            (path, "no id yet (run `assistant vault sync` to give it one)")
            for path in scan.unnumbered
        ]
        memories = [m for m, _ in scan.new]
        vectors: list[Vector] = []
        step = 256
        for start in range(0, len(memories), step):
            chunk = memories[start : start + step]
            vectors.extend(self.embedder.embed([m.text for m in chunk]))
            if on_progress:
                on_progress(min(start + step, len(memories)), len(memories))
        if on_progress and not memories:
            on_progress(0, 0)
        self.index.clear()
        self.index.upsert([note_row(m, d) for m, d in scan.new])
        self.index.set_links(memories)
        self.vectors.rebuild(memories, vectors)
        turns = self.evidence.rebuild()
        for relative, reason in invalid:
            log.warning("skipped %s: %s", relative, reason)
        return ReindexReport(len(memories), invalid, time.perf_counter() - started, turns)

    def close(self) -> None:
        """Flush buffered usage stats and stop helper threads."""
        self._pool.shutdown()
        self.index.close()
        if self._evidence is not None:
            self._evidence.index.close()  # its snapshot file, when turns were written

    # -- internals ----------------------------------------------------------------------------

    def _build(self, draft: Draft) -> Memory:
        now = utcnow()
        created = draft.created_at or now
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return Memory(
            id=new_id(),
            text=clean_text(draft.text, self.settings.max_text_chars),
            type=parse_type(draft.type),
            importance=check_range("importance", draft.importance, 0, 10),
            emotion=check_range("emotion", draft.emotion, 0, 1),
            tags=clean_names(draft.tags, strip="#"),
            entities=clean_names(draft.entities),
            created=created.replace(microsecond=0),
            updated=now,
            source=draft.source,
            important=draft.important,
            metadata=check_metadata(draft.metadata or {}),
            supersedes=tuple(draft.supersedes),
        )

    def _reindex_one(self, memory: Memory, digest: str) -> Memory:
        self._reindex_many([(memory, digest)])
        return memory

    def _reindex_many(self, stored: Sequence[tuple[Memory, str]]) -> None:
        if not stored:
            return
        with shielded():  # the notes are written: index them even if a run is stopped
            vectors = self.embedder.embed([m.text for m, _ in stored])
        self._index(stored, vectors)

    def _index(
        self, stored: Sequence[tuple[Memory, str]], vectors: Matrix, *, new: bool = False
    ) -> None:
        """Index written notes. The checksums go into DuckDB last: a process killed before
        then leaves the old checksum, so the next vault sync sees the note as changed and
        indexes it again, LanceDB included."""
        memories = [m for m, _ in stored]
        self.vectors.add(memories, list(vectors), new=new)
        self.index.set_links(memories)
        self.index.upsert([note_row(m, d) for m, d in stored])
        self._mark_changed(m.id for m in memories)


def clean_text(text: str, max_chars: int, *, what: str = "memory text") -> str:
    """Validate text: a non-empty string of valid Unicode without NUL, within ``max_chars``."""
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} must be a string")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInputError(f"{what} is not valid UTF-8") from exc
    if "\x00" in text:
        raise InvalidInputError(f"{what} contains NUL bytes (binary data?)")
    text = text.strip()
    if not text:
        raise InvalidInputError(f"{what} is empty")
    if len(text) > max_chars:
        raise InvalidInputError(
            f"{what} is {len(text):,} characters; the limit is {max_chars:,} (max_text_chars)"
        )
    return text


def parse_type(value: MemoryType | str) -> MemoryType:
    """A memory type from its name; unknown names are an input error."""
    return _parse_enum(MemoryType, value, "memory type")


def parse_status(value: Status | str) -> Status:
    """A status from its name ("forgotten" is ``archived``, as chat and the browser say);
    unknown names are an input error."""
    if isinstance(value, str) and value.strip().lower() == "forgotten":
        return Status.ARCHIVED
    return _parse_enum(Status, value, "status")


def _parse_enum(kind: type[E], value: object, what: str) -> E:
    try:
        return kind(str(value).lower())
    except ValueError as exc:
        names = ", ".join(str(member.value) for member in kind)
        raise InvalidInputError(f"unknown {what} {value!r}; use one of {names}") from exc


def check_range(name: str, value: float, low: float, high: float) -> float:
    """``value`` as a float within ``[low, high]``, else an input error."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be a number") from exc
    if not low <= number <= high:
        raise InvalidInputError(f"{name} must be between {low:g} and {high:g}, not {number:g}")
    return number


def clean_names(values: Iterable[str], strip: str = "") -> tuple[str, ...]:
    """Trimmed, de-duplicated names (tags, entities), order kept."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        name = str(value).strip().lstrip(strip).strip()
        if name and name not in out:
            out.append(name)
    return tuple(out)


def check_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Extra frontmatter: string keys that do not shadow the assistant's own properties."""
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidInputError("metadata keys must be non-empty strings")
        if key in CORE_KEYS:
            raise InvalidInputError(f"metadata key {key!r} is reserved for the memory itself")
        out[key] = value
    return out
