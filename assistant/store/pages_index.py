"""What the assistant last wrote to each generated page: its checksum and the memories it
listed, so a later read can tell the user's edits from a stale page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from assistant.store.database import Database


@dataclass(frozen=True)
class PageRecord:
    """One page as last written."""

    path: str
    checksum: str
    items: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Note name → ``(memory id, text as shown)`` of each listed memory."""

    def lists(self, ids: set[str]) -> bool:
        """Whether the page listed any of these memory ids."""
        return any(memory_id in ids for memory_id, _ in self.items.values())


class PageIndex:
    """The ``pages`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> dict[str, PageRecord]:
        """Every page written so far, by vault-relative path."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT path, checksum, items FROM pages").fetchall()
        return {
            str(path): PageRecord(
                str(path),
                str(digest),
                {str(k): (str(v[0]), str(v[1])) for k, v in json.loads(items).items()},
            )
            for path, digest, items in rows
        }

    def put(self, records: list[PageRecord]) -> None:
        """Record pages just written."""
        if not records:
            return
        paths = [r.path for r in records]
        sums = [r.checksum for r in records]
        items = [json.dumps({k: list(v) for k, v in r.items.items()}) for r in records]
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM pages WHERE path IN (SELECT unnest(?))", [paths])
            conn.execute(
                "INSERT INTO pages SELECT unnest(?), unnest(?), unnest(?)::JSON",
                [paths, sums, items],
            )

    def remove(self, paths: list[str]) -> None:
        """Forget pages that were deleted."""
        if paths:
            with self.db.transaction() as conn:
                conn.execute("DELETE FROM pages WHERE path IN (SELECT unnest(?))", [paths])
