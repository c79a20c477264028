"""Search results as JSON-ready dicts and back, exactly (no rounding): what ``serve``
sends the command line, which renders the objects as if it had found them itself.

Usage::

    data = hit_to_wire(hit)
    assert hit_from_wire(json.loads(json.dumps(data, default=str))) == hit
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.memory_types import (
    EvidenceTurn,
    Hit,
    Memory,
    MemoryType,
    ScoreBreakdown,
    Status,
    TurnHit,
)


def memory_from_dict(data: Mapping[str, Any]) -> Memory:
    """The memory :meth:`Memory.to_dict` gave ``data`` for (dates in its metadata stay the
    ISO strings it wrote)."""
    return Memory(
        id=data["id"],
        text=data["text"],
        type=MemoryType(data["type"]),
        importance=float(data["importance"]),
        emotion=float(data["emotion"]),
        tags=tuple(data["tags"]),
        entities=tuple(data["entities"]),
        created=datetime.fromisoformat(data["created"]),
        updated=datetime.fromisoformat(data["updated"]),
        source=data["source"],
        status=Status(data["status"]),
        supersedes=tuple(data["supersedes"]),
        important=bool(data["important"]),
        metadata=dict(data["metadata"]),
        path=Path(data["path"]) if data["path"] is not None else None,
    )


def hit_to_wire(hit: Hit) -> dict[str, Any]:
    """A search hit as a JSON-ready dict."""
    return {
        "memory": hit.memory.to_dict(),
        "score": hit.score,
        "breakdown": vars(hit.breakdown),
        "access_count": hit.access_count,
        "via": hit.via,
    }


def hit_from_wire(data: Mapping[str, Any]) -> Hit:
    """The hit :func:`hit_to_wire` gave ``data`` for."""
    return Hit(
        memory_from_dict(data["memory"]),
        float(data["score"]),
        ScoreBreakdown(**{k: float(v) for k, v in data["breakdown"].items()}),
        access_count=int(data["access_count"]),
        via=str(data["via"]),
    )


def turn_hit_to_wire(hit: TurnHit) -> dict[str, Any]:
    """A conversation turn found by a search, as a JSON-ready dict."""
    turn = hit.turn
    return {
        "id": turn.id,
        "session": turn.session,
        "at": turn.at,
        "text": turn.text,
        "before": turn.before,
        "score": hit.score,
    }


def turn_hit_from_wire(data: Mapping[str, Any]) -> TurnHit:
    """The turn hit :func:`turn_hit_to_wire` gave ``data`` for."""
    turn = EvidenceTurn(
        id=data["id"],
        session=data["session"],
        at=float(data["at"]),
        text=data["text"],
        before=data["before"],
    )
    return TurnHit(turn, float(data["score"]))
