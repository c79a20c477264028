"""What an archive holds: every file with its size and sha256, and the counts a restore
checks (memories, conversation turns, reminders, costs)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.backup.errors import ArchiveError

FORMAT = 1
MANIFEST_NAME = "manifest.json"
PREFIX = "assistant-backup-"
PLAIN_SUFFIX = ".tar.gz"
ENCRYPTED_SUFFIX = ".tar.gz.enc"
SCHEDULED = "-scheduled"
"""Marks the archives the daily backup makes: the only ones retention ever removes."""
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(rf"^{PREFIX}(\d{{8}}T\d{{6}}Z)({SCHEDULED})?(?:-(\d+))?\.tar\.gz(\.enc)?$")


@dataclass(frozen=True)
class FileEntry:
    """One file in the archive, by its path inside it (``vault/…``, ``records/…``)."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Counts:
    """What the home held when the backup was taken."""

    memories: int = 0
    """Memory notes (active and archived)."""
    turns: int = 0
    conversations: int = 0
    reminders: int = 0
    costs: int = 0


@dataclass(frozen=True)
class Manifest:
    """The first member of every archive."""

    created: str
    """When the snapshot was taken (ISO 8601, UTC)."""
    version: str
    """The assistant's version that made it."""
    counts: Counts
    files: tuple[FileEntry, ...]
    vault_scope: str = "vault"
    """``vault``: the whole vault; ``assistant``: only its ``Assistant/`` folder (a user's own
    vault, whose other notes are theirs to back up)."""
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """The manifest as UTF-8 JSON."""
        data = asdict(self)
        data["files"] = [asdict(f) for f in self.files]
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse a manifest; :class:`ArchiveError` when it is not one this version reads."""
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT:
                raise ArchiveError(
                    f"backup format {data.get('format')!r} is not one this version reads "
                    f"({FORMAT}); restore it with the version that made it"
                )
            return cls(
                created=str(data["created"]),
                version=str(data["version"]),
                counts=Counts(**data["counts"]),
                files=tuple(FileEntry(**f) for f in data["files"]),
                vault_scope=str(data.get("vault_scope", "vault")),
                extra=dict(data.get("extra", {})),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ArchiveError(f"the backup's manifest is unreadable: {exc}") from exc


def archive_name(created: datetime, *, encrypted: bool, scheduled: bool = False) -> str:
    """The file name of an archive taken at ``created``; ``scheduled`` marks one made by
    the daily backup (``assistant-backup-20261203T101500Z-scheduled.tar.gz``)."""
    stamp = created.astimezone(UTC).strftime(_STAMP) + (SCHEDULED if scheduled else "")
    return PREFIX + stamp + (ENCRYPTED_SUFFIX if encrypted else PLAIN_SUFFIX)


def archive_time(name: str) -> datetime | None:
    """When the archive named ``name`` was taken, or None for a file that is not one."""
    found = _NAME.match(Path(name).name)
    if found is None:
        return None
    return datetime.strptime(found.group(1), _STAMP).replace(tzinfo=UTC)


def archive_order(name: str) -> tuple[datetime, int] | None:
    """A key that sorts archive names oldest first (two made within one second by their
    counter), or None for a file that is not one."""
    found = _NAME.match(Path(name).name)
    when = archive_time(name)
    if found is None or when is None:
        return None
    return when, int(found.group(3) or 0)


def is_scheduled(name: str) -> bool:
    """Whether ``name`` is the name of an archive the daily backup made (retention's to
    prune); a manual one, made by ``assistant backup create``, is the user's to remove."""
    found = _NAME.match(Path(name).name)
    return found is not None and found.group(2) is not None


def is_archive_name(name: str) -> bool:
    """Whether ``name`` is an archive's file name."""
    return archive_time(name) is not None
