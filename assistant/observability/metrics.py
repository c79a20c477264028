"""Prometheus metrics of a running ``assistant serve``, in a registry of its own.

Two kinds of figures. Events are counted as they happen, from the seams the core already
has: every finished turn (messages, reply and retrieval time) and every billed model call
(calls, latency, errors, tokens, dollars). The rest is read when scraped, from the objects
that keep it: the learning queue's backlog, the budget left, the watcher's restarts, the
bridges' state, and, from the index and the records, memories by type and status,
consolidation runs, the bridges' queues and failed sends (cached for ``max_age`` seconds).

Labels carry only channel, route, model, memory type and status, queue, period and error
kind: never a memory's text, a sender or a secret.

Usage::

    metrics = Metrics()
    responder.listeners.add(metrics.on_turn)
    responder.spending.listen(metrics.on_call)
    metrics.watch(State(responder, bridges=lambda: service.bridge_state, ...))
    body = metrics.exposition()
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from assistant.errors import AssistantError, ModelError
from assistant.store.figures import Figures, read_figures
from assistant.store.ledger import CostEntry

if TYPE_CHECKING:
    from assistant.conversation.responder import Responder
    from assistant.conversation.turns import FinishedTurn

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
MODEL_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
RETRIEVAL_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
RUN_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


def error_kind(error: ModelError) -> str:
    """A short, bounded label for a model error: ``RateLimitedError`` is ``rate_limited``."""
    name = type(error).__name__.removesuffix("Error") or "model"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Metrics:
    """The counters and histograms of one serve, and the collectors read at scrape time."""

    def __init__(self) -> None:
        # A ``_created`` twin of every counter would double each scrape.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages = Counter(
            "assistant_messages", "Messages answered.", ["channel", "route"], registry=r
        )
        self.replies = Histogram(
            "assistant_reply_seconds",
            "Time from a message to the end of its reply.",
            ["channel"],
            buckets=REPLY_BUCKETS,
            registry=r,
        )
        self.retrieval = Histogram(
            "assistant_retrieval_seconds",
            "Time to retrieve memories and earlier turns for a message.",
            buckets=RETRIEVAL_BUCKETS,
            registry=r,
        )
        self.calls = Counter(
            "assistant_model_calls",
            "Model calls, failed ones included.",
            ["model", "route"],
            registry=r,
        )
        self.errors = Counter(
            "assistant_model_call_errors",
            "Model calls that failed.",
            ["model", "kind"],
            registry=r,
        )
        self.latency = Histogram(
            "assistant_model_call_seconds",
            "Duration of model calls.",
            ["model"],
            buckets=MODEL_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "assistant_model_tokens",
            "Tokens used by model calls.",
            ["model", "direction"],
            registry=r,
        )
        self.spent = Counter(
            "assistant_spent_dollars", "Dollars spent on model calls.", ["model"], registry=r
        )

    def on_turn(self, turn: FinishedTurn) -> None:
        """Count one finished turn (a turn listener)."""
        channel = turn.message.channel
        self.messages.labels(channel, turn.route or "none").inc()
        self.replies.labels(channel).observe(turn.seconds)
        if turn.retrieval_seconds is not None:
            self.retrieval.observe(turn.retrieval_seconds)

    def on_call(self, entry: CostEntry, error: ModelError | None) -> None:
        """Count one billed model call (a spending listener)."""
        self.calls.labels(entry.model, entry.route).inc()
        self.latency.labels(entry.model).observe(entry.latency_ms / 1000)
        if error is not None:
            self.errors.labels(entry.model, error_kind(error)).inc()
        if entry.input_tokens:
            self.tokens.labels(entry.model, "input").inc(entry.input_tokens)
        if entry.output_tokens:
            self.tokens.labels(entry.model, "output").inc(entry.output_tokens)
        if entry.dollars > 0:
            self.spent.labels(entry.model).inc(entry.dollars)

    def watch(self, state: State) -> None:
        """Read ``state`` at every scrape."""
        self.registry.register(state)

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)


@dataclass(frozen=True)
class Process:
    """What only the serve process knows about itself, read at scrape time."""

    started: float
    bridges: Callable[[], Mapping[str, str]]
    """Each enabled bridge's state: ``running`` or why not."""
    delivery_failures: Callable[[], Mapping[str, int]]
    """Failed tries to deliver a reminder, by channel."""


