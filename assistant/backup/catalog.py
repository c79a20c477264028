"""The archives there are, here and on the remote, for ``assistant backup list``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.backup.archive import encrypted, read_manifest
from assistant.backup.create import local_archives
from assistant.backup.errors import BackupError, PassphraseError
from assistant.backup.manifest import Counts, archive_time
from assistant.backup.remote import S3Remote
from assistant.backup.settings import BackupSettings
from assistant.errors import AssistantError, storage_error
from assistant.settings import read_settings


@dataclass(frozen=True)
class BackupEntry:
    """One archive."""

    name: str
    created: datetime
    where: str
    """Its path, or its ``s3://`` URL."""
    size: int = 0
    encrypted: bool = False
    counts: Counts | None = None
    """From its manifest (None for an encrypted or remote one, whose manifest is not read)."""
    problem: str = ""
    """Why its manifest could not be read (a damaged archive)."""


def list_local(folder: Path) -> list[BackupEntry]:
    """The archives in ``folder``, newest first, with the counts of the plain ones."""
    entries = []
    for path in reversed(local_archives(folder)):
        sealed = encrypted(path)
        counts, problem = None, ""
        if not sealed:
            try:
                counts = read_manifest(path, _no_passphrase).counts
            except AssistantError as exc:
                problem = str(exc)
        when = archive_time(path.name)
        assert when is not None  # local_archives lists archives only
        entries.append(
            BackupEntry(path.name, when, str(path), path.stat().st_size, sealed, counts, problem)
        )
    return entries


def list_remote(policy: BackupSettings, environ: Mapping[str, str]) -> list[BackupEntry]:
    """The archives on the configured remote, newest first."""
    remote = _remote(policy, environ)
    entries = []
    for name in reversed(remote.names()):
        when = archive_time(name)
        assert when is not None  # names() lists archives only
        entries.append(BackupEntry(name, when, remote.url(name), encrypted=name.endswith(".enc")))
    return entries


def fetch_remote(name: str, flags: Mapping[str, Any], environ: Mapping[str, str]) -> Path:
    """Download the archive ``name`` from the remote of the settings (of ``flags`` and
    ``environ``) to a folder beside the home; returns its path."""
    settings = read_settings(flags, environ)
    remote = _remote(settings.backup, environ)
    if name not in remote.names():
        raise BackupError(f"no archive {name!r} in {remote.url('')}", title="Not found")
    folder = settings.home.parent / f".{settings.home.name}-download"
    try:
        paths.private_dir(folder)
    except OSError as exc:
        raise storage_error(exc, folder, doing="create") from exc
    return remote.download(name, folder / name)


def _remote(policy: BackupSettings, environ: Mapping[str, str]) -> S3Remote:
    remote = S3Remote.configured(policy, environ)
    if remote is None:
        raise BackupError(
            "no remote is configured: set s3_bucket in [backup] (or ASSISTANT_BACKUP_S3_BUCKET)",
            title="No remote",
        )
    return remote


def _no_passphrase() -> str:
    raise PassphraseError("a plain archive asked for a passphrase")
