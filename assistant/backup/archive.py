"""Writing, reading and verifying archives: a gzip'd tar whose first member is the manifest,
optionally inside the encrypted format of :mod:`assistant.backup.crypto`.

An archive is written to a hidden temp file beside its final name, synced, then renamed: a
full disk or a killed process leaves the older archives as they were and no half archive
under an archive's name. The temp file is created 0600 (its owner's only) from the start, so
no other user can open it while it is written, nor the archive it becomes.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from assistant import paths
from assistant.backup.crypto import MAGIC, DecryptingReader, EncryptingWriter, is_encrypted
from assistant.backup.errors import ArchiveError
from assistant.backup.manifest import MANIFEST_NAME, FileEntry, Manifest
from assistant.errors import AssistantError, storage_error

Passphrase = Callable[[], str]
"""Gives the passphrase when an archive turns out to be encrypted (asked for only then)."""
_BROKEN = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)
_LEVEL = 6


def write_archive(
    staging: Path, manifest: Manifest, destination: Path, passphrase: str | None = None
) -> Path:
    """Archive the files of ``manifest`` from ``staging`` as ``destination`` (encrypted
    with ``passphrase`` when given); returns ``destination``."""
    partial = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    created = datetime.fromisoformat(manifest.created).timestamp()
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)  # a leftover keeps its mode: start afresh
        with _private_file(partial) as raw:
            sealer = EncryptingWriter(raw, passphrase) if passphrase else None
            sink: BinaryIO = sealer if sealer is not None else raw  # type: ignore[assignment]
            with (
                gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=_LEVEL, mtime=0) as zipped,
                tarfile.open(fileobj=zipped, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                _add(tar, MANIFEST_NAME, io.BytesIO(manifest.to_json()), created)
                for entry in manifest.files:
                    with open(staging / entry.path, "rb") as handle:
                        _add(tar, entry.path, handle, created, entry.size)
            if sealer is not None:
                sealer.finish()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, destination)
        _sync_folder(destination.parent)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise storage_error(exc, destination) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return destination


def _private_file(path: Path) -> BinaryIO:
    """``path`` created for writing, readable by its owner only (mode 0600 at creation)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "wb")


def _add(
    tar: tarfile.TarFile, name: str, data: BinaryIO, mtime: float, size: int | None = None
) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data.getvalue()) if isinstance(data, io.BytesIO) else int(size or 0)
    info.mtime = int(mtime)
    info.mode = 0o600
    tar.addfile(info, data)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def encrypted(path: Path) -> bool:
    """Whether the archive at ``path`` is encrypted."""
    try:
        with open(path, "rb") as handle:
            return is_encrypted(handle.read(len(MAGIC)))
    except OSError as exc:
        raise storage_error(exc, path, doing="read") from exc


def read_manifest(path: Path, passphrase: Passphrase) -> Manifest:
    """The manifest of the archive at ``path`` (reads only its beginning)."""
    with _members(path, passphrase) as (manifest, _):
        return manifest


def verify_archive(path: Path, passphrase: Passphrase) -> Manifest:
    """Read the whole archive and check every file against the manifest; raises
    :class:`ArchiveError` naming the first problem."""
    return extract_archive(path, None, passphrase)


def extract_archive(path: Path, target: Path | None, passphrase: Passphrase) -> Manifest:
    """Check every file of the archive against its manifest and, with ``target``, write them
    under it; returns the manifest. Nothing outside ``target`` is ever written."""
    with _members(path, passphrase) as (manifest, members):
        expected = {entry.path: entry for entry in manifest.files}
        seen: set[str] = set()
        for info, stream in members:
            entry = expected.get(info.name)
            if entry is None or info.name in seen or not info.isfile():
                raise ArchiveError(f"{path.name} holds {info.name!r}, which its manifest lacks")
            seen.add(info.name)
            _check_file(entry, stream, None if target is None else target / _safe(info.name))
        missing = sorted(set(expected) - seen)
        if missing:
            raise ArchiveError(f"{path.name} lacks {len(missing)} files, e.g. {missing[0]}")
        return manifest


def _safe(name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ArchiveError(f"the archive holds an unsafe path: {name!r}")
    return Path(*relative.parts)


def _check_file(entry: FileEntry, stream: IO[bytes], target: Path | None) -> None:
    digest = hashlib.sha256()
    size = 0
    out: BinaryIO | None = None
    try:
        if target is not None:
            paths.private_dir(target.parent)
            out = open(target, "wb")  # noqa: SIM115 (closed below, after the loop)
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            if out is not None:
                out.write(block)
    except OSError as exc:
        if isinstance(exc, gzip.BadGzipFile):
            raise
        raise storage_error(exc, target or entry.path) from exc
    finally:
        if out is not None:
            out.close()
    if size != entry.size or digest.hexdigest() != entry.sha256:
        raise ArchiveError(f"{entry.path} does not match its checksum: the archive is damaged")


@contextmanager
def _members(
    path: Path, passphrase: Passphrase
) -> Iterator[tuple[Manifest, Iterator[tuple[tarfile.TarInfo, IO[bytes]]]]]:
    """The manifest and an iterator over the other members, read as one stream."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the ExitStack)
    except OSError as exc:
        raise storage_error(exc, path, doing="read") from exc
    with contextlib.ExitStack() as stack:
        stack.enter_context(handle)
        try:
            source: BinaryIO = handle
            if is_encrypted(handle.read(len(MAGIC))):
                handle.seek(0)
                source = DecryptingReader(handle, passphrase())  # type: ignore[assignment]
            else:
                handle.seek(0)
            zipped = stack.enter_context(gzip.GzipFile(fileobj=source, mode="rb"))
            tar = stack.enter_context(tarfile.open(fileobj=zipped, mode="r|"))
            first = tar.next()
            if first is None or first.name != MANIFEST_NAME:
                raise ArchiveError(f"{path.name} is not a backup (no manifest first)")
            manifest = Manifest.from_json(_read(tar, first))
            yield manifest, _rest(tar)
            while zipped.read(1 << 20):  # to its end, where gzip checks the whole stream's CRC
                pass  # (a byte changed in the tar's closing blocks is read by nothing else)
        except AssistantError:
            raise
        except _BROKEN as exc:
            raise ArchiveError(
                f"{path.name} is truncated or corrupted ({exc or type(exc).__name__})"
            ) from exc
        except OSError as exc:
            raise storage_error(exc, path, doing="read") from exc


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(info)
    if stream is None:
        raise ArchiveError(f"{info.name} in the archive is not a file")
    return stream.read()


def _rest(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    while (info := tar.next()) is not None:  # iterating would start again at the manifest
        stream = tar.extractfile(info) if info.isfile() else None
        yield info, stream if stream is not None else io.BytesIO()
