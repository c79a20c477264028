"""Health of a home: one function computes the checks that ``GET /health`` answers and
``assistant doctor`` prints, so the endpoint and the terminal never disagree.

The overall status is ``healthy`` when every check passes, ``degraded`` when something fails
that leaves the assistant answering (a model failing, a bridge down, the watcher stopped, the
last consolidation failed), ``unhealthy`` when it cannot work (the index or the records
cannot be read).

Usage::

    checks = health_checks(assistant, registry.models(), running=Running(...))
    health = assess(checks)           # Health(status="degraded", checks=[...])
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError, StoreBusyError

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.models.chat import ChatModel

log = logging.getLogger(__name__)

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"
RUNTIME_CHECKS = ("index", "records", "models", "bridges", "watcher", "consolidation", "backup")
"""The checks ``/health`` answers (``doctor`` prints them too, beside its set-up checks)."""


@dataclass(frozen=True)
class Check:
    """One finding: ``ok`` false means something needs attention."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    degrades: bool = False
    """When not ok: the assistant still answers, in part (``degraded``, not ``unhealthy``)."""

    @property
    def status(self) -> str:
        """``ok``, ``degraded`` or ``unhealthy``."""
        if self.ok:
            return "ok"
        return DEGRADED if self.degrades else UNHEALTHY

    def as_dict(self) -> dict[str, Any]:
        """The check, for JSON."""
        return {
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            "fix": self.fix,
        }


def check_from_dict(data: Mapping[str, Any]) -> Check:
    """A check read back from :meth:`Check.as_dict`."""
    status = str(data.get("status", "ok"))
    return Check(
        str(data.get("name", "")),
        status == "ok",
        str(data.get("detail", "")),
        str(data.get("fix", "")),
        degrades=status == DEGRADED,
    )


@dataclass(frozen=True)
class Health:
    """The overall status and the checks behind it."""

    status: str
    checks: list[Check]
    checked: float

    def as_dict(self) -> dict[str, Any]:
        """The health, for ``GET /health`` and ``doctor --json``."""
        return {
            "status": self.status,
            "checked": datetime.fromtimestamp(self.checked).astimezone().isoformat("T", "seconds"),
            "checks": [c.as_dict() for c in self.checks],
        }


def assess(checks: Sequence[Check], now: float | None = None) -> Health:
    """The overall status of ``checks``."""
    status = HEALTHY
    for check in checks:
        if check.status == UNHEALTHY:
            status = UNHEALTHY
            break
        if check.status == DEGRADED:
            status = DEGRADED
    return Health(status, list(checks), time.time() if now is None else now)


@dataclass(frozen=True)
class Running:
    """What a running ``assistant serve`` knows only about itself."""

    bridges: Mapping[str, str] = field(default_factory=dict)
    """Each enabled bridge's state: ``running`` or why not."""
    watching: bool = False
    catching_up: bool = False
    """Still catching up with the vault after starting (the watcher starts next)."""
    watcher_restarts: int = 0
    consolidation: str = "off"
    """``off``, ``waiting`` or ``running``."""


def health_checks(
    assistant: Assistant,
    models: Sequence[ChatModel],
    *,
    running: Running | None = None,
    deep: bool = False,
    now: float | None = None,
) -> list[Check]:
    """The runtime checks of ``assistant``: index, records, models (``models`` are the ones
    configured), bridges and watcher (from ``running``; None: no serve runs), the last
    consolidation and the last backup. ``deep`` scans the vault for notes the index misses
    (slow on a large vault: the command line's choice, never the endpoint's)."""
    now = time.time() if now is None else now
    checks = _index(assistant, deep)
    checks.append(_records(assistant))
    checks.append(_models(assistant, models, now))
    checks.append(_bridges(assistant, running))
    checks.append(_watcher(running))
    checks.append(_consolidation(assistant, running))
    checks.append(_backup(assistant, now))
    return checks


def _index(assistant: Assistant, deep: bool) -> list[Check]:
    try:
        indexed = sum(assistant.memories.index.counts().values())
        vector_rows = assistant.vectors.count()
        report = assistant.memories.pending_changes() if deep else None
    except AssistantError as exc:
        return [Check("index", False, f"cannot be read: {exc.message}", _store_fix(exc))]
    problems = []
    if report is not None:
        if report.new or report.unnumbered:
            problems.append(f"{len(report.new) + len(report.unnumbered)} notes not indexed")
        if report.modified:
            problems.append(f"{len(report.modified)} notes edited or moved since indexing")
        if report.deleted:
            problems.append(f"{len(report.deleted)} indexed memories whose note is gone")
        if report.tombstones:
            problems.append(f"{len(report.tombstones)} archive copies of notes that came back")
    if vector_rows != indexed:
        problems.append(f"vector index has {vector_rows} rows for {indexed} notes")
    fix = "assistant reindex" if vector_rows != indexed else "assistant vault sync"
    consistent = "consistent with the vault" if deep else "notes and vectors agree"
    checks = [
        Check(
            "index",
            not problems,
            "; ".join(problems) or f"{indexed} memories indexed, {consistent}",
            fix if problems else "",
            degrades=True,
        )
    ]
    for relative, reason in report.invalid if report is not None else ():
        checks.append(
            Check(
                "note",
                False,
                f"{relative.as_posix()}: {reason} (skipped, left untouched)",
                f"fix {assistant.settings.vault / relative} in Obsidian, "
                "then run: assistant vault sync",
                degrades=True,
            )
        )
    return checks


