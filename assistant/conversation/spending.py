"""Spending: every model call recorded in the cost ledger, and the running spend the budget is
checked against.

Usage::

    spending = Spending(CostLedger(db), registry, WorkQueue("bookkeeping"))
    cost = spending.bill(model.info, "complex", usage, latency_ms)
    today, month = spending.spent()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from assistant.conversation.work_queue import WorkQueue
from assistant.errors import AssistantError, ModelError
from assistant.models.chat import ModelInfo, Usage
from assistant.models.registry import ModelRegistry, period_starts
from assistant.store.ledger import CostEntry, CostLedger

log = logging.getLogger(__name__)

REREAD = 60.0
"""Seconds between reads of the spend from the ledger (in between, it is kept up to date)."""

Accountant = Callable[[ModelInfo, Usage, float], None]
"""Bills one call of a background helper: model, usage, latency in milliseconds."""

CallListener = Callable[[CostEntry, ModelError | None], None]
"""Told about each billed call (and its error), on the caller's thread: it must return at
once (the metrics count it)."""


class Spending:
    """The ledger and the running spend of one process."""

    def __init__(
        self,
        ledger: CostLedger,
        registry: ModelRegistry,
        queue: WorkQueue,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ledger = ledger
        self.registry = registry
        self._queue = queue
        self._clock = clock
        self._spend = (float("-inf"), 0.0, 0.0)  # (read at, today, this month)
        self._lock = threading.Lock()
        self._listeners: list[CallListener] = []

    def listen(self, listener: CallListener) -> None:
        """Tell ``listener`` about every call billed from now on."""
        self._listeners.append(listener)

    def bill(
        self,
        info: ModelInfo,
        route: str,
        usage: Usage,
        latency_ms: float,
        error: ModelError | None = None,
    ) -> float:
        """Record one call in the ledger (in the background) and in the running spend;
        returns its cost."""
        cost = info.cost(usage)
        strong = self.registry.strong()
        entry = CostEntry(
            model=info.name,
            provider=info.provider,
            route=route,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            dollars=cost,
            strong_dollars=strong.cost(usage) if strong else cost,
            latency_ms=latency_ms,
            ok=error is None,
            error=error.message if error else "",
        )
        with self._lock:
            read_at, today, month = self._spend
            self._spend = (read_at, today + cost, month + cost)
        self._queue.submit("cost not recorded", self.ledger.record, entry)
        self._tell(entry, error)
        return cost

    def _tell(self, entry: CostEntry, error: ModelError | None) -> None:
        """Log the call and tell the listeners; neither ever fails the call."""
        fields = {
            "event": "model_call",
            "model": entry.model,
            "route": entry.route,
            "ok": entry.ok,
            "input_tokens": entry.input_tokens,
            "output_tokens": entry.output_tokens,
            "dollars": round(entry.dollars, 6),
            "duration_ms": round(entry.latency_ms, 1),
        }
        if error is None:
            log.info("%s answered (%s)", entry.model, entry.route, extra=fields)
        else:
            log.warning("%s failed: %s", entry.model, error.message, extra=fields)
        for listener in self._listeners:
            try:
                listener(entry, error)
            except Exception:  # counting a call never fails it
                log.exception("a model-call listener failed")

    def accountant(self, route: str) -> Accountant:
        """Bills a background helper's calls (``learning``, ``consolidation``) under ``route``."""

        def account(info: ModelInfo, usage: Usage, latency_ms: float) -> None:
            self.bill(info, route, usage, latency_ms)

        return account

    def spent(self) -> tuple[float, float]:
        """Dollars spent today and this month (read from the ledger at most once a minute)."""
        with self._lock:
            read_at, today, month = self._spend
        now = self._clock()
        if now - read_at <= REREAD:
            return today, month
        day_start, month_start = period_starts()
        try:
            today = self.ledger.spent_since(day_start)
            month = self.ledger.spent_since(month_start)
        except AssistantError as exc:
            log.warning("cannot read the spend: %s", exc)
        with self._lock:
            self._spend = (now, today, month)
        return today, month
