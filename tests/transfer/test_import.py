"""Importing into a home: provenance, policy, dedup, dry runs and conversations."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import InvalidInputError
from assistant.memory_types import Status
from assistant.transfer.importer import Importer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def vault_state(assistant: Assistant) -> dict[str, str]:
    """Every file of the vault (outside git) and its checksum."""
    root = assistant.settings.vault
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def texts(assistant: Assistant) -> set[str]:
    return {m.text for m in assistant.memories.list(statuses=list(Status))}


def test_mem0_import_records_provenance_redacts_refuses_and_dedups(hashed: Assistant) -> None:
    report = Importer(hashed).run(FIXTURES / "mem0_results.json")
    assert (report.tool, report.added, report.duplicates, report.refused) == ("mem0", 3, 1, 1)
    assert report.redacted == 1
    kept = {m.text: m for m in hashed.memories.list()}
    nurse = kept["Works as a pediatric nurse at Riverside Hospital"]
    assert nurse.source == "import"
    assert nurse.metadata["imported_from"] == "mem0"
    assert nurse.metadata["import_key"] == "mem0:f38b689d-6b24-45b7-bced-17fbb4d8bac7"
    assert nurse.metadata["import_file"] == "mem0_results.json"
    assert nurse.created.year == 2025 and nurse.created.month == 2
    assert "professional_details" in nurse.tags
    assert not any("CorrectHorseBattery" in t for t in kept)
    assert not any("system prompt" in t for t in kept)


def test_a_second_import_of_the_same_file_changes_nothing(hashed: Assistant) -> None:
    Importer(hashed).run(FIXTURES / "mem0_results.json")
    hashed.refresh_pages()
    before = vault_state(hashed)
    again = Importer(hashed).run(FIXTURES / "mem0_results.json")
    hashed.refresh_pages()
    assert again.added == 0 and again.duplicates == 4
    assert vault_state(hashed) == before


def test_dry_run_says_what_would_happen_and_writes_nothing(hashed: Assistant) -> None:
    before = vault_state(hashed)
    report = Importer(hashed).run(FIXTURES / "mem0_v1_list.json", dry_run=True)
    assert report.dry_run and report.added == 2
    assert vault_state(hashed) == before
    assert texts(hashed) == set()


def test_bad_input_fails_before_writing_anything_after_it(hashed: Assistant) -> None:
    with pytest.raises(InvalidInputError, match="line 3"):
        Importer(hashed).run(FIXTURES / "malformed.json")
    with pytest.raises(InvalidInputError, match="does not exist"):
        Importer(hashed).run(FIXTURES / "nowhere.json")


def test_markdown_folder_import_with_a_broken_note(hashed: Assistant) -> None:
    report = Importer(hashed).run(FIXTURES / "notes")
    assert report.tool == "markdown" and report.added == 4
    assert any("Broken.md" in w for w in report.warnings)
    kept = {m.metadata["import_file"]: m for m in hashed.memories.list()}
    assert kept["Broken.md"].text == "The boiler service is due every November."
    assert kept["Projects/Allotment.md"].tags == ("garden", "plans")
    assert all(m.source == "import" for m in kept.values())
    assert Importer(hashed).run(FIXTURES / "notes").added == 0


def test_chatgpt_export_turns_are_learned_and_kept_as_evidence(assistant: Assistant) -> None:
    report = Importer(assistant).run(FIXTURES / "chatgpt")
    assert report.conversations == 1 and report.turns == 2
    assert report.added == 2  # the saved memories
    assert report.learned >= 1
    found = assistant.memories.search("where does my sister Maya live?", 3)
    assert found and "Lisbon" in found[0].memory.text
    assert found[0].memory.source == "import"
    said = assistant.memories.said("berlin marathon", 1)
    assert said and "Berlin marathon" in said[0].turn.text
    before = vault_state(assistant)
    again = Importer(assistant).run(FIXTURES / "chatgpt")
    assert (again.added, again.conversations, again.seen_conversations) == (0, 0, 1)
    assert vault_state(assistant) == before


def test_claude_export_turns_are_learned(assistant: Assistant) -> None:
    report = Importer(assistant).run(FIXTURES / "claude")
    assert (report.tool, report.conversations, report.turns) == ("claude", 1, 1)
    found = assistant.memories.search("what is Ines allergic to?", 3)
    assert found and "bee" in found[0].memory.text.lower()
