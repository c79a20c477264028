"""Migrations on a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from assistant.store.database import migrate
from assistant.store.migrations import MIGRATIONS


def test_secrets_logged_by_an_earlier_release_are_redacted(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "assistant.duckdb"))
    migrate(conn, MIGRATIONS[:-1])  # the home as an earlier release left it
    said = [
        "My bank password: Tr0ub4dor&3",
        "the wifi password for my home network is CorrectHorseBattery",
        "my sister lives in Lyon",
    ]
    for number, text in enumerate(said):
        conn.execute(
            "INSERT INTO turns (session, occurred, channel, sender, role, text) "
            "VALUES ('s', ?, 'cli', 'owner', 'user', ?)",
            [float(number), text],
        )
    migrate(conn, MIGRATIONS)
    kept = [row[0] for row in conn.execute("SELECT text FROM turns ORDER BY occurred").fetchall()]
    assert "Tr0ub4dor&3" not in kept[0] and "redacted" in kept[0]
    assert "CorrectHorseBattery" not in kept[1] and "redacted" in kept[1]
    assert kept[2] == "my sister lives in Lyon"
    conn.close()
