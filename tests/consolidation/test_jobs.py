"""Each consolidation job on a real store (MiniLM, DuckDB, LanceDB, vault notes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant
from assistant.consolidation import compaction, contradictions, decay, merge, patterns, upkeep
from assistant.consolidation.review import UNDO, settle
from assistant.consolidation.view import StoreView
from assistant.errors import InvalidInputError
from assistant.memories import Draft
from assistant.memory_types import MemoryType, Status
from assistant.store.reviews import Resolution
from assistant.vault.notes import parse_note

NOW = datetime.now(UTC).replace(microsecond=0)


def never() -> bool:
    return False


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def view(assistant: Assistant) -> StoreView:
    return StoreView.of(assistant.memories)


def note_of(assistant: Assistant, memory_id: str) -> dict[str, object]:
    memory = assistant.memories.get(memory_id)
    assert memory.path is not None
    text = (assistant.layout.vault / memory.path).read_text(encoding="utf-8")
    return parse_note(text, memory.path).to_dict()


# -- merge -------------------------------------------------------------------------------------


def test_a_duplicate_cluster_becomes_one_reinforced_memory_with_links(
    assistant: Assistant,
) -> None:
    first, second, third, other = assistant.memories.add_many(
        [
            Draft("I love hiking in the mountains.", importance=5, created_at=ago(30)),
            Draft("I really love hiking in the mountains.", importance=6, created_at=ago(10)),
            Draft("I love hiking in the mountains!", importance=4, tags=["outdoors"]),
            Draft("I love swimming in the sea."),
        ]
    )
    clusters = merge.find_clusters(view(assistant))
    assert [(c.canonical.id, {o.id for o in c.others}) for c in clusters] == [
        (first.id, {second.id, third.id})
    ]
    counts = merge.run(assistant.memories, view(assistant), never)
    assert counts == {"clusters": 1, "merged": 2}
    kept = assistant.memories.get(first.id)
    assert kept.status is Status.ACTIVE
    assert kept.importance == 7.0  # the highest, plus 0.5 for each duplicate
    assert kept.metadata["merged_count"] == 3
    assert set(kept.supersedes) == {second.id, third.id}
    assert "outdoors" in kept.tags
    assert len(kept.metadata["merged_from"]) == 2
    for duplicate in (second, third):
        gone = assistant.memories.get(duplicate.id)
        assert gone.status is Status.SUPERSEDED
        assert gone.metadata["merged_into"] == f"[[{first.path.stem}]]"  # type: ignore[union-attr]
    assert assistant.memories.get(other.id).status is Status.ACTIVE
    hits = assistant.memories.search("hiking in the mountains", 5)
    assert [h.memory.id for h in hits if "hiking" in h.memory.text] == [first.id]
    # Running again finds nothing more to merge.
    assert merge.run(assistant.memories, view(assistant), never) == {"clusters": 0, "merged": 0}


def test_a_merge_undone_by_restoring_is_never_made_again(assistant: Assistant) -> None:
    first, second = assistant.memories.add_many(
        [
            Draft("I love hiking in the mountains.", created_at=ago(30)),
            Draft("I really love hiking in the mountains.", created_at=ago(10)),
        ]
    )
    assert merge.run(assistant.memories, view(assistant), never) == {"clusters": 1, "merged": 1}
    back = assistant.memories.restore(second.id)
    assert back.status is Status.ACTIVE and "merged_into" not in back.metadata
    assert back.metadata["kept_apart"] == [f"[[{first.path.stem}]]"]  # type: ignore[union-attr]
    assert merge.run(assistant.memories, view(assistant), never) == {"clusters": 0, "merged": 0}
    assert assistant.memories.get(second.id).status is Status.ACTIVE


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I'm allergic to peanuts.", "I'm allergic to peanuts and cashews."),
        ("My dentist appointment is on March 3.", "My dentist appointment is on May 3."),
        ("My sister Anna lives in Lyon.", "My sister Anna lives in Paris."),
        ("I drink coffee every morning.", "I don't drink coffee every morning."),
        ("The meeting is at 3pm on Tuesday.", "The meeting is at 4pm on Tuesday."),
    ],
)
def test_look_alike_facts_are_never_merged(assistant: Assistant, a: str, b: str) -> None:
    assistant.memories.add_many([a, b])
    assert merge.find_clusters(view(assistant)) == []


def test_a_merge_stopped_halfway_is_finished_without_reinforcing_twice(
    assistant: Assistant,
) -> None:
    first, second = assistant.memories.add_many(
        [
            Draft("I love hiking in the mountains.", created_at=ago(3)),
            "I really love hiking in the mountains.",
        ]
    )
    cluster = merge.find_clusters(view(assistant))[0]
    # The canonical memory was written, then the process died before the duplicate was marked.
    change = merge._reinforced(cluster.canonical, list(cluster.others))
    assistant.memories.update_many({first.id: change})
    merge.run(assistant.memories, view(assistant), never)
    kept = assistant.memories.get(first.id)
    assert kept.importance == 5.5 and kept.metadata["merged_count"] == 2
    assert assistant.memories.get(second.id).status is Status.SUPERSEDED


def test_thousands_of_near_identical_memories_collapse_quickly(hashed: Assistant) -> None:
    hashed.memories.add_many([Draft("I like green tea.", created_at=ago(1))] * 1500)
    counts = merge.run(hashed.memories, view(hashed), never)
    assert counts["merged"] == 1499
    assert len(hashed.memories.list()) == 1


# -- decay ------------------------------------------------------------------------------------


def test_importance_decays_by_type_and_faded_unused_memories_are_archived(
    assistant: Assistant,
) -> None:
    old_fact, old_moment, identity, marked, fresh = assistant.memories.add_many(
        [
            Draft("The office wifi is called Cedar.", importance=4, created_at=ago(200)),
            Draft(
                "Watched a film about whales.", type="episodic", importance=3, created_at=ago(150)
            ),
            Draft("My name is Sam.", type="identity", importance=9, created_at=ago(900)),
            Draft("Our anniversary is June 9.", importance=5, important=True, created_at=ago(900)),
            Draft("I started learning Italian.", importance=5),
        ]
    )
    half_lives = assistant.settings.consolidation.half_lives()
    faded = {f.memory.id: f for f in decay.find_faded(view(assistant), half_lives, 1.5, 60)}
    assert set(faded) == {old_fact.id, old_moment.id}
    assert faded[old_fact.id].importance == pytest.approx(4 * 0.5 ** (200 / 180), abs=0.01)
    assert not faded[old_fact.id].archive
    assert faded[old_moment.id].archive  # 3 halved five times, and unused for 150 days
    counts = decay.run(
        assistant.memories,
        view(assistant),
        never,
        half_lives=half_lives,
        archive_below=1.5,
        unused_days=60,
    )
    assert counts == {"decayed": 1, "archived": 1}
    moment = assistant.memories.get(old_moment.id)
    assert moment.status is Status.ARCHIVED and moment.metadata["archived_by"] == "consolidation"
    assert assistant.memories.get(old_fact.id).importance == pytest.approx(1.85, abs=0.01)
    for kept in (identity, marked, fresh):
        assert assistant.memories.get(kept.id).importance == kept.importance
    # Decay is anchored at the last write: the next run does not decay again.
    assert decay.find_faded(view(assistant), half_lives, 1.5, 60) == []
    assistant.memories.restore(old_moment.id)  # archived, never lost
    assert assistant.memories.get(old_moment.id).status is Status.ACTIVE


def test_search_fades_importance_once_not_again_after_decay(assistant: Assistant) -> None:
    memories = assistant.memories
    old = memories.add("The boiler service is due in spring.", importance=8, created_at=ago(180))
    [hit] = memories.search("when is the boiler service due?", 1, touch=False)
    assert hit.breakdown.importance == pytest.approx(0.8)  # set just now, by the write
    half_lives = assistant.settings.consolidation.half_lives()
    decay.run(
        memories, view(assistant), never, half_lives=half_lives, archive_below=1.5, unused_days=60
    )
    assert memories.get(old.id).importance == pytest.approx(4.0)
    [hit] = memories.search("when is the boiler service due?", 1, touch=False)
    assert hit.breakdown.importance == pytest.approx(0.4, abs=0.001)  # not halved again


def test_a_memory_in_use_does_not_fade(assistant: Assistant) -> None:
    used = assistant.memories.add("The office wifi is called Cedar.", created_at=ago(400))
    assistant.memories.used([used.id])  # put into an answer now
    assistant.memories.index.close()  # flush the usage buffer
    half_lives = assistant.settings.consolidation.half_lives()
    assert [f.memory.id for f in decay.find_faded(view(assistant), half_lives, 1.5, 60)] == []
    assert used.id


# -- contradictions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("I work at Costa as a barista.", "i quit costa, started at pret"),
        ("I live in Leeds.", "I left Leeds last spring and moved to York"),
    ],
)
def test_a_new_job_or_home_told_after_the_old_one_ended_replaces_it(
    assistant: Assistant, older: str, newer: str
) -> None:
    was, now = assistant.memories.add_many(
        [Draft(older, created_at=ago(100)), Draft(newer, created_at=ago(2))]
    )
    [conflict] = contradictions.find_conflicts(view(assistant))
    assert (conflict.newer.id, conflict.older.id) == (now.id, was.id)


def test_what_someone_else_did_after_a_comma_is_not_the_users_home(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            Draft("I live in Leeds.", created_at=ago(100)),
            Draft("Mum retired last year, moved to the coast", created_at=ago(2)),
        ]
    )
    assert contradictions.find_conflicts(view(assistant)) == []


def test_a_newer_explicit_statement_supersedes_and_unclear_ones_wait_for_review(
    assistant: Assistant,
) -> None:
    paris, berlin, march, may, anna, maria, coffee, no_coffee, climb1, climb2 = (
        assistant.memories.add_many(
            [
                Draft("I live in Paris.", created_at=ago(100), metadata={"fact": "home"}),
                Draft("I live in Berlin.", created_at=ago(2)),  # the rules read it as home
                Draft("My dentist appointment is on March 3.", created_at=ago(9)),
                Draft("My dentist appointment is on May 3.", created_at=ago(4)),
                Draft("My sister's name is Anna.", type="identity", created_at=ago(50)),
                Draft("My sister's name is Maria.", type="identity", created_at=ago(5)),
                Draft("I love coffee.", created_at=ago(60)),
                Draft("I don't drink coffee anymore.", created_at=ago(1)),
                Draft("Went climbing with Tom on the 3rd.", type="episodic", created_at=ago(20)),
                Draft("Went climbing with Tom on the 4th.", type="episodic", created_at=ago(19)),
            ]
        )
    )
    found = {
        frozenset((c.newer.id, c.older.id)): c
        for c in contradictions.find_conflicts(view(assistant))
    }
    assert set(found) == {
        frozenset((berlin.id, paris.id)),
        frozenset((may.id, march.id)),
        frozenset((maria.id, anna.id)),
        frozenset((no_coffee.id, coffee.id)),
    }
    assert found[frozenset((berlin.id, paris.id))].clear
    assert found[frozenset((no_coffee.id, coffee.id))].clear
    assert not found[frozenset((may.id, march.id))].clear  # rescheduled, or two visits?
    assert not found[frozenset((maria.id, anna.id))].clear  # renamed, or two sisters?

    counts = contradictions.run(assistant.memories, view(assistant), never, assistant.reviews)
    assert counts == {"superseded": 2, "to review": 2}
    old_home = assistant.memories.get(paris.id)
    assert old_home.status is Status.SUPERSEDED
    assert old_home.metadata["superseded_by"] == f"[[{berlin.path.stem}]]"  # type: ignore[union-attr]
    assert paris.id in assistant.memories.get(berlin.id).supersedes
    assert {(i.new_id, i.old_id) for i in assistant.reviews.open()} == {
        (may.id, march.id),
        (maria.id, anna.id),
    }
    # A second run asks nothing twice.
    again = contradictions.run(assistant.memories, view(assistant), never, assistant.reviews)
    assert again == {"superseded": 0, "to review": 0}
    assert {climb1.status, climb2.status} == {Status.ACTIVE}


@pytest.mark.parametrize(
    "resolution", [r for r in Resolution if r not in UNDO and r is not Resolution.MOOT]
)
def test_each_review_answer_lands_in_the_notes(
    assistant: Assistant, resolution: Resolution
) -> None:
    old, new = assistant.memories.add_many(
        [Draft("My sister's name is Anna.", created_at=ago(9)), "My sister's name is Maria."]
    )
    item = assistant.reviews.add("contradiction", new.id, old.id, "two names for your sister")
    assert item is not None
    said = settle(assistant.memories, assistant.reviews, item, resolution)
    assert said
    assert assistant.reviews.open() == []
    statuses = (assistant.memories.get(new.id).status, assistant.memories.get(old.id).status)
    expected = {
        Resolution.KEEP_NEW: (Status.ACTIVE, Status.SUPERSEDED),
        Resolution.KEEP_OLD: (Status.ARCHIVED, Status.ACTIVE),
        Resolution.BOTH: (Status.ACTIVE, Status.ACTIVE),
        Resolution.MERGE: (Status.SUPERSEDED, Status.SUPERSEDED),
    }[resolution]
    assert statuses == expected
    if resolution is Resolution.MERGE:
        merged = assistant.memories.list()[0]
        assert merged.text == "My sister's name is Anna. My sister's name is Maria."
        assert set(merged.supersedes) == {old.id, new.id}
    # Settled pairs are never queued again, whatever the answer.
    assert assistant.reviews.add("contradiction", new.id, old.id, "again") is None


def test_moot_is_the_queues_own_word_never_an_answer(assistant: Assistant) -> None:
    old, new = assistant.memories.add_many(["My sister's name is Anna.", "It is Maria."])
    item = assistant.reviews.add("contradiction", new.id, old.id, "two names")
    assert item is not None
    with pytest.raises(InvalidInputError):
        settle(assistant.memories, assistant.reviews, item, Resolution.MOOT)


# -- patterns and compaction ------------------------------------------------------------------


def _saturday(weeks_ago: int) -> datetime:
    day = NOW.astimezone() - timedelta(weeks=weeks_ago)
    day -= timedelta(days=(day.weekday() - 5) % 7)
    return day.replace(hour=11, minute=0, second=0).astimezone(UTC)


def test_a_habit_seen_across_weeks_becomes_a_linked_fact(assistant: Assistant) -> None:
    episodes = assistant.memories.add_many(
        [
            Draft(
                f"Went climbing at the gym with Tom ({n}).",
                type="episodic",
                created_at=_saturday(n),
            )
            for n in range(1, 5)
        ]
        + [
            Draft(
                "Went climbing once on a trip.",
                type="episodic",
                created_at=_saturday(1) - timedelta(days=3),
            )
        ]
    )
    found = patterns.find_patterns(view(assistant), set())
    assert [(p.activity, p.day, p.confidence) for p in found] == [("climbing", "saturday", 0.8)]
    assert patterns.run(assistant.memories, view(assistant), never) == {"learned": 1}
    habit = next(m for m in assistant.memories.list() if m.metadata.get("pattern"))
    assert habit.text == "Usually goes climbing on Saturdays."
    assert habit.type is MemoryType.PROCEDURAL and habit.source == "consolidation"
    assert len(habit.metadata["related"]) == 4
    linked = {dst for _, dst, _ in assistant.memories.index.links(habit.id)}
    assert linked == {e.id for e in episodes[:4]}
    # Never learned twice.
    assert patterns.run(assistant.memories, view(assistant), never) == {"learned": 0}


def test_old_weeks_of_episodes_become_one_summary_each(assistant: Assistant) -> None:
    monday = (NOW - timedelta(days=60)).replace(hour=9)
    monday -= timedelta(days=monday.weekday())
    week = assistant.memories.add_many(
        [
            Draft(
                f"Lunch with the team, day {n}. It rained.",
                type="episodic",
                created_at=monday + timedelta(days=n),
            )
            for n in range(3)
        ]
    )
    recent = assistant.memories.add_many(
        [
            Draft(f"Coffee with Ana, day {n}.", type="episodic", created_at=ago(n + 1))
            for n in range(3)
        ]
    )
    weeks = compaction.find_weeks(view(assistant))
    assert [len(w.episodes) for w in weeks] == [3]
    assert compaction.run(assistant.memories, view(assistant), never) == {
        "summaries": 1,
        "archived": 3,
    }
    summary = next(m for m in assistant.memories.list() if m.metadata.get("summarises"))
    assert summary.text.startswith(f"The week of {monday:%d %B %Y}, in 3 moments:")
    assert "- Mon: Lunch with the team, day 0." in summary.text
    assert len(summary.metadata["summarises"]) == 3
    for episode in week:
        archived = assistant.memories.get(episode.id)
        assert archived.status is Status.ARCHIVED
        assert archived.metadata["summarised_in"] == f"[[{summary.path.stem}]]"  # type: ignore[union-attr]
    assert {assistant.memories.get(m.id).status for m in recent} == {Status.ACTIVE}
    hits = assistant.memories.search("lunch with the team in the rain", 3)
    assert hits[0].memory.id == summary.id


def test_an_episode_that_matters_is_never_folded_into_a_summary(assistant: Assistant) -> None:
    monday = (NOW - timedelta(days=60)).replace(hour=9)
    monday -= timedelta(days=monday.weekday())
    lunch, walk, reaction = assistant.memories.add_many(
        [
            Draft("Lunch with the team at the noodle bar.", type="episodic", created_at=monday),
            Draft(
                "Long walk by the river after work.",
                type="episodic",
                created_at=monday + timedelta(days=1),
            ),
            Draft(
                "Had an allergic reaction to shrimp at dinner and needed my EpiPen.",
                type="episodic",
                importance=9,
                tags=["health"],
                created_at=monday + timedelta(days=2),
            ),
        ]
    )
    weeks = compaction.find_weeks(view(assistant))
    assert [{e.id for e in w.episodes} for w in weeks] == [{lunch.id, walk.id}]
    compaction.run(assistant.memories, view(assistant), never)
    assert assistant.memories.get(reaction.id).status is Status.ACTIVE
    assert assistant.memories.get(lunch.id).status is Status.ARCHIVED


# -- index care and the profile ---------------------------------------------------------------


def test_index_care_rebuilds_when_the_indexes_disagree(assistant: Assistant) -> None:
    kept, lost = assistant.memories.add_many(["I like tea.", "I like long walks."])
    assistant.vectors.delete([lost.id])  # a crash between the note index and LanceDB
    assert upkeep.inconsistencies(assistant.memories) == (0, {lost.id})
    assert upkeep.run(assistant.memories, assistant.db, never) == {"fixed": 1}
    assert upkeep.inconsistencies(assistant.memories) == (0, set())
    assert {h.memory.id for h in assistant.memories.search("long walks", 2)} >= {lost.id}
    assert kept.id


def test_the_profile_starts_with_a_summary_line_that_edits_leave_alone(
    assistant: Assistant,
) -> None:
    assistant.memories.add_many(
        [
            Draft("My name is Sam.", type="identity", metadata={"fact": "name"}),
            Draft("I live in Berlin.", type="identity", metadata={"fact": "home"}),
            Draft("I love black coffee.", metadata={"fact": "likes:coffee"}),
        ]
    )
    assistant.refresh_pages(everything=True)
    text = assistant.layout.identity.read_text()
    assert "> [!abstract] In short: My name is Sam · I live in Berlin · I love black coffee" in text
    # The summary is regenerated, never read back as something the user wrote.
    assistant.refresh_pages(everything=True, edited=None)
    again = assistant.layout.identity.read_text()
    assert again.count("In short:") == 1
    assert len(assistant.memories.list()) == 3
