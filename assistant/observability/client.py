"""Reading a running ``assistant serve`` from another process: its health (for ``doctor``)
and its figures (for the browser's dashboard), asked of its own endpoints, so nothing is
counted twice or computed differently.

Usage::

    health = serve_health(home)         # None: no serve runs, or its endpoints are off
    figures = serve_figures(home)       # Figures(messages=12, model_calls=9, ...)
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.observability.health import Health, assess, check_from_dict

TIMEOUT = 2.0


def serve_address(home: Path) -> str:
    """``host:port`` of the endpoints of the serve running on ``home``; empty when none runs
    or its endpoints are off."""
    from assistant.service import read_status

    status = read_status(home)
    return status.http if status.running and ":" in status.http else ""


def _get(address: str, path: str, timeout: float) -> tuple[int, bytes] | None:
    host, _, port = address.rpartition(":")
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"  # listening everywhere: loopback reaches it
    url = f"http://{host}:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (http only)
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()
    except (OSError, ValueError):
        return None


def serve_health(home: Path, timeout: float = TIMEOUT) -> Health | None:
    """The health the serve running on ``home`` reports; None when none answers."""
    address = serve_address(home)
    if not address:
        return None
    answer = _get(address, "/health", timeout)
    if answer is None:
        return None
    try:
        data = json.loads(answer[1])
        checks = [check_from_dict(c) for c in data["checks"]]
    except (ValueError, KeyError, TypeError):
        return None
    return assess(checks)


@dataclass(frozen=True)
class Figures:
    """What the running serve counted since it started, read from its ``/metrics``."""

    address: str
    status: str
    """Its health: ``healthy``, ``degraded`` or ``unhealthy``."""
    uptime: float = 0.0
    messages: dict[str, float] = field(default_factory=dict)
    """Messages answered, by channel."""
    model_calls: dict[str, float] = field(default_factory=dict)
    """Model calls, by model."""
    model_errors: dict[str, float] = field(default_factory=dict)
    spent: float = 0.0
    """Dollars spent by the serve since it started."""
    budget_left: dict[str, float] = field(default_factory=dict)
    """Dollars left today and this month (only the limits that are set)."""
    learning_depth: float = 0.0
    learning_lag: float = 0.0
    bridge_queues: dict[str, float] = field(default_factory=dict)
    """Messages waiting, by ``channel queue`` (``sms outbox``)."""
    delivery_failures: float = 0.0
    watcher_restarts: float = 0.0
    reply_p50: float = 0.0
    """Median seconds to answer a message (0 when none was answered)."""


def serve_figures(home: Path, timeout: float = TIMEOUT) -> Figures | None:
    """The figures of the serve running on ``home``; None when none answers."""
    address = serve_address(home)
    if not address:
        return None
    metrics = _get(address, "/metrics", timeout)
    health = _get(address, "/health", timeout)
    if metrics is None or metrics[0] != 200:
        return None
    try:
        status = str(json.loads(health[1])["status"]) if health else "unknown"
    except (ValueError, KeyError, TypeError):
        status = "unknown"
    return figures_from(address, status, metrics[1].decode("utf-8", "replace"))


def figures_from(address: str, status: str, text: str) -> Figures:
    """:class:`Figures` from the text of ``/metrics``."""
    from prometheus_client.parser import text_string_to_metric_families

    sums: dict[str, dict[str, float]] = defaultdict(dict)
    plain: dict[str, float] = defaultdict(float)
    buckets: list[tuple[float, float]] = []
    keyed = {
        "assistant_messages_total": "channel",
        "assistant_model_calls_total": "model",
        "assistant_model_call_errors_total": "model",
        "assistant_budget_remaining_dollars": "period",
    }
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            name, labels, value = sample.name, sample.labels, float(sample.value)
            if name in keyed:
                key = labels.get(keyed[name], "")
                sums[name][key] = sums[name].get(key, 0.0) + value
            elif name == "assistant_bridge_queue_depth":
                sums[name][f"{labels.get('channel', '')} {labels.get('queue', '')}"] = value
            elif name == "assistant_reply_seconds_bucket" and labels.get("le") != "+Inf":
                buckets.append((float(labels["le"]), value))
            else:
                plain[name] += value
    return Figures(
        address=address,
        status=status,
        uptime=plain.get("assistant_uptime_seconds", 0.0),
        messages=sums["assistant_messages_total"],
        model_calls=sums["assistant_model_calls_total"],
        model_errors=sums["assistant_model_call_errors_total"],
        spent=plain.get("assistant_spent_dollars_total", 0.0),
        budget_left=sums["assistant_budget_remaining_dollars"],
        learning_depth=plain.get("assistant_learning_queue_depth", 0.0),
        learning_lag=plain.get("assistant_learning_queue_lag_seconds", 0.0),
        bridge_queues=sums["assistant_bridge_queue_depth"],
        delivery_failures=plain.get("assistant_delivery_failures_total", 0.0),
        watcher_restarts=plain.get("assistant_watcher_restarts_total", 0.0),
        reply_p50=_median(buckets, plain.get("assistant_reply_seconds_count", 0.0)),
    )


def _median(buckets: list[tuple[float, float]], count: float) -> float:
    """The upper bound of the bucket holding the median (summed over labels)."""
    if count <= 0:
        return 0.0
    totals: dict[float, float] = defaultdict(float)
    for bound, value in buckets:
        totals[bound] += value
    for bound in sorted(totals):
        if totals[bound] >= count / 2:
            return bound
    return 0.0