def _store_fix(exc: AssistantError) -> str:
    if isinstance(exc, StoreBusyError):
        return "close the other assistant process holding it, or wait"
    return "assistant doctor, then assistant reindex (the vault is the truth)"


def _records(assistant: Assistant) -> Check:
    try:
        assistant.runs.history(1)
    except StoreBusyError as exc:
        return Check("records", False, f"busy: {exc.message}", _store_fix(exc), degrades=True)
    except AssistantError as exc:
        return Check(
            "records",
            False,
            f"cannot be read: {exc.message}",
            "restore them from a backup (assistant backup)",
        )
    return Check("records", True, "readable")


def _models(assistant: Assistant, models: Sequence[ChatModel], now: float) -> Check:
    configs = {c.name: c for c in assistant.settings.models}
    ready, broken = [], []
    for model in models:
        problem = model.check()
        config = configs.get(model.info.name)
        if not problem:
            ready.append(model.info.name)
        elif config is not None and (config.provider == "llama" or config.base_url):
            broken.append(f"{model.info.name}: {problem}")  # configured by hand: should work
    window = assistant.settings.observability.model_error_minutes
    try:
        calls = assistant.ledger.calls_since(now - window * 60)
    except AssistantError as exc:
        log.warning("model calls not read: %s", exc)
        calls = []
    failing = [
        f"{c.model}: {c.failures} of {c.calls} calls failed in the last {window:g} min"
        + (f" (last: {c.last_error})" if c.last_error else "")
        for c in calls
        if not c.last_ok
    ]
    if broken or failing:
        return Check("models", False, "; ".join(broken + failing), "assistant models", True)
    if not ready:
        return Check(
            "models",
            True,
            "no chat model ready: answers come from memory alone",
            "export ANTHROPIC_API_KEY=… or assistant models add model.gguf",
        )
    calls_made = sum(c.calls for c in calls)
    recent = f"; {calls_made} calls in the last {window:g} min, the latest of each ok"
    return Check("models", True, "ready: " + ", ".join(ready) + (recent if calls_made else ""))


def _bridges(assistant: Assistant, running: Running | None) -> Check:
    configured = [
        name for name, table in assistant.settings.bridges.items() if table.get("enabled", True)
    ]
    if running is None:
        names = f" ({', '.join(configured)} configured)" if configured else ""
        return Check("bridges", True, f"assistant serve is not running{names}")
    down = {name: why for name, why in running.bridges.items() if why != "running"}
    if down:
        detail = "; ".join(f"{name}: {why}" for name, why in down.items())
        return Check("bridges", False, detail, "assistant serve --check; assistant plugins", True)
    up = ", ".join(running.bridges) or "none configured"
    return Check("bridges", True, f"running: {up}")


def _watcher(running: Running | None) -> Check:
    if running is None:
        return Check("watcher", True, "assistant serve is not running")
    restarts = running.watcher_restarts
    restarted = f" (restarted {restarts} times)" if restarts else ""
    if running.catching_up:
        return Check("watcher", True, "catching up with the vault; watching it next")
    if not running.watching:
        return Check(
            "watcher",
            False,
            "the vault is not watched: edits in Obsidian wait for the next start" + restarted,
            "restart assistant serve",
            degrades=True,
        )
    return Check("watcher", True, "watching the vault" + restarted)


def _consolidation(assistant: Assistant, running: Running | None) -> Check:
    try:
        runs = [r for r in assistant.runs.history(10) if not r.dry_run]
    except AssistantError as exc:
        return Check("consolidation", False, f"runs not read: {exc.message}", "", True)
    state = f"; {running.consolidation}" if running is not None else ""
    if not runs:
        return Check("consolidation", True, "never ran" + state)
    last = runs[0]
    when = datetime.fromtimestamp(last.started).strftime("%Y-%m-%d %H:%M")
    took = f" in {last.seconds:.1f} s" if last.ended else ""
    detail = f"last run {when}: {last.status}{took}{state}"
    if last.status == "failed":
        errors = "; ".join(last.errors[:2])
        return Check(
            "consolidation",
            False,
            detail + (f" ({errors})" if errors else ""),
            "assistant consolidate (the log has the details: assistant logs --level warning)",
            degrades=True,
        )
    return Check("consolidation", True, detail)


def _backup(assistant: Assistant, now: float) -> Check:
    from assistant.backup.schedule import describe_last

    try:
        ok, detail, fix = describe_last(assistant.db, assistant.settings, now)
    except AssistantError as exc:
        return Check("backup", True, f"unknown ({exc.message})")
    return Check("backup", ok, detail, fix if not ok else "", degrades=True)
