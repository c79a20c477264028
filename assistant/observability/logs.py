"""Structured logs: one JSON object per line under ``<home>/logs/``, secrets and phone numbers
redacted, and the reader behind ``assistant logs``.

Each line holds ``time`` (UTC, ISO 8601), ``level``, ``component`` (``conversation``,
``service``, ``vault``, a bridge's name…), ``event`` (``reply``, ``model_call``… or ``log``
for a plain message), ``message``, and the record's own fields: ids, counts, ``duration_ms``.
The core logs through ``logging`` with ``extra={"event": ..., ...}``; only the command line
attaches the handler (``cli/assistant_cli/main.py``): a :class:`BackgroundHandler`, whose
thread writes the lines with :class:`JsonFormatter`.

Usage::

    log.info("answered", extra={"event": "reply", "route": "simple", "duration_ms": 412.5})
    for entry in read_entries(paths.log_dir(home), level="warning"):
        print(entry.line())
"""

from __future__ import annotations

import collections
import functools
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import InvalidInputError
from assistant.learning.pii import find_pii, redact

LOG_NAME = "assistant.log"
LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}

_LOGGED = frozenset({"api_key", "bank_account", "card", "passport", "password", "phone"})
"""What never reaches a log file: every secret kind, and phone numbers (a bridge's senders)."""

_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2})?")
"""A date (and hour) reads as a phone number to the pattern; it is no one's number."""

_RESERVED = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)
"""The attributes every record has: what is left on a record are the caller's fields."""


_MAYBE = re.compile(
    r"(?:\d\D{0,3}){6}|pass|pwd|\bpin\b|pin-code|wi-?fi|security code|cvv|cvc|api|key|token"
    r"|sk-|akia|gh[pousr]_|github_pat_|glpat-|hf_|[rsp]k_(?:live|test)|xox|aiza",
    re.IGNORECASE,
)
"""What every secret and phone number has somewhere: six digits, a label or a key's prefix.
Most log text has none, and skips the full scan."""


_ULID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")
"""A memory's, a session's or a turn's id: ours, never a secret, and common in a record."""


def redact_for_log(text: str) -> str:
    """``text`` with secrets and phone numbers replaced by ``[redacted KIND]``."""
    if len(text) == 26 and _ULID.fullmatch(text):
        return text
    return _redact_short(text) if len(text) <= 200 else _redact(text)


@functools.lru_cache(maxsize=4096)
def _redact_short(text: str) -> str:
    return _redact(text)  # the same ids, names and messages come back line after line


def _redact(text: str) -> str:
    if not _MAYBE.search(text):
        return text
    findings = [
        f
        for f in find_pii(text)
        if f.kind in _LOGGED and not (f.kind == "phone" and _DATE_LIKE.match(text, f.start))
    ]
    return redact(text, findings, _LOGGED) if findings else text


def component_of(logger: str) -> str:
    """The part of the product a logger belongs to: ``assistant.conversation.pipeline`` is
    ``conversation``, ``assistant_cli.main`` is ``cli``, ``assistant_discord`` is
    ``discord``, a library is its own top-level name."""
    head, _, rest = logger.partition(".")
    if head == "assistant":
        return rest.partition(".")[0] or "core"
    if head.startswith("assistant_"):
        return head.removeprefix("assistant_")
    return head or "root"


