"""Errors of backups and restores (all :class:`~assistant.errors.AssistantError`)."""

from __future__ import annotations

from assistant.errors import AssistantError


class BackupError(AssistantError):
    """A backup could not be made, copied or restored."""

    title = "Backup failed"


class ArchiveError(BackupError):
    """An archive is truncated, corrupted, altered or not a backup at all."""

    title = "Damaged backup"


class PassphraseError(BackupError):
    """No passphrase is set, or the one given does not open the archive."""

    title = "Wrong passphrase"


class RestoreRefused(BackupError):
    """The target home is not empty (and ``--force`` was not given)."""

    title = "Home not empty"
