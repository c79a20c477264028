"""A consistent copy of a live home, staged in a folder before it is archived.

The records are copied by DuckDB itself, in one read transaction (``COPY FROM DATABASE``), so
a chat or ``serve`` writing meanwhile is seen entirely or not at all. Vault notes are written
atomically (a temp file, then a rename), so each file is read whole; the vault is copied, then
listed again and whatever changed meanwhile copied again, until a pass finds nothing new.
Secrets never enter: ``keys.json``, the keyring and the environment are not read, and
``config.toml`` is copied with any secret in it redacted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant import paths
from assistant.backup.manifest import Counts, FileEntry
from assistant.errors import storage_error
from assistant.settings import Settings
from assistant.store.database import Database
from assistant.vault.layout import VaultLayout

log = logging.getLogger(__name__)

RECORDS = "records/records.duckdb"
CONFIG = "config.toml"
VAULT = "vault"
_PASSES = 5
_SKIPPED_DIRS = {".git", ".trash"}

Listing = dict[str, tuple[int, int]]
"""Vault-relative path (posix) → (size, mtime in ns)."""


@dataclass(frozen=True)
class Staged:
    """What :func:`stage_home` copied."""

    files: tuple[FileEntry, ...]
    counts: Counts
    vault_scope: str


def stage_home(settings: Settings, db: Database, staging: Path) -> Staged:
    """Copy the vault, the records and ``config.toml`` of a (possibly running) home into
    ``staging``; returns every file with its sha256 and the counts."""
    scope, root = vault_root(settings)
    hashes: dict[str, FileEntry] = {}
    _stage_vault(root, settings.vault, staging / VAULT, hashes)
    records = _stage_records(db, staging / RECORDS)
    hashes[RECORDS] = _entry(RECORDS, staging / RECORDS)
    config = paths.config_file(settings.home)
    if config.is_file():
        _stage_config(config, staging / CONFIG)
        hashes[CONFIG] = _entry(CONFIG, staging / CONFIG)
    memories = sum(1 for _ in VaultLayout(staging / VAULT).note_files())
    counts = Counts(memories=memories, **records)
    return Staged(tuple(hashes[k] for k in sorted(hashes)), counts, scope)


def vault_root(settings: Settings) -> tuple[str, Path]:
    """What of the vault is backed up: all of the home's own vault, or only the
    ``Assistant/`` folder of a vault kept elsewhere (the user's own)."""
    own = settings.vault.resolve() == (settings.home / "vault").resolve()
    return ("vault", settings.vault) if own else ("assistant", settings.assistant_dir)


def _stage_records(db: Database, target: Path) -> dict[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    quoted = "'" + str(target).replace("'", "''") + "'"
    with db.connect() as conn:
        conn.execute(f"ATTACH {quoted} AS backup_snapshot")
        try:
            conn.execute("BEGIN")
            try:
                conn.execute("COPY FROM DATABASE records TO backup_snapshot")
                row = conn.execute(
                    "SELECT (SELECT count(*) FROM records.turns),"
                    " (SELECT count(DISTINCT session) FROM records.turns),"
                    " (SELECT count(*) FROM records.reminders),"
                    " (SELECT count(*) FROM records.costs)"
                ).fetchone()
            finally:
                conn.execute("COMMIT")
        finally:
            conn.execute("DETACH backup_snapshot")
    turns, conversations, reminders, costs = row or (0, 0, 0, 0)
    return {
        "turns": int(turns),
        "conversations": int(conversations),
        "reminders": int(reminders),
        "costs": int(costs),
    }


def _stage_config(source: Path, target: Path) -> None:
    from assistant.learning.pii import redact_secrets

    text = source.read_text(encoding="utf-8")
    clean = redact_secrets(text)
    if clean != text:
        log.warning("config.toml holds a secret: it was left out of the backup (redacted)")
    target.write_text(clean, encoding="utf-8")


def _stage_vault(root: Path, vault: Path, target: Path, hashes: dict[str, FileEntry]) -> None:
    before = list_vault(root, vault)
    for relative in before:
        _copy(vault, target, relative, hashes)
    for _ in range(_PASSES):
        after = list_vault(root, vault)
        changed = [p for p, stat in after.items() if before.get(p) != stat]
        gone = [p for p in before if p not in after]
        if not changed and not gone:
            return
        for relative in gone:
            (target / relative).unlink(missing_ok=True)
            hashes.pop(f"{VAULT}/{relative}", None)
        for relative in changed:
            _copy(vault, target, relative, hashes)
        before = after
    log.warning("the vault kept changing during the backup; each note was copied whole")


def list_vault(root: Path, vault: Path) -> Listing:
    """The files under ``root`` (vault-relative), without git's folder and temp files."""
    found: Listing = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in files:
            if name.endswith(".tmp"):
                continue
            full = Path(folder) / name
            try:
                stat = full.stat()
            except OSError:
                continue  # removed while listing: the next pass sees it gone
            found[full.relative_to(vault).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def _copy(vault: Path, target: Path, relative: str, hashes: dict[str, FileEntry]) -> None:
    """Copy one file, hashing what was read (read once, so the hash is of what was copied)."""
    destination = target / relative
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = (vault / relative).read_bytes()
    except FileNotFoundError:
        return  # removed since listed: the next pass sees it gone
    except OSError as exc:
        raise storage_error(exc, vault / relative, doing="read") from exc
    destination.write_bytes(data)
    name = f"{VAULT}/{relative}"
    hashes[name] = FileEntry(name, len(data), hashlib.sha256(data).hexdigest())


def _entry(name: str, path: Path) -> FileEntry:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return FileEntry(name, path.stat().st_size, digest.hexdigest())


def remove_tree(path: Path) -> None:
    """Remove a staging folder, quietly (it is only ever a copy)."""
    shutil.rmtree(path, ignore_errors=True)
