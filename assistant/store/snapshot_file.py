"""The vector table's live rows in one Arrow IPC file, so that reading needs no LanceDB.

Importing ``lancedb`` costs 1.3–4 s, most of a cold ``assistant search``. Every process that
writes the table writes this file afterwards (to a temporary name, then renamed over the
old one), stamped with the table version it holds and that version's manifest (its size and
modification time, so that a table deleted and created again does not pass for the old one).
A reader memory-maps the file and checks the stamp against the table's newest manifest in
its ``_versions`` directory, which needs no import either: a file that is missing, corrupt,
or stamped with another version is not used, and the caller reads the table through LanceDB
(and writes the file again).

Usage::

    stamp = table_stamp(lance_dir / "memories.lance")   # the newest version, or None
    table = read_snapshot(path, stamp)                   # None when missing, stale or corrupt
    write_snapshot(path, table, stamp_of(lance_dir / "memories.lance", version))
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

log = logging.getLogger(__name__)

_MANIFEST = re.compile(r"(\d+)\.manifest")
_TOP = 2**64 - 1
"""Lance's newer manifest names count down from here (the newest sorts first)."""
_KEY = b"assistant.snapshot.stamp"
SAVE_AFTER_S = 2.0
"""A long-running writer writes the file this long after its latest write."""


@dataclass(frozen=True)
class Stamp:
    """One version of a Lance table: its number and its manifest's size and mtime."""

    version: int
    size: int
    mtime_ns: int

    def encode(self) -> bytes:
        """The stamp as file metadata."""
        return f"{self.version}:{self.size}:{self.mtime_ns}".encode()


def _version_of(name: str) -> int | None:
    found = _MANIFEST.fullmatch(name)
    if found is None:
        return None
    number = int(found.group(1))
    return _TOP - number if len(found.group(1)) == 20 and number > 2**63 else number


def _stat(manifest: Path, version: int) -> Stamp | None:
    try:
        info = manifest.stat()
    except OSError:
        return None
    return Stamp(version, info.st_size, info.st_mtime_ns)


def table_stamp(table_dir: Path) -> Stamp | None:
    """The newest version of the Lance table at ``table_dir``, read from its directory;
    None when there is none or it cannot be read."""
    try:
        names = os.listdir(table_dir / "_versions")
    except OSError:
        return None
    found = [(v, n) for n in names if (v := _version_of(n)) is not None]
    if not found:
        return None
    version, name = max(found)
    return _stat(table_dir / "_versions" / name, version)


def stamp_of(table_dir: Path, version: int) -> Stamp | None:
    """The stamp of ``version`` of the table at ``table_dir`` (None: its manifest is gone)."""
    for name in (f"{_TOP - version:020d}.manifest", f"{version}.manifest"):
        stamp = _stat(table_dir / "_versions" / name, version)
        if stamp is not None:
            return stamp
    return None


def read_snapshot(path: Path, stamp: Stamp | None) -> pa.Table | None:
    """The rows saved at ``path`` when they were written at ``stamp`` (memory-mapped, not
    copied); None when the file is missing, unreadable or of another version."""
    if stamp is None:
        return None
    try:
        with pa.memory_map(str(path)) as source:
            reader = pa.ipc.open_file(source)
            saved = (reader.schema.metadata or {}).get(_KEY)
            if saved != stamp.encode():
                return None
            return reader.read_all()
    except FileNotFoundError:
        return None
    except (OSError, pa.ArrowException) as exc:
        log.info("snapshot file %s not used: %s", path, exc)
        return None


def write_snapshot(path: Path, table: pa.Table, stamp: Stamp) -> None:
    """Save ``table`` (its schema's metadata replaced by ``stamp``) at ``path`` atomically.
    A failure (a full disk) is logged, not raised: readers then use LanceDB."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    table = table.replace_schema_metadata({_KEY: stamp.encode()})
    try:
        with pa.OSFile(str(temporary), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
        os.replace(temporary, path)
    except (OSError, pa.ArrowException) as exc:
        log.warning("cannot write the snapshot file %s: %s", path, exc)
        with contextlib.suppress(OSError):
            temporary.unlink()


def read_arrays(path: Path, stamp: Stamp | None) -> dict[str, np.ndarray] | None:
    """Arrays saved by :func:`write_arrays` at ``stamp`` (None: missing, stale, corrupt)."""
    if stamp is None:
        return None
    try:
        with np.load(path, allow_pickle=False) as saved:
            if saved["stamp"].tobytes() != stamp.encode():
                return None
            return {name: saved[name] for name in saved.files if name != "stamp"}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError) as exc:
        log.info("%s not used: %s", path, exc)
        return None


def write_arrays(path: Path, arrays: Mapping[str, np.ndarray], stamp: Stamp) -> None:
    """Save ``arrays`` (an index derived from the rows at ``stamp``) at ``path`` atomically;
    a failure is logged, not raised."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        named = {"stamp": np.frombuffer(stamp.encode(), dtype=np.uint8), **arrays}
        with open(temporary, "wb") as out:
            np.savez(out, **named)  # type: ignore[arg-type]  # numpy's stub types allow_pickle
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("cannot write %s: %s", path, exc)
        with contextlib.suppress(OSError):
            temporary.unlink()


class Debounced:
    """Runs ``action`` once, ``delay`` seconds after the latest :meth:`poke` (in a timer
    thread): a long-running writer leaves the file current soon after a burst of writes."""

    def __init__(self, action: Callable[[], None], delay: float) -> None:
        self._action = action
        self._delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def poke(self) -> None:
        """(Re)start the countdown."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._delay, self._run)
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        """Stop a pending run (the caller runs the action itself, e.g. when closing)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _run(self) -> None:
        try:
            self._action()
        except Exception as exc:  # a snapshot file is an optimisation: never fatal
            log.warning("cannot write a snapshot file: %s", exc)


def remove_snapshot(path: Path) -> None:
    """Delete the file at ``path`` if it is there."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
