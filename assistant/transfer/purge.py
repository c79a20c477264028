"""Forgetting for real: a memory removed from everywhere it was written.

``forget`` archives, restorably; ``purge`` leaves no trace of the memory under the home
(outside the vault's git history, which keeps old commits until it is rewritten):

- its note and every archived copy (the same id, or the same words);
- the links other notes make to it (``superseded_by``, ``supersedes``, relation lines);
- its rows in the indexes (DuckDB notes and links, LanceDB), its usage stats and review items;
- the turns that stated it (where it was learned, and any turn holding its words), from the
  transcript notes, the evidence index and the conversation log, with the replies to them;
- its cached embeddings, working-memory items, lines of the log files and the lines typed
  at the chat prompt that said it (the input history);
- the generated pages that listed it, which are written again (or deleted when no memory
  is left for them and the user wrote nothing on them).

Then the databases are rewritten from their live rows (DuckDB and LanceDB keep the bytes of
deleted rows in their files until then), and only the fact that a purge happened, with its
counts, is recorded.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import paths
from assistant.conversation import session as working
from assistant.errors import AssistantError, NoteError, NotFoundError
from assistant.events import Changed
from assistant.evidence import turn_id
from assistant.learning.sameness import content_words
from assistant.list_requests import list_name, list_request, more_items, told_list
from assistant.memory_types import Memory
from assistant.models.cache import Memo
from assistant.store.conversations import Turn
from assistant.store.evidence import EvidenceTurn
from assistant.store.purges import PurgeRecords, rewrite
from assistant.transfer.importer import normalised
from assistant.vault.conversations import USER, ConversationNotes, Said
from assistant.vault.history import VaultHistory
from assistant.vault.notes import parse_time

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.memories import Memories

log = logging.getLogger(__name__)

MIN_NEEDLE = 16
"""Text at least this long is looked for in turns and logs by its words; a shorter memory
("Anna") would match far more than what stated it, so only its recorded source is removed."""
GIT_NOTE = (
    "The vault's git history still holds the commits made before the purge. To remove it "
    "from history too, rewrite it with git filter-repo (see `assistant vault git forget-history`)."
)
"""Said after a purge when the vault's git history holds what it removed."""


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (counts only)."""

    memories: int
    notes: int
    """Note files removed: the memories' and their archived copies."""
    turns: int
    """Things the user said that stated them, removed from transcripts and search."""
    logged: int
    """Messages removed from the conversation log."""
    pages: int
    """Generated pages written again without them, or removed (nothing left on them)."""
    mentions: tuple[str, ...] = ()
    """Ids of other memories whose text still holds a purged memory's words."""
    in_history: bool = False
    """Whether the vault's git history has versions of the files the purge changed (then
    old commits still hold what it removed: see :data:`GIT_NOTE`)."""


def purge(
    assistant: Assistant, memory_ids: Sequence[str], *, clock: Callable[[], float] = time.time
) -> PurgeReport:
    """Remove the memories ``memory_ids`` everywhere (see the module)."""
    memories = assistant.memories
    targets = [purge_target(memories, i) for i in dict.fromkeys(memory_ids)]
    ids = {m.id for m in targets}
    needles = {normalised(m.text) for m in targets}
    stems = {m.path.stem for m in targets if m.path is not None}
    doomed, relinked, mentions = _scan_notes(assistant, ids, needles, stems, targets)
    ids |= {m.id for m, _ in doomed}
    with memories.index.hold():
        records = PurgeRecords(assistant.db)
        memories.vectors.delete(sorted(ids))
        for _, path in doomed:  # indexes first: a sync meanwhile must not archive a copy
            memories.notes.remove(path)
        lists = {list_name(str(m.metadata["list"])) for m in targets if m.metadata.get("list")}
        turns, transcripts = _scrub_transcripts(assistant, targets, _long(needles), lists)
        edits: list[EvidenceTurn | Turn] = [*_list_edits(assistant, lists)]  # commands
        logged = records.remove(
            sorted(ids),
            needles=sorted(_long(needles)),
            turns=[(t.session, t.at) for t in [*turns, *edits]],
        )
        if relinked:
            memories.sync_paths(relinked)
    assistant.embedder.forget(
        [m.text for m in targets] + [t.text for t in turns] + [_paired(t) for t in turns]
    )
    said = {normalised(t.text) for t in [*turns, *edits]} | {n.rstrip(".!?…") for n in needles}
    working.scrub(paths.cache_dir(assistant.settings.home) / "session", sorted(_long(said)))
    for memo in paths.MEMOS:  # keyed by hashes of pairs of texts: emptied rather than searched
        folder = paths.cache_dir(assistant.settings.home) / memo
        if folder.is_dir():
            kept = Memo(folder, f"The {memo} memo")
            kept.clear()
            kept.close()
    pages = assistant.page_writer.refresh(ids)
    memories.changes.publish([Changed("purged", (), "a memory") for _ in targets])
    home = assistant.settings.home
    _scrub_logs(paths.log_dir(home), _long(needles) | {s.lower() for s in stems})
    typed = {normalised(line) for t in [*turns, *edits] for line in t.text.splitlines()} - {""}
    _scrub_lines(paths.input_history(home), _long(needles), typed)
    records.log(at=clock(), memories=len(targets), turns=len(turns))
    compact(assistant)
    touched = [p for _, p in doomed] + transcripts + pages.written + pages.removed
    return PurgeReport(
        len(targets),
        len(doomed),
        len(turns),
        logged,
        len(pages.written) + len(pages.removed),
        tuple(mentions),
        VaultHistory(assistant.settings.vault).holds(touched),
    )