class JsonFormatter(logging.Formatter):
    """Formats a record as one redacted JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON object (no newline inside)."""
        entry: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname.lower(),
            "component": component_of(record.name),
            "event": "log",
            "message": redact_for_log(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = _safe(value)
        if record.exc_info:
            entry["error"] = redact_for_log(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["error"] = redact_for_log(record.exc_text)
        entry["logger"] = record.name
        return json.dumps(entry, ensure_ascii=False, default=str)


class BackgroundHandler(logging.Handler):
    """Keeps records in memory and writes them through ``file`` from a thread of its own,
    a batch every ``interval`` seconds: logging costs the reply's thread an append, never a
    file write (a write gives up the interpreter's lock, and getting it back behind a busy
    thread took milliseconds), and the writer does not wake for each record in a reply."""

    def __init__(self, file: logging.Handler, interval: float = 0.25) -> None:
        super().__init__()
        self.file = file
        self.interval = interval
        self._pending: collections.deque[logging.LogRecord] = collections.deque()
        self._writing = threading.Lock()
        self._stop = threading.Event()
        self._writer = threading.Thread(target=self._run, name="log-writer", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        """Keep ``record`` as it is now (its message merged with its arguments, which may
        change later; its traceback stays for the file's formatter)."""
        try:
            record.msg, record.args = record.getMessage(), None
        except Exception:  # a bad format string: logging's own report, as for any handler
            self.handleError(record)
            return
        self._pending.append(record)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()

    def flush(self) -> None:
        """Write every record kept so far."""
        with self._writing:
            while self._pending:
                self.file.handle(self._pending.popleft())

    def close(self) -> None:
        """Write what is kept, stop the thread and close the file."""
        self._stop.set()
        if self._writer.is_alive() and self._writer is not threading.current_thread():
            self._writer.join(5)
        self.flush()
        self.file.close()
        super().close()


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return redact_for_log(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _safe(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_safe(v) for v in value]
    return redact_for_log(str(value))


def _iso(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class LogEntry:
    """One line of the log, parsed."""

    time: float
    level: str
    component: str
    event: str
    message: str
    fields: dict[str, Any] = field(default_factory=dict)
    """The line's other fields (ids, counts, ``duration_ms``, ``error``)."""
    raw: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The line as it was written (for ``--json``)."""
        try:
            parsed = json.loads(self.raw)
            if isinstance(parsed, dict):
                return parsed
        except ValueError:
            pass
        return {
            "time": _iso(self.time),
            "level": self.level,
            "component": self.component,
            "event": self.event,
            "message": self.message,
        }


def parse_line(line: str) -> LogEntry | None:
    """A log line as an entry; a line in the older plain format (``date time LEVEL logger:
    message``) is read too; None for a line that is neither (a traceback's continuation)."""
    line = line.rstrip("\n")
    if line.startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        known = ("time", "level", "component", "event", "message")
        return LogEntry(
            time=_parse_time(str(data.get("time", ""))),
            level=str(data.get("level", "info")),
            component=str(data.get("component", "")),
            event=str(data.get("event", "log")),
            message=str(data.get("message", "")),
            fields={k: v for k, v in data.items() if k not in known and k != "logger"},
            raw=line,
        )
    plain = _PLAIN.match(line)
    if plain is None:
        return None
    when, level, logger, message = plain.groups()
    return LogEntry(
        time=_parse_time(when.replace(",", ".")),
        level=level.lower(),
        component=component_of(logger),
        event="log",
        message=redact_for_log(message),
        raw="",
    )


_PLAIN = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[,.]\d+) ([A-Z]+) ([\w.]+): (.*)")


def _parse_time(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.timestamp()


_SPAN = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)", re.IGNORECASE)
_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(text: str, now: float) -> float:
    """The Unix time ``text`` names: a span back from ``now`` (``90s``, ``10m``, ``2h``,
    ``1d``, ``1w``) or a local date and time (``2026-12-03``, ``2026-12-03T10:00``)."""
    span = _SPAN.fullmatch(text.strip())
    if span:
        return now - float(span.group(1)) * _SECONDS[span.group(2).lower()]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"--since {text!r} is neither a span nor a date: use 10m, 2h, 1d or a date "
            "such as 2026-12-03T10:00"
        ) from None
    return (moment if moment.tzinfo else moment.astimezone()).timestamp()


def log_files(folder: Path) -> list[Path]:
    """The log files in ``folder``, oldest first (``assistant.log.3`` … ``assistant.log``)."""
    rotated = []
    for path in folder.glob(LOG_NAME + ".*"):
        suffix = path.name.rsplit(".", 1)[-1]
        if suffix.isdigit():
            rotated.append((int(suffix), path))
    current = folder / LOG_NAME
    ordered = [p for _, p in sorted(rotated, reverse=True)]
    return ordered + ([current] if current.exists() else [])


@dataclass(frozen=True)
class LogFilter:
    """Which entries to show: at or above ``level``, of ``component`` (empty: any), at or
    after ``since`` (a Unix time; 0: any)."""

    level: str = "debug"
    component: str = ""
    since: float = 0.0

    def __call__(self, entry: LogEntry) -> bool:
        """Whether ``entry`` passes."""
        if LEVELS.get(entry.level, 20) < LEVELS.get(self.level, 10):
            return False
        if self.component and entry.component != self.component:
            return False
        return entry.time >= self.since


def read_entries(folder: Path, wanted: LogFilter | None = None) -> Iterator[LogEntry]:
    """Every entry of the log files in ``folder`` that passes ``wanted``, oldest first."""
    wanted = wanted or LogFilter()
    for path in log_files(folder):
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    entry = parse_line(line)
                    if entry is not None and wanted(entry):
                        yield entry
        except OSError:
            continue  # rotated away while being read


def follow(
    folder: Path,
    wanted: LogFilter | None = None,
    *,
    poll: float = 0.5,
    stopped: Callable[[], bool] | None = None,
) -> Iterator[LogEntry]:
    """The entries written to ``assistant.log`` from now on, as they come (across rotations),
    until ``stopped()`` is true (never, by default)."""
    wanted = wanted or LogFilter()
    path = folder / LOG_NAME
    position = path.stat().st_size if path.exists() else 0
    identity = _inode(path)
    pending = ""
    while stopped is None or not stopped():
        now = _inode(path)
        if now != identity or (path.exists() and path.stat().st_size < position):
            identity, position, pending = now, 0, ""  # rotated: read the new file from its start
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                handle.seek(position)
                chunk = handle.read()
                position = handle.tell()
        except OSError:
            chunk = ""
        if chunk:
            *complete, pending = (pending + chunk).split("\n")
            for line in complete:
                entry = parse_line(line)
                if entry is not None and wanted(entry):
                    yield entry
        else:
            time.sleep(poll)


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except OSError:
        return -1
