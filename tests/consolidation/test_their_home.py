"""Someone the user speaks of moving is asked about as a change of where they live, however
far apart the two texts are in meaning (real MiniLM and store, a fixed clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant import Assistant
from assistant.consolidation import contradictions
from assistant.consolidation.attributes import their_home
from assistant.consolidation.view import StoreView
from assistant.memories import Draft

NOW = datetime(2026, 10, 2, 18, 0, tzinfo=UTC)
"""A fixed Friday evening (never the wall clock)."""


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_where_someone_lives_is_read_from_how_the_text_opens() -> None:
    assert their_home("Grandad lives in Whitby.") == ("grandad", "whitby")
    assert their_home("my cousin dilys moved to cardiff last spring") == ("dilys", "cardiff")
    assert their_home("Oona and her partner moved up to Inverness.") == ("oona", "inverness")
    assert their_home("I moved to Whitby.") is None
    assert their_home("We have moved to Whitby.") is None
    assert their_home("Grandad loves Whitby.") is None


def test_a_person_who_moved_is_asked_about(assistant: Assistant) -> None:
    older, newer, both, other = assistant.memories.add_many(
        [
            Draft("Grandad lives in Whitby, by the harbour.", created_at=ago(300)),
            Draft("Grandad moved to a care home in Scarborough in May.", created_at=ago(20)),
            Draft("Dilys lives in Cardiff.", created_at=ago(300)),
            Draft(
                "Dilys moved out to Wales years ago, she is still in Cardiff.", created_at=ago(5)
            ),
        ]
    )
    view = StoreView.of(assistant.memories, NOW.timestamp())
    found = {
        frozenset((c.newer.id, c.older.id)): c
        for c in contradictions.find_conflicts(view, embedder=assistant.memories.embedder)
    }
    conflict = found[frozenset((older.id, newer.id))]
    assert (conflict.newer.id, conflict.older.id) == (newer.id, older.id)
    assert not conflict.clear, "asked about, never applied by itself"
    assert conflict.reason == "two answers to where grandad lives"
    said = found.get(frozenset((both.id, other.id)))
    assert said is None or not said.reason.startswith("two answers"), "both places named"


def test_facts_learned_in_chat_by_meaning_alone_are_read_for_their_kind(
    assistant: Assistant,
) -> None:
    """Chat keeps "my dentist is Dr Patel" as a ``clause`` (kept by meaning, no kind): the
    kind is read from its words, so two dentists named are asked about, as when remembered."""
    older, newer = assistant.memories.add_many(
        [
            Draft("My dentist is Dr Moreau.", created_at=ago(3), metadata={"fact": "clause"}),
            Draft("My dentist is Dr Patel.", created_at=ago(1), metadata={"fact": "clause"}),
        ]
    )
    view = StoreView.of(assistant.memories, NOW.timestamp())
    found = {
        (c.newer.id, c.older.id): c
        for c in contradictions.find_conflicts(view, embedder=assistant.memories.embedder)
    }
    assert "dentist" in found[(newer.id, older.id)].reason
