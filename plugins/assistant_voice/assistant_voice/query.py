"""The agent's memory tool: ``{query, limit, sectors}`` in, memories and a one-line summary
out, found by the same search as chat (memories, and the turns in which the owner said
something about it).

A sector is a memory type (``semantic``, ``episodic``, ``identity``...) or ``conversation``
for what the owner said; no sectors means all of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from assistant import Actions, Hit, MemoryType, TurnHit

CONVERSATION = "conversation"
SECTORS = frozenset({t.value for t in MemoryType} | {CONVERSATION})
MAX_LIMIT = 20
DEFAULT_LIMIT = 5
MAX_QUERY = 500


class BadQuery(Exception):
    """A tool call that cannot be answered as asked; the message says why."""


def parse(body: Mapping[str, Any]) -> tuple[str, int, tuple[str, ...]]:
    """The query, limit and sectors of a tool call; :class:`BadQuery` when malformed."""
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BadQuery("query must be a non-empty string")
    limit = body.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, str) and limit.strip().isdigit():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise BadQuery("limit must be a positive whole number")
    sectors = body.get("sectors") or []
    if isinstance(sectors, str):
        sectors = [s for s in sectors.replace(",", " ").split() if s]
    if not isinstance(sectors, list) or not all(isinstance(s, str) for s in sectors):
        raise BadQuery("sectors must be a list of names")
    wanted = tuple(dict.fromkeys(s.strip().lower() for s in sectors))
    unknown = [s for s in wanted if s not in SECTORS]
    if unknown:
        raise BadQuery(f"unknown sectors {', '.join(unknown)}; one of {', '.join(sorted(SECTORS))}")
    return query.strip()[:MAX_QUERY], min(limit, MAX_LIMIT), wanted


def answer(actions: Actions, query: str, limit: int, sectors: Sequence[str]) -> dict[str, Any]:
    """Memories (and things said) about ``query``, best first, with a one-line summary."""
    types = [s for s in sectors if s != CONVERSATION]
    said = not sectors or CONVERSATION in sectors
    found: list[tuple[float, dict[str, Any]]] = []
    if types or not sectors:
        found += [(hit.score, _memory(hit)) for hit in actions.search(query, limit, types=types)]
    if said:
        found += [(hit.score, _turn(hit)) for hit in actions.said(query, min(limit, 3))]
    found.sort(key=lambda pair: -pair[0])
    items = [item for _, item in found[:limit]]
    return {"memories": items, "summary": summary(query, items)}


def summary(query: str, items: Sequence[Mapping[str, Any]]) -> str:
    """One line the agent can say: how much was found and the best of it."""
    if not items:
        return f"Nothing remembered about {query}."
    best = str(items[0]["content"])
    more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
    return f"Best match: {best}{more}"


def _memory(hit: Hit) -> dict[str, Any]:
    memory = hit.memory
    return {
        "content": memory.text,
        "sector": memory.type.value,
        "salience": round(memory.importance / 10.0, 3),
        "timestamp": memory.created.astimezone(UTC).isoformat(timespec="seconds"),
        "confidence": round(max(0.0, min(1.0, hit.score)), 3),
    }


def _turn(hit: TurnHit) -> dict[str, Any]:
    turn = hit.turn
    return {
        "content": f"The caller said: {turn.text}",
        "sector": CONVERSATION,
        "salience": round(max(0.0, min(1.0, hit.score)), 3),
        "timestamp": datetime.fromtimestamp(turn.at, UTC).isoformat(timespec="seconds"),
        "confidence": round(max(0.0, min(1.0, hit.score)), 3),
    }