class State:
    """The figures read when scraped (a Prometheus custom collector)."""

    def __init__(
        self,
        responder: Responder,
        process: Process,
        *,
        max_age: float = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.responder = responder
        self.process = process
        self._max_age = max_age
        self._clock = clock
        self._stored: tuple[float, Figures] = (float("-inf"), Figures())
        self._lock = threading.Lock()

    def collect(self) -> Iterator[Metric]:
        """Every figure, as it stands now."""
        yield from self._process()
        yield from self._learning()
        yield from self._budget()
        yield from self._watcher()
        yield from self._stored_figures(self._figures())

    def _figures(self) -> Figures:
        """The counts from the index and records, read again when older than ``max_age``;
        a busy or broken store keeps the last ones (logged)."""
        with self._lock:
            read_at, figures = self._stored
            if time.monotonic() - read_at <= self._max_age:
                return figures
            try:
                figures = read_figures(self.responder.assistant.db)
            except AssistantError as exc:
                log.warning("metrics: counts not read: %s", exc)
            self._stored = (time.monotonic(), figures)
            return figures

    def _process(self) -> Iterator[Metric]:
        started = GaugeMetricFamily(
            "assistant_start_time_seconds", "When assistant serve started (Unix time)."
        )
        started.add_metric([], self.process.started)
        yield started
        uptime = GaugeMetricFamily("assistant_uptime_seconds", "Seconds since serve started.")
        uptime.add_metric([], max(0.0, self._clock() - self.process.started))
        yield uptime
        bridges = GaugeMetricFamily(
            "assistant_bridge_up",
            "Whether each enabled bridge runs (1) or not (0).",
            labels=["bridge"],
        )
        for name, why in self.process.bridges().items():
            bridges.add_metric([name], 1.0 if why == "running" else 0.0)
        yield bridges

    def _learning(self) -> Iterator[Metric]:
        depth, lag = self.responder.learning.backlog()
        waiting = GaugeMetricFamily(
            "assistant_learning_queue_depth", "Turns waiting to be kept and learned from."
        )
        waiting.add_metric([], depth)
        yield waiting
        behind = GaugeMetricFamily(
            "assistant_learning_queue_lag_seconds",
            "How long the oldest turn waiting to be learned from has waited.",
        )
        behind.add_metric([], lag)
        yield behind

    def _budget(self) -> Iterator[Metric]:
        today, month = self.responder.spending.spent()
        budget = self.responder.registry.budget
        spend = GaugeMetricFamily(
            "assistant_spend_dollars",
            "Dollars spent in the period (all processes).",
            labels=["period"],
        )
        spend.add_metric(["day"], today)
        spend.add_metric(["month"], month)
        yield spend
        left = GaugeMetricFamily(
            "assistant_budget_remaining_dollars",
            "Dollars left in the period's budget (only the limits that are set).",
            labels=["period"],
        )
        for period, limit, spent in (
            ("day", budget.daily, today),
            ("month", budget.monthly, month),
        ):
            if limit > 0:
                left.add_metric([period], max(0.0, limit - spent))
        yield left

    def _watcher(self) -> Iterator[Metric]:
        assistant = self.responder.assistant
        up = GaugeMetricFamily("assistant_watcher_up", "Whether the vault watcher runs (1) or not.")
        up.add_metric([], 1.0 if assistant.watching else 0.0)
        yield up
        restarts = CounterMetricFamily(
            "assistant_watcher_restarts", "Times the vault watcher died and was restarted."
        )
        restarts.add_metric([], assistant.watcher_restarts)
        yield restarts

    def _stored_figures(self, figures: Figures) -> Iterator[Metric]:
        memories = GaugeMetricFamily(
            "assistant_memories",
            "Memories in the index, by type and status.",
            labels=["type", "status"],
        )
        for (kind, status), count in sorted(figures.memories.items()):
            memories.add_metric([kind, status], count)
        yield memories
        yield from _runs(figures)
        depth = GaugeMetricFamily(
            "assistant_bridge_queue_depth",
            "Messages waiting in a bridge's inbox (to answer) or outbox (to send).",
            labels=["channel", "queue"],
        )
        failures = CounterMetricFamily(
            "assistant_delivery_failures",
            "Failed tries to deliver a message (bridge outbox) or a reminder.",
            labels=["channel", "kind"],
        )
        given_up = CounterMetricFamily(
            "assistant_deliveries_given_up",
            "Outgoing messages given up after their last try.",
            labels=["channel"],
        )
        for channel, queue in sorted(figures.queues.items()):
            depth.add_metric([channel, "inbox"], queue.inbox)
            depth.add_metric([channel, "outbox"], queue.outbox)
            failures.add_metric([channel, "message"], queue.failed_tries)
            given_up.add_metric([channel], queue.given_up)
        for channel, count in sorted(self.process.delivery_failures().items()):
            failures.add_metric([channel, "reminder"], count)
        yield from (depth, failures, given_up)


def _runs(figures: Figures) -> Iterator[Metric]:
    runs = CounterMetricFamily(
        "assistant_consolidation_runs", "Finished consolidation runs, by status.", labels=["status"]
    )
    duration = HistogramMetricFamily(
        "assistant_consolidation_duration_seconds", "Duration of consolidation runs."
    )
    every: list[float] = []
    for status, found in sorted(figures.runs.items()):
        runs.add_metric([status], found.count)
        every.extend(found.durations)
    bounds = [*RUN_BUCKETS, float("inf")]
    buckets = [(_bound(b), float(sum(1 for d in every if d <= b))) for b in bounds]
    duration.add_metric([], buckets, sum_value=sum(every))
    last = GaugeMetricFamily(
        "assistant_consolidation_last_run_timestamp_seconds",
        "When the latest consolidation run started (Unix time; 0: never).",
    )
    last.add_metric([], figures.last_run)
    yield from (runs, duration, last)


def _bound(value: float) -> str:
    return "+Inf" if value == float("inf") else repr(float(value))
