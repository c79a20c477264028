"""Index care: the vault and the indexes agree, LanceDB is compacted, DuckDB checkpointed."""

from __future__ import annotations

from collections.abc import Callable

from assistant.consolidation.view import Action
from assistant.memories import Memories
from assistant.store.database import Database
from assistant.vault.sync import ScanStopped


def mismatched(memories: Memories) -> set[str]:
    """Ids in only one of the two indexes (DuckDB notes, LanceDB vectors)."""
    return set(memories.index.all()) ^ set(memories.vectors.ids())


def inconsistencies(memories: Memories) -> tuple[int, set[str]]:
    """Vault changes not yet indexed, and ids in only one of the two indexes."""
    return memories.pending_changes().pending, mismatched(memories)


def plan(memories: Memories) -> list[Action]:
    """What index care would fix."""
    pending, wrong = inconsistencies(memories)
    actions = []
    if pending:
        actions.append(
            Action("index", "fix", (), f"index {pending} vault change{'' if pending == 1 else 's'}")
        )
    if wrong:
        actions.append(
            Action(
                "index",
                "fix",
                tuple(sorted(wrong)),
                f"{len(wrong)} memories in one index only: rebuild from the vault",
            )
        )
    actions.append(Action("index", "refresh", (), "compact LanceDB, checkpoint DuckDB"))
    return actions


def catch_up(memories: Memories, stop: Callable[[], bool]) -> int | None:
    """Index what the vault holds and the indexes do not yet: edits made by hand, and notes
    a run wrote but was killed before indexing. Returns the number of changes, or None when
    ``stop()`` turned true during the scan (nothing was changed then)."""
    try:
        report = memories.pending_changes(stop=stop)
    except ScanStopped:
        return None
    return memories.sync(report).pending


def run(memories: Memories, db: Database, stop: Callable[[], bool]) -> dict[str, int]:
    """Index vault changes (a scan that stops when asked), rebuild when the two indexes
    disagree, compact LanceDB, checkpoint DuckDB."""
    fixed = catch_up(memories, stop)
    if fixed is None:
        return {"fixed": 0}
    wrong = mismatched(memories)
    if wrong and not stop():
        memories.reindex()
        fixed += len(wrong)
    if not stop():
        memories.vectors.compact()
        with db.connect() as conn:
            conn.execute("CHECKPOINT")
    return {"fixed": fixed}