def purge_target(memories: Memories, memory_id: str) -> Memory:
    """The memory as its note says, or as the index kept it where the note can no longer be
    read (its text deleted by hand): such a note is purged too."""
    try:
        return memories.get(memory_id)
    except NoteError:
        kept = memories.vectors.get_many([memories.resolve_id(memory_id)])
        if not kept or kept[0].path is None:
            raise
        return kept[0]


def _long(needles: Iterable[str]) -> set[str]:
    return {n for n in needles if len(n) >= MIN_NEEDLE}


def _paired(turn: EvidenceTurn) -> str:
    return f"{turn.before}\n{turn.text}".strip()


def _scan_notes(
    assistant: Assistant,
    ids: set[str],
    needles: set[str],
    stems: set[str],
    unreadable: Sequence[Memory] = (),
) -> tuple[list[tuple[Memory, Path]], list[Path], list[str]]:
    """The notes to delete (the memories and their copies, and a note of ``unreadable`` that
    cannot be read), the notes whose links to them were removed, and the ids of other
    memories that still hold their words."""
    notes = assistant.memories.notes
    layout = notes.layout
    doomed: list[tuple[Memory, Path]] = []
    relinked: list[Path] = []
    mentions: list[str] = []
    for full in layout.note_files():
        relative = layout.relative(full)
        try:
            memory, digest = notes.read(relative)
        except (NoteError, NotFoundError) as exc:
            log.info("purge: %s not read (%s)", relative, exc)
            doomed.extend((m, relative) for m in unreadable if m.path == relative)
            continue
        words = normalised(memory.text)
        if memory.id in ids or words in needles:
            doomed.append((memory, relative))
            continue
        if any(n in words for n in _long(needles)):
            mentions.append(memory.id)
        unlinked = _unlinked(memory, ids, stems)
        if unlinked is not None:
            notes.write(unlinked, expected=digest)
            relinked.append(relative)
    return doomed, relinked, mentions


def _unlinked(memory: Memory, ids: set[str], stems: set[str]) -> Memory | None:
    """``memory`` without its links to the purged notes; None when it has none."""

    def links(value: Any) -> bool:
        text = str(value)
        return any(f"[[{s}" in text for s in stems) or any(i in text for i in ids)

    metadata = {k: v for k, v in memory.metadata.items() if not links(v)}
    supersedes = tuple(s for s in memory.supersedes if not links(s))
    lines = memory.text.splitlines()
    kept = [line for line in lines if not (line.lstrip().startswith("- ") and links(line))]
    if metadata == dict(memory.metadata) and supersedes == memory.supersedes and kept == lines:
        return None
    return replace(memory, metadata=metadata, supersedes=supersedes, text="\n".join(kept))


def _scrub_transcripts(
    assistant: Assistant, targets: Sequence[Memory], needles: set[str], lists: set[str]
) -> tuple[list[EvidenceTurn], list[Path]]:
    """Remove from the transcript notes the user turns that stated the memories (where each
    was learned, or holding its words, or telling or editing one of ``lists``) with the
    replies to them, and any message holding their words; the evidence index follows.
    Returns the user turns removed and the transcripts changed (vault-relative)."""
    evidence = assistant.memories.evidence
    known = {t.id: t for turns in evidence.index.sessions().values() for t in turns.values()}
    notes = ConversationNotes(assistant.memories.notes.layout)
    removed: list[EvidenceTurn] = []
    changed: list[Path] = []
    for path in notes.notes():
        session, said = notes.read(path)
        sources = {at for m in targets for at in source_turns(m, session, said)}
        kept: list[Said] = []
        dropping = edited = False
        for message in said:
            words = normalised(message.text)
            stated = any(n in words for n in needles)
            if message.role == USER:
                edits = _edits_list(message.text, lists, following=edited)
                edited = edits or (edited and not message.text.strip())
                dropping = stated or message.at in sources or edits
                if dropping:
                    turn = known.get(turn_id(session, message.at))
                    removed.append(turn or EvidenceTurn("", session, message.at, message.text))
            elif dropping:  # the reply to a removed turn
                dropping = False
                continue
            if not (dropping or stated):
                kept.append(message)
        if len(kept) != len(said):
            notes.rewrite(path, session, kept)
            changed.append(notes.layout.relative(path))
    if changed:
        evidence.resync(changed)
    return removed, changed


