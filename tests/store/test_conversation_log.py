"""The exchange a memory was learned from: of the user turns near the second it records, the
one said in that second, on the real DuckDB conversation log."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant import Assistant
from assistant.store.conversations import ConversationLog, Turn


def test_the_turn_a_memory_was_learned_from_is_the_one_in_its_second(
    assistant: Assistant,
) -> None:
    log = ConversationLog(assistant.db)
    start = datetime(2026, 12, 5, 10, 0, 0, 400_000, tzinfo=UTC).timestamp()
    said = [("hi there", 0.0), ("im allergic to penicillin", 1.9), ("my brother is finn", 3.1)]
    for text, after in said:
        log.append(
            [
                Turn("s1", "user", text, at=start + after),
                Turn("s1", "assistant", f"reply to {text}", at=start + after + 0.3),
            ]
        )
    turn = datetime.fromtimestamp(start + 1.9, UTC).isoformat(timespec="seconds")
    exchange = log.source_of({"conversation": "s1", "turn": turn})
    assert [t.text for t in exchange] == [
        "im allergic to penicillin",
        "reply to im allergic to penicillin",
    ]
    assert log.source_of({"conversation": "s1", "turn": "not a time"}) == []


def test_of_turns_piped_in_one_second_the_one_that_says_the_memory_is_taken(
    assistant: Assistant,
) -> None:
    log = ConversationLog(assistant.db)
    start = datetime(2026, 12, 5, 10, 0, 7, 0, tzinfo=UTC).timestamp()
    said = ["my mum is called Rosa", "my sister is called Anna", "we have a cat called Miso"]
    for n, text in enumerate(said):
        at = start + 0.1 + n * 0.2
        log.append(
            [Turn("s1", "user", text, at=at), Turn("s1", "assistant", f"ok {n}", at=at + 0.05)]
        )
    turn = datetime.fromtimestamp(start, UTC).isoformat(timespec="seconds")
    source = log.source_of({"conversation": "s1", "turn": turn}, "My sister is called Anna.")
    assert [t.text for t in source] == ["my sister is called Anna", "ok 1"]
    cat = log.source_of({"conversation": "s1", "turn": turn}, "We have a cat called Miso.")
    assert [t.text for t in cat] == ["we have a cat called Miso", "ok 2"]


def test_a_memory_whose_turn_was_purged_names_no_other_turn_as_its_source(
    assistant: Assistant,
) -> None:
    log = ConversationLog(assistant.db)
    start = datetime(2026, 12, 5, 10, 0, 7, 0, tzinfo=UTC).timestamp()
    said = [("my sister is Zeldarine and my brother is Ganondorfo", 0.2), ("I quit Fizzbuzzco", 20)]
    for text, after in said:
        log.append(
            [
                Turn("s1", "user", text, at=start + after),
                Turn("s1", "assistant", "ok", at=start + after + 0.1),
            ]
        )
    turn = datetime.fromtimestamp(start, UTC).isoformat(timespec="seconds")
    brother = "My brother is Ganondorfo."
    assert log.source_of({"conversation": "s1", "turn": turn}, brother)[0].text == said[0][0]
    log.forget("s1", start + 0.2)  # the sister purged, with the turn that said her
    assert log.source_of({"conversation": "s1", "turn": turn}, brother) == []
