"""Catch-up sync: edits, moves, deletions and new notes made in the vault while no assistant
process watched it."""

import shutil
from pathlib import Path

from assistant import Assistant, Status


def memories_dir(a: Assistant) -> Path:
    return a.settings.assistant_dir / "Memories"


def test_unchanged_vault_has_nothing_pending(assistant: Assistant) -> None:
    assistant.memories.add_many(["one fact", "another fact"])
    report = assistant.memories.pending_changes()
    assert report.pending == 0 and report.moves == [] and report.invalid == []


def test_edit_move_and_delete_are_applied(assistant: Assistant) -> None:
    m = assistant.memories
    edited, moved, deleted = m.add_many(
        ["My sister Anne lives in Lyon", "The wifi password hint is the dog", "Dentist on March 3"]
    )
    vault = assistant.settings.vault
    note = vault / edited.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    target = memories_dir(assistant) / "Home" / "Wifi.md"
    target.parent.mkdir()
    shutil.move(vault / moved.path, target)  # type: ignore[operator]
    (vault / deleted.path).unlink()  # type: ignore[operator]

    report = m.pending_changes()
    assert {x.id for x, _ in report.modified} == {edited.id, moved.id}
    old_path = moved.path.as_posix()  # type: ignore[union-attr]
    assert report.moves == [(moved.id, old_path, "Assistant/Memories/Home/Wifi.md")]
    assert report.deleted == [deleted.id]

    m.sync(report)
    assert m.pending_changes().pending == 0
    assert m.search("Marseille", k=1)[0].memory.id == edited.id
    assert m.get(moved.id).path == Path("Assistant/Memories/Home/Wifi.md")
    gone = m.get(deleted.id)  # recreated in the archive: the deletion can be undone
    assert gone.status is Status.ARCHIVED and gone.path.parent.name == "Archive"  # type: ignore[union-attr]
    assert m.search("dentist", k=3) == []
    assert m.restore(deleted.id).status is Status.ACTIVE
    assert m.search("dentist", k=1)[0].memory.id == deleted.id


def test_user_notes_without_id_become_memories(assistant: Assistant) -> None:
    folder = memories_dir(assistant) / "Procedural"
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / "Bread.md"
    plain.write_text("Feed the sourdough starter every 12 hours.\n")
    with_props = memories_dir(assistant) / "Plants.md"
    with_props.write_text("---\ntags: [garden]\nimportance: 7\n---\nWater the fig tree weekly.\n")

    report = assistant.memories.pending_changes()
    assert sorted(p.name for p in report.unnumbered) == ["Bread.md", "Plants.md"]
    assistant.memories.sync(report)
    assert plain.read_text().endswith("---\nFeed the sourdough starter every 12 hours.\n")
    assert "type: procedural" in plain.read_text()
    assert with_props.read_text().startswith("---\nid: ")
    assert with_props.read_text().endswith(
        "tags: [garden]\nimportance: 7\n---\nWater the fig tree weekly.\n"
    )
    hit = assistant.memories.search("how often do I water the fig", k=1)[0]
    assert hit.memory.tags == ("garden",) and hit.memory.importance == 7
    assert assistant.memories.pending_changes().pending == 0


def test_copies_and_broken_notes_are_reported_and_left_alone(assistant: Assistant) -> None:
    memory = assistant.memories.add("Original note")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    copy = note.with_name("Copy of original.md")
    copy.write_bytes(note.read_bytes())
    broken = memories_dir(assistant) / "Broken.md"
    broken.write_text("---\ntags: [oops\n---\nbody\n")
    report = assistant.memories.sync()
    reasons = {p.name: r for p, r in report.invalid}
    assert "same id" in reasons["Copy of original.md"] and "YAML" in reasons["Broken.md"]
    assert broken.read_text() == "---\ntags: [oops\n---\nbody\n"
    assert assistant.memories.get(memory.id).path == memory.path


def test_update_applies_on_top_of_an_unsynced_hand_edit(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("My sister Anne lives in Lyon")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    updated = m.update(memory.id, importance=9, tags=["family"])  # the user's words are kept
    assert updated.text == "My sister Anna lives in Marseille" and updated.importance == 9
    assert "Anna lives in Marseille" in note.read_text() and "importance: 9.0" in note.read_text()
    assert m.search("Marseille", k=1)[0].memory.importance == 9


def test_write_refuses_to_replace_a_note_it_has_not_read(assistant: Assistant) -> None:
    import pytest

    from assistant.errors import NoteChangedError

    memory = assistant.memories.add("Original words")
    _, digest = assistant.memories.notes.read(memory.path)  # type: ignore[arg-type]
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("Original words", "The user's new words"))
    with pytest.raises(NoteChangedError):
        assistant.memories.notes.write(memory, expected=digest)
    assert "The user's new words" in note.read_text()
