"""Copies of the archives on S3-compatible storage (AWS S3, Backblaze B2, MinIO, …), through
boto3 (the ``s3`` extra). Credentials come from ``ASSISTANT_S3_ACCESS_KEY_ID`` and
``ASSISTANT_S3_SECRET_ACCESS_KEY``, else the keyring entries ``s3-access-key-id`` and
``s3-secret-access-key``, else boto3's own chain (``AWS_*`` variables, ``~/.aws``)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from assistant.backup.errors import BackupError
from assistant.backup.manifest import is_archive_name
from assistant.backup.settings import BackupSettings
from assistant.keyring_secrets import Lookup, keyring_lookup

log = logging.getLogger(__name__)


class S3Remote:
    """One bucket and prefix holding archives."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self._client = client
        self.bucket = bucket
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"

    @classmethod
    def configured(
        cls, policy: BackupSettings, environ: Mapping[str, str], lookup: Lookup = keyring_lookup
    ) -> S3Remote | None:
        """The remote of the ``[backup]`` settings, or None when no bucket is set."""
        if not policy.s3_bucket:
            return None
        try:
            boto3: Any = import_module("boto3")
        except ImportError as exc:
            raise BackupError(
                "copying backups to S3 needs boto3: pip install 'assistant[s3]'",
                title="S3 support not installed",
            ) from exc
        key = environ.get("ASSISTANT_S3_ACCESS_KEY_ID") or lookup("s3-access-key-id")
        secret = environ.get("ASSISTANT_S3_SECRET_ACCESS_KEY") or lookup("s3-secret-access-key")
        options: dict[str, Any] = {}
        if key and secret:
            options.update(aws_access_key_id=key, aws_secret_access_key=secret)
        if policy.s3_endpoint:
            options["endpoint_url"] = policy.s3_endpoint
        if policy.s3_region:
            options["region_name"] = policy.s3_region
        client = boto3.session.Session().client("s3", **options)
        return cls(client, policy.s3_bucket, policy.s3_prefix)

    def url(self, name: str) -> str:
        """Where ``name`` lives, for messages and the log."""
        return f"s3://{self.bucket}/{self.prefix}{name}"

    def upload(self, path: Path) -> str:
        """Copy an archive to the bucket (visible only once whole); returns its URL."""
        self._call("upload", self._client.upload_file, str(path), self.bucket, self._key(path.name))
        return self.url(path.name)

    def names(self) -> list[str]:
        """The archives in the bucket under the prefix, by file name."""
        found: list[str] = []
        pages = self._client.get_paginator("list_objects_v2")
        listing = self._call("list", pages.paginate, Bucket=self.bucket, Prefix=self.prefix)
        try:
            for page in listing:
                for item in page.get("Contents", []):
                    name = str(item["Key"])[len(self.prefix) :]
                    if "/" not in name and is_archive_name(name):
                        found.append(name)
        except Exception as exc:  # botocore's errors, raised while paging
            raise _failed("list", self.bucket, exc) from exc
        return sorted(found)

    def download(self, name: str, target: Path) -> Path:
        """Fetch the archive ``name`` as ``target`` (created 0600: its owner's only)."""
        target.unlink(missing_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as sink:
                self._call(
                    "download", self._client.download_fileobj, self.bucket, self._key(name), sink
                )
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def delete(self, names: list[str]) -> None:
        """Remove the archives ``names`` from the bucket."""
        for name in names:
            self._call(
                "delete", self._client.delete_object, Bucket=self.bucket, Key=self._key(name)
            )

    def _key(self, name: str) -> str:
        return self.prefix + name

    def _call(self, doing: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Exception as exc:  # botocore and boto3 errors share no base worth naming
            raise _failed(doing, self.bucket, exc) from exc


def _failed(doing: str, bucket: str, exc: Exception) -> BackupError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return BackupError(
        f"S3 {doing} in bucket {bucket!r} failed: {reason}", title="Remote copy failed"
    )
