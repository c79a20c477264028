"""The cost ledger: every model call with its tokens, dollars, route and latency."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from assistant.store.database import Database


@dataclass(frozen=True)
class CostEntry:
    """One model call, successful or not."""

    model: str
    provider: str
    route: str
    input_tokens: int
    output_tokens: int
    dollars: float
    strong_dollars: float
    """What the same tokens would have cost on the strong model (the routing saving)."""
    latency_ms: float
    ok: bool = True
    error: str = ""
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class SpendRow:
    """Spend of one group (a day, a model or a route)."""

    key: str
    calls: int
    input_tokens: int
    output_tokens: int
    dollars: float
    strong_dollars: float


@dataclass(frozen=True)
class ModelCalls:
    """The calls of one model over a period, and how the latest one went."""

    model: str
    calls: int
    failures: int
    last_ok: bool
    last_error: str
    last_at: float


@dataclass(frozen=True)
class CostSummary:
    """Spend over a period, grouped three ways, and what routing saved."""

    days: int
    by_day: list[SpendRow]
    by_model: list[SpendRow]
    by_route: list[SpendRow]
    total: float
    strong_total: float
    failures: int

    @property
    def saving(self) -> float:
        """Share of the all-strong cost that routing saved (0 when nothing was spent)."""
        return 1.0 - self.total / self.strong_total if self.strong_total > 0 else 0.0


class CostLedger:
    """Reads and writes the ``costs`` table.

    Usage::

        ledger.record(CostEntry("haiku", "anthropic", "simple", 120, 40, 0.0003, 0.001, 850.0))
        ledger.spent_since(time.time() - 86400)
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, entry: CostEntry) -> None:
        """Store one call."""
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO costs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    entry.at,
                    entry.model,
                    entry.provider,
                    entry.route,
                    entry.input_tokens,
                    entry.output_tokens,
                    entry.dollars,
                    entry.strong_dollars,
                    entry.latency_ms,
                    entry.ok,
                    entry.error or None,
                ],
            )

    def spent_since(self, since: float) -> float:
        """Dollars spent on calls made at or after ``since`` (a Unix time)."""
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(dollars), 0) FROM costs WHERE occurred >= ?", [since]
            ).fetchone()
        return float(row[0]) if row else 0.0

    def calls_since(self, since: float) -> list[ModelCalls]:
        """Each model's calls made at or after ``since``, with how its latest call went."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT model, count(*), count(*) FILTER (WHERE NOT ok), arg_max(ok, occurred), "
                "arg_max(coalesce(error, ''), occurred), max(occurred) "
                "FROM costs WHERE occurred >= ? GROUP BY model ORDER BY model",
                [since],
            ).fetchall()
        return [
            ModelCalls(str(m), int(c), int(f), bool(ok), str(e), float(at))
            for m, c, f, ok, e, at in rows
        ]

    def summary(self, days: int = 30, now: float | None = None) -> CostSummary:
        """Spend over the last ``days`` days by day (local time), model and route."""
        since = (now or time.time()) - days * 86400
        groups = {
            "day": "strftime(to_timestamp(occurred), '%Y-%m-%d')",
            "model": "model",
            "route": "route",
        }
        rows: dict[str, list[SpendRow]] = {}
        with self._db.connect() as conn:
            for name, expr in groups.items():
                found = conn.execute(
                    f"""
                    SELECT {expr} AS k, count(*), sum(input_tokens), sum(output_tokens),
                           sum(dollars), sum(strong_dollars)
                    FROM costs WHERE occurred >= ? GROUP BY k ORDER BY k
                    """,
                    [since],
                ).fetchall()
                rows[name] = [
                    SpendRow(str(k), int(c), int(i), int(o), float(d), float(s))
                    for k, c, i, o, d, s in found
                ]
            failures = conn.execute(
                "SELECT count(*) FROM costs WHERE occurred >= ? AND NOT ok", [since]
            ).fetchone()
        return CostSummary(
            days=days,
            by_day=rows["day"],
            by_model=rows["model"],
            by_route=rows["route"],
            total=sum(r.dollars for r in rows["model"]),
            strong_total=sum(r.strong_dollars for r in rows["model"]),
            failures=int(failures[0]) if failures else 0,
        )
