"""Usage stats (access count, last access) kept off the reply path.

Reads come from an in-memory copy of the ``usage`` table, refreshed every ``refresh``
seconds so other processes' retrievals show up; writes are buffered and flushed to DuckDB by
a background thread shortly after, and on close. A search therefore never waits for DuckDB.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.errors import AssistantError
from assistant.store.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    """How often and how recently a memory was used (put into an answer, opened, confirmed)."""

    access_count: int = 0
    last_access: float | None = None


class UsageLog:
    """Buffered, cached access to the ``usage`` table."""

    def __init__(self, db: Database, *, refresh: float = 30.0, delay: float = 2.0) -> None:
        self.db = db
        self._refresh = refresh
        self._delay = delay
        self._lock = threading.Lock()
        self._cache: dict[str, Usage] = {}
        self._loaded_at: float | None = None
        self._pending: Counter[str] = Counter()
        self._pending_last: dict[str, float] = {}
        self._timer: threading.Timer | None = None

    def get(self, ids: Sequence[str]) -> dict[str, Usage]:
        """Stats for ``ids`` that have any (our own unflushed retrievals included)."""
        if self._loaded_at is None or time.monotonic() - self._loaded_at > self._refresh:
            self._reload()
        with self._lock:
            return {i: self._cache[i] for i in ids if i in self._cache}

    def touch(self, ids: Sequence[str], when: float) -> None:
        """Count one use of each id at ``when``; written to DuckDB shortly after."""
        if not ids:
            return
        with self._lock:
            for i in ids:
                old = self._cache.get(i, Usage())
                self._cache[i] = Usage(old.access_count + 1, when)
                self._pending[i] += 1
                self._pending_last[i] = when
            if self._timer is None:
                self._timer = threading.Timer(self._delay, self._flush_quietly)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Write buffered retrievals to DuckDB now."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            pending, self._pending = self._pending, Counter()
            last, self._pending_last = self._pending_last, {}
        if not pending:
            return
        ids = list(pending)
        with self.db.connect() as conn:
            conn.execute(
                "INSERT INTO usage SELECT * FROM (SELECT unnest(?) AS id, unnest(?) AS n, "
                "unnest(?) AS t) ON CONFLICT (id) DO UPDATE SET "
                "access_count = usage.access_count + excluded.access_count, "
                "last_access = greatest(usage.last_access, excluded.last_access)",
                [ids, [pending[i] for i in ids], [last[i] for i in ids]],
            )

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except AssistantError as exc:  # busy index: keep the counts for the next flush
            log.info("usage stats not written yet: %s", exc)

    def _reload(self) -> None:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT id, access_count, last_access FROM usage").fetchall()
        with self._lock:
            fresh = {r[0]: Usage(r[1], r[2]) for r in rows}
            for i, count in self._pending.items():  # ours, not yet in DuckDB
                old = fresh.get(i, Usage())
                fresh[i] = Usage(old.access_count + count, self._pending_last[i])
            self._cache = fresh
            self._loaded_at = time.monotonic()
