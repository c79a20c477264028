"""The persona note (Assistant/Persona.md): created, edited by hand and read back, a
malformed edit reported while the last good persona stays, and never taken for a memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.companion import PRESETS, Companion, Traits
from assistant.errors import InvalidInputError

T0 = 1_800_000_000.0


@pytest.fixture
def companion(hashed: Assistant) -> Iterator[Companion]:
    made = Companion(hashed, clock=lambda: T0)
    yield made
    made.close()


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_home_gets_the_default_persona_in_a_readable_note(companion: Companion) -> None:
    assert companion.traits == PRESETS["curious_companion"]
    text = companion.path.read_text(encoding="utf-8")
    assert companion.path.name == "Persona.md" and companion.path.parent.name == "Assistant"
    assert "preset: curious_companion" in text and "openness: 0.85" in text
    assert "# Persona" in text


def test_traits_edited_in_the_note_are_read_back(companion: Companion) -> None:
    companion.persona()
    rewrite(companion.path, "extraversion: 0.65", "extraversion: 0.2")
    rewrite(companion.path, 'name: "Assistant"', "name: Juniper")
    assert companion.traits.extraversion == 0.2
    assert companion.name == "Juniper"
    assert companion.preset == "custom"
    assert "economical with words" in companion.instructions()
    assert companion.problem == ""


def test_changing_only_the_preset_takes_its_traits(companion: Companion) -> None:
    companion.persona()
    rewrite(companion.path, "preset: curious_companion", "preset: intellectual_mentor")
    assert companion.traits == PRESETS["intellectual_mentor"]
    assert companion.preset == "intellectual_mentor"
    text = companion.path.read_text(encoding="utf-8")
    assert "conscientiousness: 0.85" in text  # the note shows the traits now in use
    assert "# Persona" in text


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("openness: 0.85", "openness: 1.7", "openness must be from 0 to 1"),
        ("openness: 0.85", "openness: lots", "openness must be a number"),
        ("preset: curious_companion", "preset: pirate", "unknown preset 'pirate'"),
        ("openness: 0.85", "openness: [0.85", "invalid YAML"),
        ("---\nname", "name", "no frontmatter"),
    ],
)
def test_a_malformed_edit_is_reported_and_the_last_good_persona_stays(
    companion: Companion, old: str, new: str, problem: str
) -> None:
    companion.persona()
    rewrite(companion.path, old, new)
    assert companion.traits == PRESETS["curious_companion"]
    assert problem in companion.problem
    assert "Persona.md" in companion.problem
    rewrite(companion.path, new, old)  # fixed: read again, problem gone
    assert companion.traits == PRESETS["curious_companion"]
    assert companion.problem == ""


def test_the_last_good_persona_survives_a_restart(hashed: Assistant) -> None:
    first = Companion(hashed, clock=lambda: T0)
    first.choose(preset="supportive_friend", name="Robin")
    rewrite(first.path, "agreeableness: 0.9", "agreeableness: nine")
    first.close()
    again = Companion(hashed, clock=lambda: T0 + 60)
    assert again.traits == PRESETS["supportive_friend"]
    assert again.name == "Robin"
    assert "agreeableness" in again.problem
    again.close()


def test_choosing_presets_custom_values_and_refusals(companion: Companion) -> None:
    chosen = companion.choose(preset="creative_collaborator")
    assert chosen.traits == PRESETS["creative_collaborator"]
    custom = companion.choose(traits={"neuroticism": 0.05})
    assert custom.preset == "custom" and custom.traits.openness == 0.95
    assert "neuroticism: 0.05" in companion.path.read_text(encoding="utf-8")
    with pytest.raises(InvalidInputError, match="unknown preset"):
        companion.choose(preset="pirate")
    with pytest.raises(InvalidInputError, match="openness"):
        companion.choose(traits={"openness": 2.0})
    assert companion.traits == custom.traits


def test_the_note_is_neither_a_memory_nor_a_page(hashed: Assistant, companion: Companion) -> None:
    companion.persona()
    hashed.memories.add("My sister Anna lives in Lyon.")
    rewrite(companion.path, "openness: 0.85", "openness: 0.4")
    report = hashed.sync_vault()
    assert not report.new and not report.modified and not report.invalid
    hashed.vault_changed({Path("Assistant/Persona.md")})  # as the watcher reports an edit
    assert [m.text for m in hashed.memories.list()] == ["My sister Anna lives in Lyon."]
    assert companion.traits.openness == 0.4


def test_a_persona_turned_off_writes_no_note_and_feels_nothing(
    env: dict[str, str], hashed: Assistant
) -> None:
    from dataclasses import replace

    from assistant.settings import PersonaSettings

    off = Assistant(replace(hashed.settings, persona=PersonaSettings(enabled=False)))
    companion = Companion(off, clock=lambda: T0)
    try:
        assert companion.instructions() == ""
        assert companion.mood().label == "neutral"
        assert companion.needs().unmet() == []
        assert not companion.path.exists()
        assert isinstance(companion.traits, Traits)
    finally:
        companion.close()
        off.close()
