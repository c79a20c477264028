"""The ``[backup]`` section of config.toml: where backups go, how many are kept, and the
optional remote copy. Credentials and the passphrase are never settings: they come from the
environment or the system keyring."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError

SCHEDULES = ("daily", "off")


@dataclass(frozen=True)
class BackupSettings:
    """Backups (``[backup]`` in config.toml)."""

    dir: str = ""
    """Folder the archives are written to; empty: ``<home>/backups``. Put it on another disk
    (or let the remote copy carry them off the machine)."""
    schedule: str = "daily"
    """``daily``: a running ``assistant serve`` makes a backup once a day; ``off``: only on
    ``assistant backup create``."""
    encrypt: bool = False
    """Encrypt scheduled backups with the passphrase from ``ASSISTANT_BACKUP_PASSPHRASE`` or
    the keyring entry ``backup-passphrase`` (``assistant backup create --encrypt`` always
    does)."""
    keep_daily: int = 7
    """Keep the newest scheduled backup of each of this many most recent days (manual
    backups are never removed by retention)."""
    keep_weekly: int = 4
    """Keep the newest scheduled backup of each of this many most recent weeks."""
    keep_monthly: int = 12
    """Keep the newest scheduled backup of each of this many most recent months."""
    s3_bucket: str = ""
    """Copy each backup to this S3-compatible bucket (empty: no remote copy). Needs the
    ``s3`` extra: ``pip install 'assistant[s3]'``."""
    s3_prefix: str = "assistant-backups/"
    """Key prefix of the archives in the bucket."""
    s3_endpoint: str = ""
    """Endpoint URL for a service other than AWS (Backblaze B2, MinIO, …); empty: AWS."""
    s3_region: str = ""
    """Region of the bucket, when the service needs one."""

    def folder(self, home: Path) -> Path:
        """Where the archives go."""
        if not self.dir:
            return home / "backups"
        folder = Path(self.dir).expanduser()
        return folder if folder.is_absolute() else home / folder


def validate_backup(settings: BackupSettings) -> BackupSettings:
    """``settings``, or a ConfigError naming the value at fault."""
    if settings.schedule not in SCHEDULES:
        raise ConfigError(
            f"backup.schedule must be one of {', '.join(SCHEDULES)}, not {settings.schedule!r}",
            key=("backup", "schedule"),
        )
    keeps = (settings.keep_daily, settings.keep_weekly, settings.keep_monthly)
    if any(k < 0 for k in keeps):
        raise ConfigError("backup.keep_daily, keep_weekly and keep_monthly must not be negative")
    if settings.keep_daily + settings.keep_weekly + settings.keep_monthly == 0:
        raise ConfigError(
            "backup retention keeps nothing: set keep_daily, keep_weekly or keep_monthly",
            key=("backup", "keep_daily"),
        )
    return settings
