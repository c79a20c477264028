"""Catching up with the vault by its files' times: a command with no watcher running takes in
the notes edited, deleted or moved by hand since the vault was last synced, reading no note
that did not change (real files, real DuckDB and LanceDB, the shipped hash embedder)."""

from __future__ import annotations

import os
from pathlib import Path

from assistant import Assistant
from assistant.memory_types import Status
from assistant.vault.freshness import SLACK, changed_since


def texts(assistant: Assistant) -> set[str]:
    return {m.text for m in assistant.memories.list()}


def now(assistant: Assistant) -> float:
    """The time by the file system's clock (the one notes are stamped by, whatever the
    process's clock says)."""
    probe = assistant.settings.home / "probe"
    probe.write_bytes(b"")
    return probe.stat().st_mtime


def age(assistant: Assistant, path: Path, seconds: float) -> None:
    """Set a file's or folder's times back, as if written that long ago."""
    then = now(assistant) - seconds
    os.utime(path, (then, then))


def settled(assistant: Assistant) -> None:
    """Every note and folder written long enough ago that the last catch-up saw it."""
    for path in [*assistant.layout.vault.rglob("*")]:
        age(assistant, path, 10 * SLACK)
    assistant.catch_up()


def test_the_first_catch_up_syncs_the_whole_vault_and_later_ones_read_nothing_unchanged(
    hashed: Assistant,
) -> None:
    hashed.memories.add("My sister Anna lives in Lyon.")
    note = hashed.layout.memories / "by-hand.md"
    note.write_text("I keep bees on the roof.\n", encoding="utf-8")  # no id: numbered on sync
    assert hashed.catch_up() >= 1
    assert texts(hashed) == {"My sister Anna lives in Lyon.", "I keep bees on the roof."}
    settled(hashed)
    assert hashed.catch_up() == 0
    hashed.memories.add("I have a dentist appointment on May 3.")  # its own write: as indexed
    assert hashed.memories.as_indexed(changed_since(hashed.layout, now(hashed) - 60).notes)
    assert hashed.catch_up() == 0


def test_an_edited_note_is_taken_in(hashed: Assistant) -> None:
    memory = hashed.memories.add("My sister Anna lives in Lyon.")
    settled(hashed)
    path = hashed.layout.vault / str(memory.path)
    path.write_text(path.read_text(encoding="utf-8").replace("Lyon", "Nice"), encoding="utf-8")
    assert hashed.catch_up() == 1
    assert texts(hashed) == {"My sister Anna lives in Nice."}


def test_a_note_moved_into_a_new_folder_keeps_its_memory_and_a_deleted_folder_archives(
    hashed: Assistant,
) -> None:
    """A move keeps the file's time: the folders tell of it."""
    anna = hashed.memories.add("My sister Anna lives in Lyon.")
    bees = hashed.memories.add("I keep bees on the roof.")
    settled(hashed)
    family = hashed.layout.memories / "Family"
    family.mkdir()
    moved = family / Path(str(anna.path)).name
    (hashed.layout.vault / str(anna.path)).rename(moved)
    age(hashed, moved, 10 * SLACK)
    assert changed_since(hashed.layout, now(hashed) - SLACK).notes == set()
    hashed.catch_up()
    assert hashed.memories.get(anna.id).path == hashed.layout.relative(moved)
    assert hashed.memories.get(anna.id).status is Status.ACTIVE
    settled(hashed)
    moved.unlink()
    family.rmdir()
    hashed.catch_up()
    assert hashed.memories.get(anna.id).status is Status.ARCHIVED, "restorable, not lost"
    assert hashed.memories.get(bees.id).status is Status.ACTIVE


def test_a_note_broken_by_hand_keeps_its_memory_as_indexed(hashed: Assistant) -> None:
    hashed.memories.add("My sister Anna lives in Lyon.")
    memory = hashed.memories.add("I keep bees on the roof.")
    settled(hashed)
    path = hashed.layout.vault / str(memory.path)
    path.write_bytes(b"---\nid: [broken\n---\n\x00\xff")
    assert hashed.catch_up() == 0, "nothing to take in"
    assert texts(hashed) == {"My sister Anna lives in Lyon.", "I keep bees on the roof."}
    assert hashed.memories.pending_changes().invalid, "reported by vault status"


def test_an_edit_on_the_profile_page_is_taken_in(hashed: Assistant) -> None:
    """A bullet changed on ``Identity.md`` is read by the next command, as a note edit is."""
    hashed.memories.add("I'm allergic to shellfish.", type="identity")
    hashed.refresh_pages(everything=True)
    settled(hashed)
    page = hashed.layout.identity
    said = page.read_text(encoding="utf-8")
    assert "I'm allergic to shellfish." in said
    page.write_text(said.replace("shellfish.", "shellfish and kiwi."), encoding="utf-8")
    assert hashed.catch_up() >= 1
    assert texts(hashed) == {"I'm allergic to shellfish and kiwi."}
    settled(hashed)
    assert hashed.catch_up() == 0
