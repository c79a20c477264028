"""Live sync: a watchdog observer notices edits made in Obsidian; a debounced consumer
re-indexes just the touched notes.

The observer thread only puts paths on a queue. The consumer waits until the vault has been
quiet for ``debounce`` seconds, then hands the batch to ``on_changes``. Checksums make the
assistant's own writes no-ops. A heartbeat restarts the observer if it dies and says so.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

IGNORED_DIRS = {".obsidian", ".git", ".trash"}


def relevant(paths: Iterable[str], vault: Path) -> set[Path]:
    """The vault-relative paths worth re-indexing: notes and folders under ``Assistant/``,
    never temp files, hidden files or Obsidian's own folders."""
    out: set[Path] = set()
    for raw in paths:
        try:
            relative = Path(raw).relative_to(vault)
        except ValueError:
            continue
        parts = relative.parts
        if not parts or parts[0] != "Assistant" or relative.suffix == ".tmp":
            continue
        if any(part.startswith(".") or part in IGNORED_DIRS for part in parts):
            continue
        if relative.suffix in ("", ".md"):
            out.add(relative)
    return out


class VaultWatcher:
    """Watches a vault and calls ``on_changes(paths)`` with debounced batches."""

    def __init__(
        self,
        vault: Path,
        on_changes: Callable[[set[Path]], object],
        *,
        on_problem: Callable[[str], None] | None = None,
        debounce: float = 0.3,
        heartbeat: float = 5.0,
    ) -> None:
        self.vault = vault
        self._on_changes = on_changes
        self._on_problem = on_problem or (lambda message: log.warning("%s", message))
        self._debounce = debounce
        self._heartbeat = heartbeat
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._observer: Any = None
        self._consumer: threading.Thread | None = None
        self.restarts = 0

    def start(self) -> None:
        """Start the observer and the consumer threads."""
        self._observer = self._new_observer()
        self._consumer = threading.Thread(target=self._consume, name="vault-sync", daemon=True)
        self._consumer.start()

    def stop(self) -> None:
        """Stop both threads (pending changes are dropped; the next catch-up finds them)."""
        self._stop.set()
        self._queue.put("")  # wakes the consumer at once
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._consumer is not None:
            self._consumer.join(timeout=30)

    @property
    def alive(self) -> bool:
        """Whether the observer thread is running."""
        return self._observer is not None and self._observer.is_alive()

    def _new_observer(self) -> Any:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        pending = self._queue

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type not in ("moved", "deleted"):
                    return  # a folder "modified" only echoes the file events inside it
                pending.put(str(event.src_path))
                if getattr(event, "dest_path", ""):
                    pending.put(str(event.dest_path))

        observer = Observer()
        observer.schedule(Handler(), str(self.vault / "Assistant"), recursive=True)
        observer.daemon = True
        observer.start()
        return observer

    def _consume(self) -> None:
        while not self._stop.is_set():
            try:
                first = self._queue.get(timeout=self._heartbeat)
            except queue.Empty:
                self._check_observer()
                continue
            if self._stop.is_set():
                break
            batch = {first}
            quiet_since = time.monotonic()
            while time.monotonic() - quiet_since < self._debounce and not self._stop.is_set():
                try:
                    batch.add(self._queue.get(timeout=self._debounce))
                    quiet_since = time.monotonic()
                except queue.Empty:
                    break
            paths = relevant(batch, self.vault)
            if paths and not self._stop.is_set():
                try:
                    self._on_changes(paths)
                except Exception as exc:  # the watcher must outlive any one bad batch
                    log.exception("vault sync failed")
                    self._on_problem(f"could not index vault changes: {exc}")
            self._check_observer()

    def _check_observer(self) -> None:
        if self._stop.is_set() or self.alive:
            return
        self.restarts += 1
        self._on_problem("the vault watcher stopped; restarting it (changes are caught up)")
        try:
            self._observer = self._new_observer()
            self._queue.put(str(self.vault / "Assistant"))  # rescan everything once
        except OSError as exc:
            self._on_problem(f"cannot watch the vault: {exc}")
