"""The ``--json`` forms of search results, built from their wire form
(:mod:`assistant.wire`): the same whether this process found them or ``assistant serve``
did. Standard library only, so a command answered by serve prints them without loading Rich.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def emit_json(data: Any) -> None:
    """Machine-readable output on stdout."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def hit_json(wire: Mapping[str, Any]) -> dict[str, Any]:
    """A search hit (its wire form) as the ``--json`` object."""
    data = {"kind": "memory", **wire["memory"]}
    data["score"] = round(wire["score"], 4)
    data["breakdown"] = {k: round(v, 4) for k, v in wire["breakdown"].items()}
    data["access_count"] = wire["access_count"]
    return data


def said_json(wire: Mapping[str, Any]) -> dict[str, Any]:
    """A conversation turn found by search (its wire form), as a ``--json`` object
    (``kind: said``)."""
    said_at = datetime.fromtimestamp(wire["at"], UTC)
    return {
        "kind": "said",
        "id": wire["id"],
        "text": wire["text"],
        "session": wire["session"],
        "said_at": said_at.isoformat(timespec="seconds"),
        "score": round(wire["score"], 4),
    }
