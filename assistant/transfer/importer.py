"""Import memories and conversations from an export (see :mod:`assistant.transfer.formats`).

Memories from another tool pass the action layer's policy, as anything not typed by the user
does: secrets redacted, text that instructs the assistant refused; each records ``source:
import`` and where it came from (``imported_from``, ``import_file``, ``import_key``). A memory
already kept (the same words, or the same item of the same tool) is skipped, so a second
import of a file changes nothing. Conversations' user turns are kept as evidence and go
through learning, each conversation once. This project's own export comes back exactly as it
was written: it is the user's own data, checked when it was first stored.

With ``dry_run`` nothing is written: the report says what would happen.

Usage::

    report = Importer(assistant).run(Path("mem0-export.json"))
    report.added, report.duplicates, report.refused
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.actions import Actions, Origin
from assistant.errors import InvalidInputError
from assistant.memories import Draft
from assistant.memory_types import Memory, MemoryType, Status
from assistant.projects.names import check_name, name_key
from assistant.store.purges import PurgeRecords
from assistant.transfer.formats import open_source
from assistant.transfer.items import Conversation, Incoming, Item, ProjectNote
from assistant.vault.conversations import ASSISTANT, USER, ConversationNotes, Said
from assistant.vault.files import write_atomic

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.learning.learner import Learner

log = logging.getLogger(__name__)

IMPORT_KEY = "import_key"
"""The property naming the item of the export a memory came from (``mem0:<id>``)."""
BATCH = 1024
"""Memories read, checked by the policy, written and embedded together: large enough that
the model embeds long runs of texts and the vector index takes few appends."""
MAX_WARNINGS = 50


@dataclass
class ImportReport:
    """What an import did, or, with ``dry_run``, would do."""

    source: str
    tool: str
    dry_run: bool
    added: int = 0
    duplicates: int = 0
    """Memories already kept (the same words, or the same item), skipped."""
    refused: int = 0
    """Memories the policy refused (text that instructs the assistant) or that are invalid."""
    redacted: int = 0
    """Memories kept with secrets taken out."""
    conversations: int = 0
    turns: int = 0
    """The user's turns of those conversations, kept as evidence and learned from."""
    learned: int = 0
    """Memories learned from those turns."""
    seen_conversations: int = 0
    """Conversations an earlier import took in, skipped."""
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def warn(self, message: str) -> None:
        """Note a problem that did not stop the import (the first :data:`MAX_WARNINGS`)."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)


def normalised(text: str) -> str:
    """Text as compared for duplicates: lower case, whitespace collapsed."""
    return " ".join(text.lower().split())


class Importer:
    """Imports an export into one home."""

    def __init__(
        self,
        assistant: Assistant,
        *,
        clock: Callable[[], float] = time.time,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.assistant = assistant
        self.memories = assistant.memories
        self.actions = Actions(assistant, origin=Origin("import"))
        self.records = PurgeRecords(assistant.db)
        self.clock = clock
        self.on_progress = on_progress
        self._learner: Learner | None = None

    def run(self, path: Path, fmt: str = "auto", *, dry_run: bool = False) -> ImportReport:
        """Import the export at ``path`` (a file or folder); ``fmt`` names its kind, or
        ``auto``. Malformed input raises :class:`InvalidInputError` naming the place; what
        was read before it is already imported, and importing again adds only the rest."""
        started = time.perf_counter()
        source = open_source(path, fmt)
        if source.tool in ("assistant", "markdown"):  # the kinds that carry projects
            self._check_projects(open_source(path, fmt).items)
        report = ImportReport(source.name, source.tool, dry_run)
        known = self._known()
        read: list[Incoming] = []
        for seen, item in enumerate(source.items, 1):
            if isinstance(item, Conversation):
                self._conversation(item, report)
            elif isinstance(item, ProjectNote):
                if not dry_run:
                    self._project(item)
            else:
                read.append(item)
                if len(read) >= BATCH:
                    self._write(self._fresh(read, report, *known), report)
                    read = []
            if self.on_progress is not None:
                self.on_progress(seen)
        self._write(self._fresh(read, report, *known), report)
        for warning in source.warnings:
            report.warn(warning)
        report.seconds = time.perf_counter() - started
        return report

    def _known(self) -> tuple[set[str], set[str], set[str]]:
        """The words, import keys and ids of every memory kept, whatever its status."""
        texts, keys, ids = set(), set(), set()
        for memory in self.memories.list(statuses=list(Status)):
            texts.add(normalised(memory.text))
            ids.add(memory.id)
            key = memory.metadata.get(IMPORT_KEY)
            if isinstance(key, str):
                keys.add(key)
        return texts, keys, ids

    def _fresh(
        self,
        items: list[Incoming],
        report: ImportReport,
        texts: set[str],
        keys: set[str],
        ids: set[str],
    ) -> list[Incoming]:
        """The items as they will be kept (passed through the policy, all in one batch), in
        order, leaving out those already kept or refused; the sets learn them, so a file's
        own repeats count once."""
        policy = [n for n, i in enumerate(items) if i.exact is None and i.key not in keys]
        checks = dict(
            zip(policy, self.actions.check_many([items[n].text for n in policy]), strict=True)
        )
        fresh: list[Incoming] = []
        for n, item in enumerate(items):
            if item.exact is not None:
                if item.exact.id in ids:
                    report.duplicates += 1
                    continue
                ids.add(item.exact.id)
                texts.add(normalised(item.text))
                fresh.append(item)
                continue
            if item.key in keys:
                report.duplicates += 1
                continue
            checked = checks[n]
            if isinstance(checked, InvalidInputError):
                report.refused += 1
                report.warn(f"{item.key}: not imported ({checked})")
                continue
            words = normalised(checked.text)
            if words in texts:
                report.duplicates += 1
                continue
            texts.add(words)
            keys.add(item.key)
            report.redacted += checked.redacted
            metadata = {**item.metadata, IMPORT_KEY: item.key}
            if checked.pii:
                metadata["pii"] = list(checked.pii)
            fresh.append(replace(item, text=checked.text, metadata=metadata))
        return fresh

    def _write(self, pending: list[Incoming], report: ImportReport) -> None:
        fresh = pending
        if not fresh:
            return
        if report.dry_run:
            report.added += len(fresh)
            return
        exact = [p.exact for p in fresh if p.exact is not None]
        written = self.memories.add_many([_draft(p) for p in fresh if p.exact is None])
        report.added += len(written)
        if exact:
            report.added += self._write_exact(exact)

    def _write_exact(self, memories: list[Memory]) -> int:
        """Write memories of this project's export as they were (ids, dates, status and
        path), then index them like notes that appeared in the vault."""
        notes = self.memories.notes
        layout = notes.layout
        written: list[Path] = []
        for memory in memories:
            path = memory.path
            if path is None or not layout.holds_notes(path) or (layout.vault / path).exists():
                memory = replace(memory, path=None)
            folder = layout.archive if memory.status is Status.ARCHIVED else None
            stored, _ = notes.write(memory, folder)
            assert stored.path is not None
            written.append(stored.path)
        return len(self.memories.sync_paths(written).new)

    def _check_projects(self, items: Iterable[Item]) -> None:
        """Refuse an export, before anything is written, when a project it carries has a
        name this home cannot take: one the name rules refuse, or one that differs only in
        case from another of the export's or of this home's projects."""
        names: dict[str, str] = {name_key(p.name): p.name for p in self.assistant.projects.all()}
        mine = dict(names)
        problems: list[str] = []
        for item in items:
            if isinstance(item, ProjectNote):
                name = item.name
            elif isinstance(item, Incoming) and item.exact is not None and item.exact.project:
                name = item.exact.project
            else:
                continue
            try:
                check_name(name)
            except InvalidInputError as exc:
                problems.append(exc.message)
                continue
            seen = names.setdefault(name_key(name), name)
            if seen != name:
                where = "a project of this home" if mine.get(name_key(name)) == seen else "another"
                problems.append(f"{name!r} differs only in case from {seen!r} ({where})")
        if problems:
            shown = "; ".join(dict.fromkeys(problems))
            raise InvalidInputError(
                f"nothing was imported: {shown}; rename the project folders in the exported "
                "home and export again",
                title="Bad project name",
            )

    def _project(self, project: ProjectNote) -> None:
        """Write a project's note as it was exported, unless this home has that project (its
        note stays as it is); its memories follow it into its folder by their paths."""
        name = check_name(project.name)
        layout = self.memories.notes.layout
        if layout.project_dir(name).is_dir():
            return
        write_atomic(layout.project_note(name), project.text)
        self.assistant.projects.heal()

    def _conversation(self, conversation: Conversation, report: ImportReport) -> None:
        if self.records.imported([conversation.key]):
            report.seen_conversations += 1
            return
        users = [m for m in conversation.messages if m.role == "user"]
        report.conversations += 1
        report.turns += len(users)
        if report.dry_run:
            return
        if conversation.exact:
            self._keep_transcript(conversation)
        else:
            self._learn(conversation, report)
        self.records.mark_imported([conversation.key], self.clock())

    def _keep_transcript(self, conversation: Conversation) -> None:
        """A transcript of this project's export, written back as it was and indexed."""
        notes = ConversationNotes(self.memories.notes.layout)
        said = [
            Said(USER if m.role == "user" else ASSISTANT, m.at, m.text)
            for m in conversation.messages
        ]
        if not said:
            return
        path = notes.path_of(conversation.session, said[0].at)
        if path.exists():
            return
        notes.append(conversation.session, said)
        self.memories.evidence.resync([notes.layout.relative(path)])

    def _learn(self, conversation: Conversation, report: ImportReport) -> None:
        """Each user turn kept as evidence (with the reply to it) and learned from."""
        learner = self._learner_now()
        evidence = self.memories.evidence
        messages = conversation.messages
        for position, message in enumerate(messages):
            if message.role != "user":
                continue
            after = messages[position + 1] if position + 1 < len(messages) else None
            reply = after.text if after is not None and after.role == "assistant" else ""
            evidence.keep(conversation.session, message.at, message.text, reply)
            said = datetime.fromtimestamp(message.at, UTC)
            changes = learner.learn(
                message.text,
                conversation=conversation.session,
                turn=said.isoformat(),
                source="import",
                at=said,
            )
            report.learned += sum(
                1 for c in changes if c.memory_id and c.action not in ("reinforced",)
            )

    def _learner_now(self) -> Learner:
        if self._learner is None:
            from assistant.learning.learner import Learner

            self._learner = Learner(self.memories)
        return self._learner


def _draft(item: Incoming) -> Draft:
    try:
        kind = MemoryType(item.type)
    except ValueError:
        kind = MemoryType.SEMANTIC
    return Draft(
        item.text,
        type=kind,
        importance=item.importance,
        tags=item.tags,
        created_at=item.created,
        metadata=item.metadata,
        source="import",
    )
