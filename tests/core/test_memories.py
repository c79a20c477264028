"""The memory store API on real DuckDB, LanceDB and MiniLM."""

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant, Draft, MemoryType, Status
from assistant.errors import InvalidInputError, NotFoundError
from assistant.vault.notes import parse_note

FACTS = [
    "My sister Anna lives in Lyon.",
    "I am allergic to peanuts.",
    "My dentist appointment is on March 3.",
    "I work as a data engineer at Acme.",
    "My favourite band is Radiohead.",
    "I go climbing every Saturday morning.",
]


def test_add_writes_a_note_and_search_finds_it(assistant: Assistant) -> None:
    memory = assistant.memories.add(FACTS[0], tags=["family"], metadata={"mood": "calm"})
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    assert note.is_file() and note.parent.name == "Semantic"
    assert parse_note(note.read_text(), memory.path) == memory
    assistant.memories.add_many(FACTS[1:])
    hits = assistant.memories.search("where does my sister live?", k=3)
    assert hits[0].memory.id == memory.id
    assert hits[0].memory.metadata == {"mood": "calm"}
    b = hits[0].breakdown
    assert 0 < b.semantic <= 1 and b.total == pytest.approx(hits[0].score)
    assert "relevance" in b.explain()


def test_semantic_search_matches_meaning_not_words(assistant: Assistant) -> None:
    assistant.memories.add_many(FACTS)
    top = assistant.memories.search("which foods should I avoid?", k=1)[0]
    assert top.memory.text == "I am allergic to peanuts."
    top = assistant.memories.search("what do I do at weekends", k=1)[0]
    assert "climbing" in top.memory.text


def test_unrelated_query_returns_nothing(assistant: Assistant) -> None:
    assistant.memories.add_many(FACTS)
    assert assistant.memories.search("quantum chromodynamics lattice gauge", k=5) == []


def test_filters_by_type_tag_and_date(assistant: Assistant) -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC)
    m = assistant.memories
    a = m.add("Anna's birthday party was fun", type="episodic", tags=["family"], created_at=old)
    b = m.add("Anna likes chocolate cake", tags=["family", "food"])
    c = m.add("Anna from work likes tea", tags=["work"])
    ids = lambda hits: {h.memory.id for h in hits}  # noqa: E731
    assert ids(m.search("Anna", types=["episodic"])) == {a.id}
    assert ids(m.search("Anna", tags=["family"])) == {a.id, b.id}
    assert ids(m.search("Anna", tags=["#food"])) == {b.id}
    recent = ids(m.search("Anna", since=datetime.now(UTC) - timedelta(days=1)))
    assert recent == {b.id, c.id}
    assert ids(m.search("Anna", until=datetime(2021, 1, 1, tzinfo=UTC))) == {a.id}


def test_recency_uses_created_at(assistant: Assistant) -> None:
    m = assistant.memories
    old = m.add("I parked the car on level 3", created_at=datetime(2015, 6, 1, tzinfo=UTC))
    new = m.add("I parked the car on level 5")
    hits = m.search("where did I park the car", k=2)
    assert [h.memory.id for h in hits] == [new.id, old.id]
    assert hits[1].breakdown.recency < 0.01 < hits[0].breakdown.recency
    assert m.get(old.id).created == datetime(2015, 6, 1, tzinfo=UTC)


def test_important_flag_and_importance_raise_the_score(assistant: Assistant) -> None:
    m = assistant.memories
    plain = m.add("The wifi password hint is the dog's name")
    flagged = m.add("The wifi password hint is the cat's name", important=True, importance=9)
    hits = m.search("wifi password hint", k=2)
    assert hits[0].memory.id == flagged.id
    assert hits[0].breakdown.flag == 1.0 and hits[1].breakdown.flag == 0.0
    assert {h.memory.id for h in hits} == {plain.id, flagged.id}


