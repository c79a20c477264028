"""The assistant of one home: settings, vault and indexes wired together."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

from assistant import paths
from assistant.errors import AssistantError, storage_error
from assistant.events import Debounced, Journal
from assistant.memories import Memories
from assistant.models.base import Embedder
from assistant.models.cache import CachedEmbedder
from assistant.pages import PagesReport, PageWriter
from assistant.projects import Projects, left_notice
from assistant.records import Records
from assistant.settings import Settings, read_settings
from assistant.store.lance import LanceIndex
from assistant.store.notes_index import NoteIndex
from assistant.store.pages_index import PageIndex
from assistant.store.reviews import ReviewQueue
from assistant.store.runs import RunLog
from assistant.vault.freshness import changed_since, moved, pages_changed_since
from assistant.vault.history import GitResult, VaultHistory
from assistant.vault.instructions import InstructionsPage
from assistant.vault.layout import VaultLayout
from assistant.vault.note_files import NoteFiles
from assistant.vault.sync import SyncReport
from assistant.vault.watch import VaultWatcher

log = logging.getLogger(__name__)

CAUGHT_UP = "vault-caught-up"
"""The file under the home's cache whose time is when the vault was last synced or caught up
with: :meth:`Assistant.catch_up` looks at the notes written after it."""


def make_embedder(settings: Settings) -> Embedder:
    """The embedder named in the settings (``minilm`` by default)."""
    if settings.embedder == "hash":
        from assistant.models.fakes import HashEmbedder

        return HashEmbedder()
    from assistant.models.minilm import MiniLMEmbedder

    return MiniLMEmbedder(settings.model_cache)


class Assistant:
    """One person's assistant on one home directory.

    Usage::

        with Assistant.open("~/assistant-home") as assistant:
            memory = assistant.memories.add("My sister Anna lives in Lyon.", tags=["family"])
            hits = assistant.memories.search("where does Anna live?", k=5)
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        warm: bool = True,
        queries_only: bool = False,
    ) -> None:
        """Open the home of ``settings``. With ``warm`` the embedding model loads in the
        background meanwhile (only its quicker query model with ``queries_only``, for a
        command that searches and stores nothing); a caller that will not embed passes
        False: closing waits for that load."""
        self.settings = settings
        self.layout = VaultLayout(settings.vault)
        _prepare_home(settings, self.layout)
        records = Records(settings)
        self.db = records.db
        inner = embedder or make_embedder(settings)
        self._warming = _warm_up(inner, queries_only) if warm else None
        self._watcher: VaultWatcher | None = None
        self._history_timer: threading.Thread | None = None
        self._stopping = threading.Event()
        self.embedder = CachedEmbedder(inner, paths.cache_dir(settings.home) / "embeddings")
        self.vectors = LanceIndex(paths.lance_dir(settings.home), inner.dim)
        self.memories = Memories(
            settings, NoteFiles(self.layout), NoteIndex(self.db), self.vectors, self.embedder
        )
        self.instructions = InstructionsPage(self.layout.instructions)
        """How the user asked to be answered, every time: ``Assistant/Instructions.md``."""
        self.projects = Projects(self.layout, self.db, settings.project_links)
        """The projects: folders of the vault, and which one each place works in."""
        self.memories.scope = self.projects.current_name
        self.page_writer = PageWriter(self.memories, self.layout, PageIndex(self.db))
        self.journal = Journal()
        """What changed since the vault's history was last committed."""
        self.pages = Debounced(self.refresh_pages, delay=1.0)
        """Refreshes the generated pages a second after the store stops changing."""
        self.memories.changes.subscribe(self.journal)
        self.memories.changes.subscribe(self.pages)
        self.reviews = ReviewQueue(self.db)
        self.runs = RunLog(self.db)
        self.conversations = records.conversations
        """The conversation log: every turn, with the memories each one taught."""
        self.ledger = records.ledger
        """What every model call cost."""
        self._pages_lock = threading.Lock()
        if self.vectors.created and any(self.layout.note_files()):
            log.warning("index missing; rebuilding it from the vault")
            self.memories.reindex()

    @classmethod
    def open(
        cls,
        home: str | Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        embedder: Embedder | None = None,
        **flags: Any,
    ) -> Assistant:
        """Open the assistant on ``home`` (else ``ASSISTANT_HOME`` or the platform data dir)."""
        settings = read_settings(
            {"home": home, **flags}, os.environ if environ is None else environ
        )
        return cls(settings, embedder=embedder)

    def watch_vault(self, on_problem: Callable[[str], None] | None = None) -> VaultWatcher:
        """Keep the indexes in step with edits made in the vault, until :meth:`close`."""
        if self._watcher is None:
            self._watcher = VaultWatcher(
                self.settings.vault, self.vault_changed, on_problem=on_problem
            )
            self._watcher.start()
        return self._watcher

    @property
    def watching(self) -> bool:
        """Whether vault edits are being taken in as they happen."""
        return self._watcher is not None and self._watcher.alive

    @property
    def watcher_restarts(self) -> int:
        """How often the vault watcher died and was restarted since it started."""
        return self._watcher.restarts if self._watcher is not None else 0

    def vault_changed(self, changed: set[Path]) -> None:
        """Take in edits made in the vault (vault-relative paths): memory notes are
        re-indexed, edits on generated pages applied, and the pages refreshed."""
        changed = {p for p in changed if not self.layout.read_where_used(p)}
        notes = {p for p in changed if not self.layout.is_page(p)}
        if any(p.is_relative_to(self.layout.relative(self.layout.projects)) for p in changed):
            self.projects.heal()  # a project folder made, renamed or deleted by hand
        if notes:
            self.memories.sync_paths(notes)
            self.memories.evidence.resync(notes)
        self.refresh_pages(edited=changed - notes)

    def sync_vault(self) -> SyncReport:
        """Catch up with edits made in the vault while no assistant process ran: memory
        notes by checksum scan, then the generated pages."""
        with self._catching_up():
            self.projects.heal()
            report = self.memories.sync()
            self.memories.evidence.resync()
            self.refresh_pages(edited=None)
        lost = self.projects.lost()
        return replace(
            report,
            invalid=[*report.invalid, *self.projects.problems()],
            notices=[*report.notices, *([left_notice(lost)] if lost is not None else [])],
        )

    def catch_up(self) -> int:
        """Take in the notes edited in the vault since it was last synced or caught up with,
        found by their files' times (no unchanged note is read: about 60 ms for 10,000
        notes), for a command that reads memories with no watcher running. The first time,
        the whole vault is synced. Returns how many changes were taken in.

        The moment is the time the file system gave a file stamped when the last catch-up
        began, so the notes' times and the moment come from one clock."""
        since = self._caught_up_at()
        if since is None:
            return self.sync_vault().pending
        with self._catching_up():
            changes = changed_since(self.layout, since)
            touched = set(changes.notes) - self.memories.as_indexed(changes.notes)
            if changes.folders:  # a note deleted, or moved, by hand
                known = {r.path for r in self.memories.index.all().values()}
                touched |= moved(self.layout, known)
            pending = self.memories.pending_changes(touched).pending if touched else 0
            # pages edited by hand too: "I'm allergic to shellfish and kiwi." on Identity.md
            pages = pages_changed_since(self.layout, since)
            if pending:  # not the assistant's own writes, which the index holds already
                self.vault_changed(touched | pages)
            elif pages:
                pending += len(self.refresh_pages(edited=pages).edits)
        return pending

    def _caught_up_at(self) -> float | None:
        try:
            return self._catch_up_marker.stat().st_mtime
        except OSError:
            return None

    @contextmanager
    def _catching_up(self) -> Iterator[None]:
        """The moment the work inside began becomes the one the vault is caught up to, once
        the work is done; a failure leaves the moment before as it was."""
        stamp = self._stamp()
        try:
            yield
        except BaseException:
            if stamp is not None:
                stamp.unlink(missing_ok=True)
            raise
        self._caught_up(stamp)

    def _stamp(self) -> Path | None:
        """A new file whose time is now, by the file system's clock (None if it cannot be
        written: the next command looks again)."""
        stamp = self._catch_up_marker.with_name(
            f"{CAUGHT_UP}.{os.getpid()}.{threading.get_ident()}"
        )
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_bytes(b"")
        except OSError as exc:
            log.warning("cannot note when the vault was caught up with: %s", exc)
            return None
        return stamp

    def _caught_up(self, stamp: Path | None) -> None:
        """Make ``stamp`` (written when the work began) the moment caught up to."""
        if stamp is None:
            return
        try:
            os.replace(stamp, self._catch_up_marker)
        except OSError as exc:
            log.warning("cannot note when the vault was caught up with: %s", exc)

    @property
    def _catch_up_marker(self) -> Path:
        return paths.cache_dir(self.settings.home) / CAUGHT_UP

    def refresh_pages(
        self, *, everything: bool = False, edited: Iterable[Path] | None = ()
    ) -> PagesReport:
        """Rewrite the generated pages (profile, people, topics, days) that list memories
        changed since the last refresh, or all of them with ``everything``, after applying
        the user's edits on the ``edited`` pages (every page when None)."""
        with self._pages_lock:
            try:
                paths = None if edited is None else list(edited)
                pages = self.page_writer.read_edits(paths) if paths != [] else PagesReport()
                changed = self.memories.take_changed()
                report = self.page_writer.refresh(None if everything else changed)
            except AssistantError as exc:
                log.warning("pages not refreshed: %s", exc)
                return PagesReport()
        return PagesReport(pages.written + report.written, pages.edits + report.edits)

    def commit_history(self, *, pull: bool = False, title: str = "") -> GitResult | None:
        """Commit the changes made since the last commit, if the vault is a git repository
        (and pull and push them when a remote is configured; with ``pull``, pull even when
        there is nothing to commit). ``title`` replaces the summary line of the message.
        Returns None when there was nothing to do."""
        journal = self.journal.take()
        syncing = bool(self.settings.git_remote) and (pull or bool(journal))
        if not self.settings.git_autocommit or not (journal or syncing):
            return None
        history = VaultHistory(self.settings.vault, everything=self.settings.git_whole_vault)
        message = commit_message(journal, title)
        result = history.commit(message) if journal else GitResult(True, "")
        if result.ok and syncing:
            result = history.pull_push(self.settings.git_remote)
        if result.problem:
            log.warning("vault history: %s", result.message)
        return result

    def keep_history(self, on_problem: Callable[[str], None] | None = None) -> None:
        """Commit (and pull and push) every ``git_sync_minutes`` until :meth:`close`, in a
        background thread; a problem is reported once until it changes."""
        minutes = self.settings.git_sync_minutes
        if minutes <= 0 or self._history_timer is not None:
            return
        self._history_timer = threading.Thread(
            target=self._history_loop,
            args=(minutes * 60, on_problem),
            name="vault-history",
            daemon=True,
        )
        self._history_timer.start()

    def _history_loop(self, interval: float, on_problem: Callable[[str], None] | None) -> None:
        told = ""
        while not self._stopping.wait(interval):
            try:
                result = self.commit_history(pull=True)
            except Exception as exc:  # a history problem must never stop the process
                log.exception("vault history failed")
                result = GitResult(False, str(exc))
            if result is None or not result.problem:
                told = ""
            elif result.message != told:
                told = result.message
                (on_problem or log.warning)(f"vault history: {result.message}")

    def close(self) -> None:
        """Flush pending writes, commit them to the vault's history, release the files."""
        self._stopping.set()
        if self._history_timer is not None:
            self._history_timer.join(timeout=30)
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self.pages.close()
        self.refresh_pages()
        self.commit_history()
        if self._warming is not None:
            self._warming.join()  # never leave the model half-loaded at interpreter exit
        self.memories.close()
        self.vectors.close()
        self.db.close()
        self.embedder.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def commit_message(journal: list[tuple[str, str]], title: str = "") -> str:
    """A commit message for a batch of changes: a summary line (``title`` if given), then one
    line per change."""
    counts: dict[str, int] = {}
    for verb, _ in journal:
        counts[verb] = counts.get(verb, 0) + 1
    summary = ", ".join(f"{verb} {n}" for verb, n in counts.items())
    lines = [f"- {verb}: {' '.join(text.split())[:72]}" for verb, text in journal[:30]]
    if len(journal) > 30:
        lines.append(f"- and {len(journal) - 30} more")
    return f"{title or 'Assistant: ' + summary}\n\n" + "\n".join(lines)


def _warm_up(embedder: Embedder, queries_only: bool) -> threading.Thread | None:
    """Load the embedding model (or its query model) in the background while the indexes
    open (start-up time)."""
    load = getattr(embedder, "load_query" if queries_only else "load", None)
    if not callable(load):
        return None
    thread = threading.Thread(target=_quietly, args=(load,), name="embedder-load")
    thread.start()
    return thread


def _quietly(load: Callable[[], object]) -> None:
    try:
        load()
    except Exception as exc:  # reported again, with its message, on first use
        log.debug("background model load failed: %s", exc)


def _prepare_home(settings: Settings, layout: VaultLayout) -> None:
    try:
        paths.private_dir(settings.home)  # every file under the home is its owner's only
        for folder in (paths.index_dir(settings.home), paths.cache_dir(settings.home)):
            paths.private_dir(folder)
    except OSError as exc:
        raise storage_error(exc, settings.home, doing="create") from exc
    layout.ensure(paths.template_vault())
