"""Migrations on a real DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from assistant import Assistant, paths
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings
from assistant.store.conversations import ConversationLog, Turn
from assistant.store.database import migrate
from assistant.store.ledger import CostEntry, CostLedger
from assistant.store.migrations import MIGRATIONS, RECORD_MIGRATIONS, m005_redact_logged_secrets
from assistant.store.reminders import Reminders

BEFORE_RECORDS = MIGRATIONS[: MIGRATIONS.index(m005_redact_logged_secrets) + 1]


def _attach_records(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    conn.execute(f"ATTACH '{path}' AS records")
    conn.execute("USE records")
    migrate(conn, RECORD_MIGRATIONS)
    conn.execute("USE assistant")


def test_secrets_logged_by_an_earlier_release_are_redacted(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "assistant.duckdb"))
    migrate(conn, BEFORE_RECORDS[:-1])  # the home as an earlier release left it
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
    migrate(conn, BEFORE_RECORDS)
    kept = [row[0] for row in conn.execute("SELECT text FROM turns ORDER BY occurred").fetchall()]
    assert "Tr0ub4dor&3" not in kept[0] and "redacted" in kept[0]
    assert "CorrectHorseBattery" not in kept[1] and "redacted" in kept[1]
    assert kept[2] == "my sister lives in Lyon"
    conn.close()


def test_records_move_out_of_an_index_an_earlier_release_left(settings: Settings) -> None:
    index = paths.duckdb_file(settings.home)
    index.parent.mkdir(parents=True)
    conn = duckdb.connect(str(index))
    migrate(conn, BEFORE_RECORDS)  # records and index in one file, as an earlier release kept
    conn.execute(
        "INSERT INTO turns (session, occurred, channel, sender, role, text) "
        "VALUES ('s', 1.0, 'cli', 'owner', 'user', 'the boiler man comes on friday')"
    )
    conn.execute("INSERT INTO reminders VALUES ('r1', 'call the boiler man', 2.0, 1.0, NULL, NULL)")
    conn.close()
    with Assistant(settings, embedder=HashEmbedder()) as assistant:
        assert [t.text for t in ConversationLog(assistant.db).recent()] == [
            "the boiler man comes on friday"
        ]
        assert [r.text for r in Reminders(assistant.db).open()] == ["call the boiler man"]
    conn = duckdb.connect(str(index))
    left = {row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    conn.close()
    assert left == {"notes", "links", "pages", "_migrations"}, "the index keeps only the index"


def test_deleting_the_index_loses_no_record(settings: Settings) -> None:
    with Assistant(settings, embedder=HashEmbedder()) as assistant:
        a = assistant.memories.add("My sister Anna lives in Lyon")
        b = assistant.memories.add("My sister Anna lives in Paris")
        ConversationLog(assistant.db).append(
            [Turn("s1", "user", "anna moved to paris", at=1_790_000_000.0)]
        )
        Reminders(assistant.db).add("ring Anna", due=1_790_003_600.0)
        CostLedger(assistant.db).record(CostEntry("m", "p", "simple", 10, 5, 0.25, 1.0, 12.0))
        assistant.reviews.add("contradiction", b.id, a.id, "Lyon or Paris")
        run = assistant.runs.start("idle")
        assistant.runs.finish(run, "done", {"merge.merged": 1}, [], 0.0)
        assistant.memories.index.touch([a.id], 1_790_000_100.0)
    shutil.rmtree(paths.index_dir(settings.home))
    with Assistant(settings, embedder=HashEmbedder()) as again:
        assert [t.text for t in ConversationLog(again.db).recent()] == ["anna moved to paris"]
        assert [r.text for r in Reminders(again.db).open()] == ["ring Anna"]
        assert CostLedger(again.db).spent_since(0) == 0.25
        assert [(r.new_id, r.old_id) for r in again.reviews.open()] == [(b.id, a.id)]
        assert [r.id for r in again.runs.history()] == [run]
        assert again.memories.index.usage([a.id])[a.id].access_count == 1
        assert {m.id for m in again.memories.list()} == {a.id, b.id}, "rebuilt from the vault"
