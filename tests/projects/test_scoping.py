"""Projects as memory spaces: where memories go, what a scoped search sees, and the index."""

from __future__ import annotations

import duckdb
import pytest

from assistant.actions import Actions
from assistant.core import Assistant
from assistant.errors import InvalidInputError
from assistant.memories import Draft
from assistant.memory_types import MemoryFilter, MemoryType


def test_memories_added_in_a_project_lie_in_its_folder(hashed: Assistant) -> None:
    hashed.projects.new("Apollo", goal="Ship the beta")
    hashed.projects.use("Apollo")
    memory = hashed.memories.add("The Apollo beta ships with dark mode")
    assert memory.path is not None
    assert memory.path.parts[:3] == ("Assistant", "Projects", "Apollo")
    assert memory.project == "Apollo"
    note = hashed.settings.vault / "Assistant" / "Projects" / "Apollo" / "Apollo.md"
    assert "type: project" in note.read_text() and "## Your notes" in note.read_text()


def test_facts_about_the_user_stay_global_in_a_project(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    hashed.projects.use("Apollo")
    sister = hashed.memories.add("My sister Anna lives in Lyon", type="identity")
    health = hashed.memories.add("I am allergic to peanuts", tags=["health"])
    work = hashed.memories.add("The launch review is on Friday")
    mum = hashed.memories.add("My mum likes tablet and the old Scottish songs")
    assert sister.project == "" and health.project == "" and mum.project == ""
    assert mum.path is not None and "Projects" not in mum.path.parts
    assert work.project == "Apollo"


def test_a_fact_that_names_the_project_is_the_projects_whatever_its_type(
    hashed: Assistant,
) -> None:
    """Chat may read "We use Postgres 16 for the Apollo backend" as a fact about the user
    (identity): naming the project in use, it goes to the project all the same."""
    hashed.projects.new("Apollo")
    hashed.projects.use("Apollo")
    stack = hashed.memories.add("We use Postgres 16 for the Apollo backend", type="identity")
    mine = hashed.memories.add("My sister works on Apollo too", type="identity")
    assert stack.project == "Apollo"
    assert mine.project == "", "the user's own people stay global"
    hashed.projects.new("Baumann GmbH")
    hashed.projects.use("Baumann GmbH")
    contact = hashed.memories.add("Baumann contact is herr dietrich", type="identity")
    assert contact.project == "Baumann GmbH", "a word of the name that names it alone"
    firm = hashed.memories.add("I sold my old gmbh shares", type="identity")
    assert firm.project == "", "a generic word of the name names no project"


def test_scoped_search_sees_the_project_and_global_but_not_other_projects(
    hashed: Assistant,
) -> None:
    p = hashed.projects
    p.new("Apollo")
    p.new("Zephyr")
    m = hashed.memories
    m.add_many(
        [
            Draft("The deadline for the report is May", project="Apollo"),
            Draft("The deadline for the report is June", project="Zephyr"),
            Draft("The deadline for taxes is April", project=""),
        ]
    )
    p.use("Apollo")
    texts = [h.memory.text for h in m.search("deadline", 5, touch=False)]
    assert texts[0] == "The deadline for the report is May"
    assert "The deadline for taxes is April" in texts
    assert "The deadline for the report is June" not in texts
    p.use(None)
    everywhere = [h.memory.text for h in m.search("deadline", 5, touch=False)]
    assert len(everywhere) == 3


def test_project_memories_rank_first_among_equals(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    m = hashed.memories
    m.add_many(
        [
            Draft("Weekly sync happens on Tuesday", project=""),
            Draft("Weekly sync happens on Tuesday", project="Apollo"),
        ]
    )
    first = m.search("weekly sync", 2, touch=False, project="Apollo")[0]
    assert first.memory.project == "Apollo"
    global_first = m.search("weekly sync", 2, touch=False, project="")
    assert {h.memory.project for h in global_first} == {"", "Apollo"}


def test_the_index_records_each_notes_project(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    memory = hashed.memories.add_many([Draft("Apollo uses Postgres", project="Apollo")])[0]
    row = hashed.memories.index.get(memory.id)
    assert row is not None and row.project == "Apollo"
    assert hashed.memories.index.project_counts()["Apollo"] == 1
    ids = hashed.memories.vectors.ids(MemoryFilter(projects=("Apollo",)))
    assert ids == [memory.id]


def test_index_migration_fills_the_project_column() -> None:
    from assistant.store.migrations import m001_notes_usage_links, m007_notes_project

    conn = duckdb.connect()
    m001_notes_usage_links(conn)
    conn.execute(
        "INSERT INTO notes VALUES ('a', 'Assistant/Projects/Apollo/x.md', 'c', 'semantic', "
        "'active', 0, 0, 0), ('b', 'Assistant/Memories/Semantic/y.md', 'c', 'semantic', "
        "'active', 0, 0, 0)"
    )
    m007_notes_project(conn)
    rows = dict(conn.execute("SELECT id, project FROM notes").fetchall())
    assert rows == {"a": "Apollo", "b": ""}


def test_an_archived_project_cannot_be_used_and_leaves_its_memories(hashed: Assistant) -> None:
    p = hashed.projects
    p.new("Apollo")
    p.use("Apollo")
    memory = hashed.memories.add("Apollo uses Postgres")
    p.archive("Apollo")
    assert p.current() is None
    with pytest.raises(InvalidInputError):
        p.use("Apollo")
    assert hashed.memories.get(memory.id).project == "Apollo"
    assert [h.memory.id for h in hashed.memories.search("Postgres", 1, touch=False)] == [memory.id]


def test_forget_and_restore_keep_the_project(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    memory = hashed.memories.add_many([Draft("Apollo uses Postgres", project="Apollo")])[0]
    archived = hashed.memories.forget(memory.id)
    assert archived.project == ""
    restored = hashed.memories.restore(memory.id)
    assert restored.project == "Apollo"
    assert "from_project" not in restored.metadata


@pytest.mark.parametrize(
    "text",
    [
        "My name is Sam",
        "I live in Lille",
        "I work at Acme Corp as a designer",
        "I am allergic to penicillin",
        "My dog Rex needs a vet visit",
    ],
)
def test_remember_without_a_type_keeps_facts_about_the_user_global(
    assistant: Assistant, text: str
) -> None:
    assistant.projects.new("Apollo")
    assistant.projects.use("Apollo")
    memory = Actions(assistant).remember(text)
    assert memory.project == ""
    assert memory.type == MemoryType.SEMANTIC  # the type is only decided by the user here


def test_remember_keeps_work_in_the_project_and_a_given_type(assistant: Assistant) -> None:
    assistant.projects.new("Apollo")
    assistant.projects.use("Apollo")
    actions = Actions(assistant)
    assert actions.remember("The launch review is on Friday").project == "Apollo"
    given = actions.remember("I live in Lille", type="episodic")
    assert given.type == MemoryType.EPISODIC and given.project == "Apollo"