def _list_edits(assistant: Assistant, lists: set[str]) -> list[Turn]:
    """The turns of the conversation log that told or edited ``lists`` (names as kept)."""
    if not lists:
        return []
    found: list[Turn] = []
    edited, session = False, ""
    for turn in assistant.conversations.user_turns():
        following = edited and turn.session == session
        edited, session = _edits_list(turn.text, lists, following=following), turn.session
        if edited:
            found.append(turn)
    return found


def _edits_list(text: str, lists: set[str], *, following: bool) -> bool:
    """Whether a user turn told or edited one of the purged ``lists`` ("add snorkelgear to my
    packing list", "my packing list: passport, charger"), or, right ``following`` such a turn,
    added more to it ("oh and flippers")."""
    if not lists:
        return False
    request = list_request(text)
    if request is not None:
        return list_name(request.name) in lists
    if told := told_list(text):
        return list_name(told) in lists
    return following and bool(more_items(text))


def source_turns(memory: Memory, session: str, said: Sequence[Said]) -> list[float]:
    """When the user turns of ``said`` (the transcript of ``session``) that ``memory`` was
    learned from were said: its provenance names the conversation and the turn's time to
    the second, so of the user turns said in that second, the ones that share the most
    words with the memory (none when it shares none with any of them)."""
    start = _source_time(memory) if memory.metadata.get("conversation") == session else None
    if start is None:
        return []
    exact = start % 1 != 0
    candidates = [
        m
        for m in said
        if m.role == USER
        and (abs(m.at - start) < 0.001 if exact else start - 0.001 < m.at < start + 1)
    ]
    if len(candidates) <= 1:
        return [m.at for m in candidates]
    words = content_words(memory.text)
    shared = [len(words & content_words(m.text)) for m in candidates]
    best = max(shared)
    return [m.at for m, n in zip(candidates, shared, strict=True) if n == best and best > 0]


def _source_time(memory: Memory) -> float | None:
    """The time of the turn a memory was learned from, as its provenance records it."""
    turn = memory.metadata.get("turn")
    if not isinstance(turn, str | datetime):
        return None
    try:
        return parse_time(turn).timestamp()
    except ValueError:
        return None


def _scrub_logs(folder: Path, needles: set[str]) -> None:
    """Drop the log lines that hold the purged words or note names, in place (a running
    handler keeps appending to the same file)."""
    if not needles or not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_file():
            _scrub_lines(path, needles)


def _scrub_lines(path: Path, needles: set[str], whole: set[str] | None = None) -> None:
    """Drop the lines of the text file ``path`` that hold one of ``needles`` or are one of
    ``whole`` (normalised), in place. A readline history written by libedit escapes its
    spaces (``\\040``): they are read as spaces."""
    whole = whole or set()
    if not (needles or whole) or not path.is_file():
        return

    def said(line: str) -> bool:
        words = normalised(line.replace("\\040", " "))
        return words in whole or any(n in words for n in needles)

    try:
        with path.open("r+", encoding="utf-8", errors="surrogateescape") as handle:
            lines = handle.readlines()
            kept = [x for x in lines if not said(x)]
            if len(kept) != len(lines):
                handle.seek(0)
                handle.writelines(kept)
                handle.truncate()
    except OSError as exc:
        log.warning("purge: %s not cleaned: %s", path.name, exc)


def compact(assistant: Assistant) -> None:
    """Rewrite every store that keeps deleted rows' bytes (LanceDB, DuckDB, the caches) from
    its live rows. A purge ends with it; ``assistant vault compact`` runs it again when a
    purge could not finish it (another process held a file)."""
    assistant.vectors.scrub()
    assistant.memories.evidence.index.scrub()
    rewrite(assistant.db, assistant.settings.lock_timeout)
    for database in sorted(paths.cache_dir(assistant.settings.home).glob("*/cache.db")):
        _vacuum(database)


def _vacuum(database: Path) -> None:
    """Rebuild a cache's SQLite file without its free pages, and empty its write-ahead log."""
    try:
        conn = sqlite3.connect(str(database), timeout=10)
        try:
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise AssistantError(
            f"the cache {database.parent.name} could not be compacted ({exc}); close the "
            "other assistant processes and run `assistant vault compact`",
            title="Purge unfinished",
        ) from exc
