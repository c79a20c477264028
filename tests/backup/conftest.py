"""A home with something of everything in it, and a way to compare two homes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings, read_settings
from assistant.store.conversations import Turn
from assistant.store.ledger import CostEntry
from assistant.store.reminders import Reminders

WHEN = datetime(2026, 3, 15, 9, 30, tzinfo=UTC)
"""The injected time backups are taken at (never today's date)."""


def fill(assistant: Assistant) -> None:
    """Memories (one archived), a reminder, a conversation and a cost entry."""
    memories = assistant.memories
    memories.add("My sister Anna lives in Lyon.", tags=["family"])
    memories.add("I take my coffee black, no sugar.", importance=6.0)
    old = memories.add("I work at the bakery on Rue Cler.")
    memories.forget(old.id)
    Reminders(assistant.db).add("Call Anna about the move", due=WHEN.timestamp() + 86_400)
    at = WHEN.timestamp() - 3600
    assistant.conversations.append(
        [
            Turn("s1", "user", "Anna moved to Lyon last spring.", at=at),
            Turn("s1", "assistant", "Noted: Anna lives in Lyon.", at=at + 1),
        ]
    )
    entry = CostEntry("mini", "openai", "simple", 120, 40, 0.0012, 0.02, 350.0, at=at)
    assistant.ledger.record(entry)


def fingerprint(assistant: Assistant) -> dict[str, Any]:
    """What a restore must give back, comparable between homes."""
    memories = assistant.memories
    notes = sorted(
        (m.id, m.text, m.type.value, m.status.value, tuple(m.tags), m.importance)
        for m in (memories.get(i) for i in memories.index.all())
    )
    with assistant.db.connect() as conn:
        reminders = conn.execute("SELECT id, text, due FROM reminders ORDER BY id").fetchall()
        turns = conn.execute(
            "SELECT session, occurred, role, text FROM turns ORDER BY occurred"
        ).fetchall()
        costs = conn.execute("SELECT occurred, model, dollars FROM costs ORDER BY 1").fetchall()
    return {"memories": notes, "reminders": reminders, "turns": turns, "costs": costs}


@pytest.fixture
def home_settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings of the test's home, on the hash embedder."""
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    return read_settings({}, os.environ)


@pytest.fixture
def filled(home_settings: Settings) -> Iterator[Assistant]:
    """An open assistant on a home holding a bit of everything."""
    with Assistant(home_settings, embedder=HashEmbedder()) as assistant:
        fill(assistant)
        yield assistant


def restore_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a restore into ``home`` runs with."""
    return {"ASSISTANT_HOME": str(home), "ASSISTANT_EMBEDDER": "hash", **extra}
