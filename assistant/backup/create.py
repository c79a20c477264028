"""Making a backup: stage a consistent copy, archive it, check it, copy it to the remote,
apply retention (the scheduled backup only), and log how it went.

Archives are their owner's only: created 0600 in a folder made 0700.

Usage::

    result = create_backup(settings, db, environ=os.environ, passphrase=None)
    result.path         # <home>/backups/assistant-backup-20261203T101500Z.tar.gz
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from assistant import paths
from assistant.backup.archive import verify_archive, write_archive
from assistant.backup.errors import BackupError
from assistant.backup.manifest import Manifest, archive_name, archive_order
from assistant.backup.remote import S3Remote
from assistant.backup.retention import expired
from assistant.backup.snapshot import remove_tree, stage_home
from assistant.errors import AssistantError, storage_error
from assistant.settings import Settings
from assistant.store.backup_runs import BackupLog, BackupRun
from assistant.store.database import Database

log = logging.getLogger(__name__)

_STAGING = ".assistant-backup-"


@dataclass(frozen=True)
class BackupResult:
    """What :func:`create_backup` made."""

    path: Path
    manifest: Manifest
    encrypted: bool
    size: int
    seconds: float
    verified: bool = False
    removed: tuple[str, ...] = ()
    """Archives retention removed (here and on the remote): only ever scheduled ones, and
    only by a scheduled backup."""
    remote: str = ""
    """The remote copy's URL, empty for none."""
    problems: tuple[str, ...] = field(default_factory=tuple)
    """What went wrong after the archive was made (the remote copy, retention)."""


def create_backup(
    settings: Settings,
    db: Database,
    *,
    environ: Mapping[str, str],
    target: Path | None = None,
    passphrase: str | None = None,
    verify: bool = False,
    now: datetime | None = None,
    trigger: str = "command",
) -> BackupResult:
    """Back up the home of ``settings`` (its database open as ``db``) into ``target`` (the
    ``[backup]`` folder by default), encrypted when ``passphrase`` is given. Old archives
    are left intact whatever fails; the run is logged either way. ``trigger="schedule"``
    (the daily backup) names the archive as scheduled and applies retention to the scheduled
    archives; any other backup is manual and removes nothing."""
    now = now or datetime.now(UTC)
    started, timer = now.timestamp(), time.perf_counter()
    folder = target or settings.backup.folder(settings.home)
    scheduled = trigger == "schedule"
    log_run = BackupLog(db)
    try:
        path, manifest = _make(settings, db, folder, now, passphrase, scheduled)
        if verify:
            _verify(path, passphrase)
    except AssistantError as exc:
        ended = started + time.perf_counter() - timer
        _record(log_run, BackupRun(started, ended, "failed", trigger, error=str(exc)))
        raise
    problems: list[str] = []
    removed = _prune_local(folder, path, now, settings, problems) if scheduled else []
    remote_url, remote_removed = _copy_remote(path, now, settings, environ, problems, scheduled)
    size = path.stat().st_size
    status = "partial" if problems else "ok"
    seconds = time.perf_counter() - timer
    run = BackupRun(started, started + seconds, status, trigger, path.name, size, remote_url)
    _record(log_run, replace(run, error="; ".join(problems)))
    return BackupResult(
        path,
        manifest,
        passphrase is not None,
        size,
        seconds,
        verify,
        tuple(removed + remote_removed),
        remote_url,
        tuple(problems),
    )


def _make(
    settings: Settings,
    db: Database,
    folder: Path,
    now: datetime,
    passphrase: str | None,
    scheduled: bool,
) -> tuple[Path, Manifest]:
    try:
        _private_folder(folder, settings.home)
        _sweep(folder)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=folder))
    except OSError as exc:
        raise storage_error(exc, folder, doing="create") from exc
    try:
        staged = stage_home(settings, db, staging / "files")
        manifest = Manifest(
            created=now.isoformat(),
            version=_version(),
            counts=staged.counts,
            files=staged.files,
            vault_scope=staged.vault_scope,
        )
        name = _free_name(folder, now, passphrase, scheduled)
        path = write_archive(staging / "files", manifest, name, passphrase)
    except OSError as exc:
        raise storage_error(exc, folder) from exc
    finally:
        remove_tree(staging)
    log.info("backup %s: %d files", path.name, len(manifest.files))
    return path, manifest


def _verify(path: Path, passphrase: str | None) -> None:
    try:
        verify_archive(path, lambda: passphrase or "")
    except AssistantError as exc:
        path.unlink(missing_ok=True)
        raise BackupError(f"the new backup failed its check and was removed: {exc}") from exc


def _private_folder(folder: Path, home: Path) -> None:
    """Make the backups folder 0700; one that already exists is tightened only when it is
    the home's own (a folder the user named elsewhere keeps the mode they gave it)."""
    if folder.is_dir() and not folder.resolve().is_relative_to(home.resolve()):
        return
    paths.private_dir(folder)


def _free_name(folder: Path, now: datetime, passphrase: str | None, scheduled: bool) -> Path:
    """A name no archive has yet (two backups within one second get a counter)."""
    name = archive_name(now, encrypted=passphrase is not None, scheduled=scheduled)
    path, counter = folder / name, 1
    while path.exists():
        stem, rest = name.split(".", 1)
        path, counter = folder / f"{stem}-{counter}.{rest}", counter + 1
    return path


def _sweep(folder: Path) -> None:
    """Remove the staging folders and partial archives of backups whose process died."""
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(_STAGING) and entry.is_dir():
            pid = name[len(_STAGING) :].split("-")[0]
        elif name.startswith(".") and name.endswith(".partial"):
            pid = name.rsplit(".", 2)[-2]
        else:
            continue
        if pid.isdigit() and not _alive(int(pid)):
            if entry.is_dir():
                remove_tree(entry)
            else:
                entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its files alone
    return True


def local_archives(folder: Path) -> list[Path]:
    """The archives in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and archive_order(p.name) is not None]
    return sorted(found, key=lambda p: archive_order(p.name) or (datetime.min, 0))


def _prune_local(
    folder: Path, made: Path, now: datetime, settings: Settings, problems: list[str]
) -> list[str]:
    gone = expired([p.name for p in local_archives(folder)], now, settings.backup)
    gone = [name for name in gone if name != made.name]  # never the archive just made
    for name in gone:
        try:
            (folder / name).unlink()
        except OSError as exc:
            problems.append(f"retention could not remove {name}: {exc}")
    return gone


def _copy_remote(
    path: Path,
    now: datetime,
    settings: Settings,
    environ: Mapping[str, str],
    problems: list[str],
    scheduled: bool,
) -> tuple[str, list[str]]:
    try:
        remote = S3Remote.configured(settings.backup, environ)
        if remote is None:
            return "", []
        url = remote.upload(path)
        if not scheduled:
            return url, []
        gone = [n for n in expired(remote.names(), now, settings.backup) if n != path.name]
        remote.delete(gone)
        return url, [remote.url(name) for name in gone]
    except AssistantError as exc:
        problems.append(str(exc))
        log.warning("remote copy of %s failed: %s", path.name, exc)
        return "", []


def _record(log_run: BackupLog, run: BackupRun) -> None:
    """Log the run; a log that cannot be written (the disk that failed the backup) is
    reported in the process log and never hides the backup's own outcome."""
    try:
        log_run.record(run)
    except AssistantError as exc:
        log.warning("backup not logged: %s", exc)


def _version() -> str:
    try:
        return version("assistant")
    except PackageNotFoundError:
        return "unknown"
