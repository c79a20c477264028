"""``reindex`` rebuilds the note index from the vault alone, whatever state its tables are in."""

from __future__ import annotations

import duckdb

from assistant import Assistant
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings


def test_reindex_mends_a_notes_table_changed_by_hand(settings: Settings) -> None:
    with Assistant(settings, embedder=HashEmbedder()) as first:
        kept = first.memories.add("My sister Anne lives in Lyon.", tags=["family"])
        first.memories.search("sister", k=1)  # a use: usage stats survive the rebuild
        used = first.memories.usage(kept.id).access_count
    index = settings.home / "index" / "assistant.duckdb"
    conn = duckdb.connect(str(index))
    conn.execute("ALTER TABLE notes DROP COLUMN project")  # as another version might leave it
    conn.execute("DROP TABLE links")
    conn.close()
    with Assistant(settings, embedder=HashEmbedder()) as reopened:
        report = reopened.memories.reindex()
        assert report.indexed == 1 and report.invalid == []
        assert reopened.memories.get(kept.id).text == "My sister Anne lives in Lyon."
        assert [h.memory.id for h in reopened.memories.search("sister", k=1)] == [kept.id]
        assert reopened.memories.list(tags=["family"])[0].id == kept.id
        assert reopened.memories.usage(kept.id).access_count >= used
