"""Discord's slash commands, each the assistant's own ``/command`` (the action layer's, as typed
in ``assistant chat``): ``/remember text important`` becomes ``/remember important text``,
answered through the same ``respond()`` as any message.

Usage::

    await client.http.bulk_upsert_global_commands(application_id, COMMANDS)
    command_line({"name": "remind", "options": [{"name": "text", "value": "call Anna"}]})
    # "/remind call Anna"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TEXT = 3
_BOOLEAN = 5
_CHAT_INPUT = 1


def _option(name: str, description: str, *, required: bool = True, kind: int = _TEXT) -> Any:
    return {"type": kind, "name": name, "description": description, "required": required}


COMMANDS: list[dict[str, Any]] = [
    {
        "name": name,
        "type": _CHAT_INPUT,
        "description": description,
        "options": options,
        "contexts": [0, 1],  # in servers and in the bot's direct messages
        "integration_types": [0],
    }
    for name, description, options in [
        (
            "remember",
            "Store a memory",
            [
                _option("text", "What to remember"),
                _option("important", "Keep it prominent", required=False, kind=_BOOLEAN),
            ],
        ),
        ("search", "Find memories", [_option("query", "What to look for")]),
        ("forget", "Archive a memory", [_option("what", "Its id, or words from it")]),
        ("restore", "Bring an archived memory back", [_option("id", "The memory's id")]),
        ("important", "Mark a memory important", [_option("id", "The memory's id")]),
        (
            "remind",
            "Set a reminder",
            [
                _option("text", "What to be reminded of"),
                _option("when", "When: 'tomorrow at 6pm', 'in 20 minutes'", required=False),
            ],
        ),
        ("reminders", "Open reminders", []),
        ("done", "Complete a reminder", [_option("what", "Its id, or words from it")]),
        ("costs", "Spending today and this month", []),
    ]
]
"""The commands the bot offers, as Discord's API takes them."""

_ORDER = {"remember": ("important", "text"), "remind": ("text", "when")}
"""Where a command's options go in its line, when not in the order declared."""
_OFFERED = {c["name"]: tuple(o["name"] for o in c["options"]) for c in COMMANDS}


def command_line(data: Mapping[str, Any]) -> str | None:
    """The ``/command`` line a slash command stands for; None for one the bot does not offer.
    A true flag is its own name (``important``), a false one is left out."""
    command = str(data.get("name", ""))
    if command not in _OFFERED:
        return None
    given = {
        str(option.get("name")): option.get("value")
        for option in data.get("options", []) or []
        if isinstance(option, Mapping)
    }
    parts = [f"/{command}"]
    for option in _ORDER.get(command, _OFFERED[command]):
        value = given.get(option)
        if value is None or value is False:
            continue
        parts.append(option if value is True else " ".join(str(value).split()))
    return " ".join(part for part in parts if part)
