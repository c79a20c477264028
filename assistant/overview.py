"""Everything a dashboard shows about one home, gathered in one call (read-only)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.core import Assistant
from assistant.doctor import run_checks
from assistant.errors import AssistantError
from assistant.memory_types import Status
from assistant.observability.client import Figures, serve_figures
from assistant.observability.health import Check
from assistant.store.ledger import CostLedger, CostSummary
from assistant.store.runs import RunRecord


@dataclass(frozen=True)
class Overview:
    """Counts, spend, consolidation runs, review queue, vault state and doctor findings."""

    by_type: dict[str, int]
    by_status: dict[str, int]
    by_month: list[tuple[str, int]]
    """Memories created per month (``YYYY-MM``), the last six months that have any."""
    costs: CostSummary
    runs: list[RunRecord]
    to_review: int
    vault_pending: int
    """Vault changes not yet indexed (-1 when the vault could not be scanned)."""
    git: str
    problems: list[Check] = field(default_factory=list)
    serve: Figures | None = None
    """What a running ``assistant serve`` counted, from its own endpoints (None: none runs)."""
    by_project: dict[str, int] = field(default_factory=dict)
    """Active memories per project (every project that is not archived, ``""``: global)."""
    persona: dict[str, Any] | None = None
    """The companion's snapshot (name, mood with its recent history, needs, quirks); None
    when the persona is off."""


def overview(assistant: Assistant, days: int = 14) -> Overview:
    """Gather the overview (a vault scan included: call it off the UI thread)."""
    memories = assistant.memories.list(statuses=list(Status))
    by_type = Counter(m.type.value for m in memories if m.status is Status.ACTIVE)
    by_status = Counter(m.status.value for m in memories)
    months = Counter(m.created.astimezone().strftime("%Y-%m") for m in memories)
    in_projects = Counter(m.project for m in memories if m.status is Status.ACTIVE)
    by_project = {p.name: in_projects.get(p.name, 0) for p in assistant.projects.all()}
    try:
        pending = assistant.memories.pending_changes().pending
    except AssistantError:
        pending = -1
    return Overview(
        by_type=dict(by_type.most_common()),
        by_status=dict(by_status),
        by_month=sorted(months.items())[-6:],
        costs=CostLedger(assistant.db).summary(days),
        runs=assistant.runs.history(5),
        to_review=assistant.reviews.count_open(),
        vault_pending=pending,
        git=_git_state(assistant),
        problems=[c for c in run_checks(assistant, os.environ) if not c.ok],
        serve=serve_figures(assistant.settings.home),
        persona=_persona(assistant),
        by_project={**by_project, "": in_projects.get("", 0)} if by_project else {},
    )


def _persona(assistant: Assistant) -> dict[str, Any] | None:
    """The companion as ``assistant persona --json`` shows it (None when it is off)."""
    if not assistant.settings.persona.enabled:
        return None
    from assistant.companion.companion import Companion
    from assistant.companion.view import snapshot

    companion = Companion(assistant)
    try:
        return snapshot(companion, history=6)
    finally:
        companion.close()


def _git_state(assistant: Assistant) -> str:
    vault = assistant.settings.vault
    if not (vault / ".git").exists():
        return "not a git repository (assistant vault init keeps a history)"
    try:
        import git

        head = git.Repo(vault).head.commit
    except Exception:  # no commit yet, or a broken repository
        return "git repository, no commits yet"
    when = datetime.fromtimestamp(head.committed_date).strftime("%Y-%m-%d %H:%M")
    remote = assistant.settings.git_remote
    return f"last commit {when}" + (f", syncing with {remote}" if remote else "")