def test_uses_update_usage_and_reinforcement(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add(FACTS[1])
    assert m.usage(memory.id).access_count == 0
    m.search("peanut allergy", k=1)  # a search hit alone is not a use
    assert m.usage(memory.id).access_count == 0
    for _ in range(3):
        m.search("peanut allergy", k=1, touch=True)  # every result is used
    usage = m.usage(memory.id)
    assert usage.access_count == 3 and usage.last_access is not None
    assert m.search("peanut allergy", k=1)[0].breakdown.reinforcement > 0
    assert m.usage(memory.id).access_count == 3


def test_mmr_keeps_near_duplicates_from_crowding_results(assistant: Assistant) -> None:
    m = assistant.memories
    m.add_many(
        [
            "My sister Anna lives in Lyon.",
            "My sister Anna lives in Lyon, France.",
            "My sister Anna lives in the city of Lyon.",
            "Anna, my sister, moved to Paris last year for work.",
        ]
    )
    texts = [h.memory.text for h in m.search("Where does my sister Anna live?", k=2)]
    assert any("Paris" in t for t in texts)


def test_update_rewrites_note_and_index(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("My sister Anne lives in Lyon.")
    updated = m.update(
        memory.id,
        text="My sister Anna lives in Lyon.",
        tags=["family"],
        importance=8,
        type="identity",
        metadata={"checked": True},
    )
    assert updated.path == memory.path and updated.type is MemoryType.IDENTITY
    again = m.get(memory.id)
    assert again.text == "My sister Anna lives in Lyon." and again.metadata == {"checked": True}
    hit = m.search("Anna Lyon", k=1, types=["identity"])[0]
    assert hit.memory.id == memory.id and hit.memory.importance == 8


def test_forget_archives_and_restore_brings_back(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add(FACTS[2])
    archived = m.forget(memory.id[:10])
    note = assistant.settings.vault / archived.path  # type: ignore[operator]
    assert archived.status is Status.ARCHIVED and note.parent.name == "Archive" and note.is_file()
    assert not (assistant.settings.vault / memory.path).exists()  # type: ignore[operator]
    assert m.search("dentist", k=5) == []
    assert m.search("dentist", k=5, include_archived=True)[0].memory.id == memory.id
    assert [x.id for x in m.list(statuses=["archived"])] == [memory.id]
    restored = m.restore(memory.id)
    assert restored.status is Status.ACTIVE and restored.path == memory.path
    assert m.search("dentist", k=5)[0].memory.id == memory.id


def test_a_replaced_memory_restored_is_active_again(assistant: Assistant) -> None:
    """ "Bracken is 7 now." replaced by a wrong "Bracken is 1000 now.": forgetting the wrong
    one and restoring the right one leaves the right one active, with nothing replacing it."""
    m = assistant.memories
    old = m.add("Our spaniel Bracken is 7 now.")
    from assistant.memories import Draft

    wrong, _ = m.supersede(old.id, Draft("Our spaniel Bracken is 1000 now."))
    m.forget(wrong.id)
    back = m.restore(old.id)
    assert back.status is Status.ACTIVE and "superseded_by" not in back.metadata
    assert [x.text for x in m.list()] == ["Our spaniel Bracken is 7 now."]
    assert m.search("how old is bracken", k=1)[0].memory.id == old.id
    note = (assistant.settings.vault / back.path).read_text()  # type: ignore[operator]
    assert "superseded" not in note


def test_superseded_hidden_unless_asked(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("I drink coffee every morning.")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("\n---\n", "\nstatus: superseded\n---\n", 1))
    m.reload(memory.id)
    assert m.search("coffee", k=3) == []
    assert m.search("coffee", k=3, include_superseded=True)[0].memory.status is Status.SUPERSEDED


def test_hand_edit_then_reindex(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("My sister Anne lives in Lyon.")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    report = m.reindex()
    assert report.indexed == 1 and report.invalid == []
    assert m.search("Marseille", k=1)[0].memory.text == "My sister Anna lives in Marseille."
    assert m.get(memory.id).text == "My sister Anna lives in Marseille."


def test_deleting_index_and_reindexing_gives_same_results(assistant: Assistant) -> None:
    m = assistant.memories
    m.add_many(FACTS)
    m.add("Old note", created_at=datetime(2019, 1, 1, tzinfo=UTC))
    queries = ["sister", "food allergy", "job", "music"]
    before = [[(h.memory.id, round(h.score, 4)) for h in m.search(q, touch=False)] for q in queries]
    settings = assistant.settings
    assistant.close()
    shutil.rmtree(settings.home / "index")
    with Assistant(settings, embedder=assistant.embedder.inner) as reopened:  # rebuilds itself
        after = [
            [(h.memory.id, round(h.score, 4)) for h in reopened.memories.search(q, touch=False)]
            for q in queries
        ]
        assert after == before
        assert reopened.memories.reindex().indexed == len(FACTS) + 1


def test_add_many_is_batched_and_validated_first(assistant: Assistant) -> None:
    m = assistant.memories
    with pytest.raises(InvalidInputError):
        m.add_many(["fine", Draft(""), "also fine"])
    assert m.list() == []
    seen: list[tuple[int, int]] = []
    added = m.add_many(
        [Draft(f, tags=["bulk"]) for f in FACTS], on_progress=lambda d, t: seen.append((d, t))
    )
    assert len(added) == len(FACTS) and seen[-1] == (len(FACTS), len(FACTS))
    assert len(m.list(tags=["bulk"])) == len(FACTS)


def test_same_title_gets_distinct_files(assistant: Assistant) -> None:
    a = assistant.memories.add("Buy milk")
    b = assistant.memories.add("Buy milk")
    assert a.path != b.path and a.id != b.id


def test_unknown_id_and_short_prefix(assistant: Assistant) -> None:
    with pytest.raises(NotFoundError):
        assistant.memories.get("01NOTANID")
    with pytest.raises(InvalidInputError):
        assistant.memories.get("   ")


def test_supersedes_links_are_indexed_and_rebuilt(assistant: Assistant) -> None:
    m = assistant.memories
    old = m.add("I drink coffee every morning.")
    new = m.add("I switched from coffee to tea.")
    note = assistant.settings.vault / new.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("\n---\n", f"\nsupersedes: [{old.id}]\n---\n", 1))
    m.reload(new.id)
    assert m.index.links(old.id) == [(new.id, old.id, "supersedes")]
    m.reindex()
    assert m.index.links(new.id) == [(new.id, old.id, "supersedes")]


def test_a_clear_match_beats_important_but_unrelated_memories(assistant: Assistant) -> None:
    m = assistant.memories
    m.add_many([Draft(f"Lunch plans for Friday number {i}", importance=10) for i in range(5)])
    target = m.add("The garage door code is zebracorn42", importance=1)
    hits = m.search("zebracorn42", k=3)
    assert [h.memory.id for h in hits] == [target.id]  # weak matches are dropped, not ranked
    assert hits[0].breakdown.relative == 1.0
