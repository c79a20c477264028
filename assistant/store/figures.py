"""Counts the metrics read at scrape time: memories by type and status, consolidation runs,
the bridges' queues and failed sends, in one unit of work on a lane of their own (a scrape
never waits behind the conversation log or a bridge's inbox).

Usage::

    figures = read_figures(assistant.db)
    figures.memories[("semantic", "active")]      # 1243
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.store.database import Database

LANE = "figures"


@dataclass(frozen=True)
class RunFigures:
    """Finished consolidation runs of one status: how many, and how long each took."""

    count: int = 0
    durations: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class QueueFigures:
    """One bridge's queues: messages waiting for an answer, answers waiting to be sent, failed
    sends (every failed try) and messages given up."""

    inbox: int = 0
    outbox: int = 0
    failed_tries: int = 0
    given_up: int = 0


@dataclass(frozen=True)
class Figures:
    """The counts kept in the index and the records."""

    memories: dict[tuple[str, str], int] = field(default_factory=dict)
    runs: dict[str, RunFigures] = field(default_factory=dict)
    last_run: float = 0.0
    """When the latest consolidation run started (0: never)."""
    queues: dict[str, QueueFigures] = field(default_factory=dict)


_QUERY = """
SELECT 'memories', type, status, count(*)::DOUBLE, 0::DOUBLE, 0::DOUBLE, NULL::DOUBLE[]
FROM notes GROUP BY ALL
UNION ALL
SELECT 'runs', status, '', count(*), max(started), 0, list(ended - started)
FROM consolidation_runs WHERE NOT dry_run AND ended IS NOT NULL GROUP BY status
UNION ALL
SELECT 'inbox', channel, '', count(*), 0, 0, NULL FROM inbox WHERE state = 'pending' GROUP BY ALL
UNION ALL
SELECT 'outbox', channel, '', count(*) FILTER (WHERE state = 'queued'),
       coalesce(sum(attempts), 0), count(*) FILTER (WHERE state = 'failed'), NULL
FROM outbox GROUP BY channel
"""
"""Every count in one statement: a scrape pays for one query, not four."""


def read_figures(db: Database) -> Figures:
    """The counts, read with one query."""
    with db.connect(LANE) as conn:
        rows = conn.execute(_QUERY).fetchall()
    memories: dict[tuple[str, str], int] = {}
    runs: dict[str, RunFigures] = {}
    inbox: dict[str, int] = {}
    outbox: dict[str, tuple[int, int, int]] = {}
    last_run = 0.0
    for kind, key, status, first, second, third, durations in rows:
        if kind == "memories":
            memories[(str(key), str(status))] = int(first)
        elif kind == "runs":
            runs[str(key)] = RunFigures(int(first), [float(d) for d in durations or ()])
            last_run = max(last_run, float(second))
        elif kind == "inbox":
            inbox[str(key)] = int(first)
        else:
            outbox[str(key)] = (int(first), int(second), int(third))
    queues = {
        channel: QueueFigures(inbox.get(channel, 0), *outbox.get(channel, (0, 0, 0)))
        for channel in sorted(set(inbox) | set(outbox))
    }
    return Figures(memories=memories, runs=runs, last_run=last_run, queues=queues)
