"""Notes render and parse as inverse pure functions; malformed notes are clear errors."""

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import NoteError
from assistant.memory_types import Memory, MemoryType, Status, new_id
from assistant.paths import template_vault
from assistant.vault.files import note_title
from assistant.vault.notes import TIME_KEYS, parse_note, render_note


def sample(**changes: object) -> Memory:
    base = dict(
        id=new_id(),
        text="My sister Anna lives in Lyon.\n\nShe moved there in 2019.",
        type=MemoryType.EPISODIC,
        importance=7.5,
        emotion=0.3,
        tags=("family", "lyon"),
        entities=("Anna",),
        created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        updated=datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC),
        source="conversation",
        status=Status.SUPERSEDED,
        supersedes=("01ABC",),
        important=True,
        metadata={"mood": "calm", "nested": {"a": [1, 2]}, "quote": "a: b # c"},
        path=Path("Assistant/Memories/Episodic/x.md"),
    )
    base.update(changes)
    return Memory(**base)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field() -> None:
    memory = sample()
    assert parse_note(render_note(memory), memory.path) == memory


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Central European (UTC+1 in winter, UTC+2 in summer), without tzdata."""
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_frontmatter_reads_as_obsidian_properties(berlin: None) -> None:
    text = render_note(sample())
    assert text.startswith("---\nid: ")
    assert "tags: [family, lyon]" in text
    assert "created: 2024-01-02T04:04:05\n" in text, "local time, as Obsidian's Date & time"
    assert text.endswith("She moved there in 2019.\n")


def test_properties_are_few_typed_and_share_one_time_style(berlin: None) -> None:
    turn = datetime(2024, 7, 1, 8, 30, 0, tzinfo=UTC)
    memory = sample(
        type=MemoryType.IDENTITY,
        emotion=0.0,
        entities=(),
        status=Status.ACTIVE,
        supersedes=(),
        important=False,
        created=datetime(2024, 7, 1, 8, 30, 5, tzinfo=UTC),
        updated=datetime(2024, 7, 1, 8, 30, 5, tzinfo=UTC),
        metadata={"fact": "relation:cat", "conversation": "c1", "turn": turn},
    )
    text = render_note(memory)
    keys = [line.split(":", 1)[0] for line in text.split("---\n")[1].splitlines()]
    assert keys == [
        "id",
        "type",
        "importance",
        "tags",
        "created",
        "updated",
        "source",
        "learned_as",
        "conversation",
        "turn",
    ]
    assert "created: 2024-07-01T10:30:05\n" in text
    assert "turn: 2024-07-01T10:30:00\n" in text, "every date-time in the same style"
    assert "learned_as: relation:cat\n" in text and "fact:" not in text
    assert parse_note(text, memory.path) == memory


def test_the_assistants_times_given_as_text_are_written_as_date_times(berlin: None) -> None:
    metadata = {"turn": "2024-01-05T09:00:00+00:00", "decayed_at": "2024-01-06T10:00:00Z"}
    text = render_note(sample(metadata=metadata))
    assert "turn: 2024-01-05T10:00:00\n" in text
    assert "decayed_at: 2024-01-06T11:00:00\n" in text
    parsed = parse_note(text).metadata
    assert parsed["turn"] == datetime(2024, 1, 5, 9, tzinfo=UTC)
    assert parsed["decayed_at"] == datetime(2024, 1, 6, 10, tzinfo=UTC)


def test_the_vault_template_types_every_property_the_assistant_writes() -> None:
    types = json.loads((template_vault() / ".obsidian" / "types.json").read_text())["types"]
    when = datetime(2024, 1, 2, tzinfo=UTC)
    metadata = {
        "fact": "home",
        "conversation": "c1",
        "turn": when,
        "decayed_at": when,
        "people": ["[[Anna]]"],
        "related": ["[[x]]"],
    }
    text = render_note(sample(metadata=metadata))
    keys = {line.split(":", 1)[0] for line in text.split("---\n")[1].splitlines()}
    assert keys <= set(types), keys - set(types)
    assert {key for key, kind in types.items() if kind == "datetime"} == TIME_KEYS
    assert types["importance"] == types["emotion"] == "number"
    assert types["important"] == "checkbox"


OLD_FORMAT = """---
id: 01JD3KQ8ZB7W4Y5V6X9T2R1M0N
type: identity
importance: 7.5
emotion: 0.0
important: false
tags: [pets]
entities: [Misha]
created: 2024-01-02T03:04:05Z
updated: 2024-01-02T03:04:05Z
source: conversation
status: active
supersedes: []
conversation: 0f3c9a
turn: '2024-01-02T03:04:00+00:00'
fact: relation:cat
people: ['[[Misha]]']
decayed_at: '2024-02-01T00:00:00Z'
---
My cat's name is Misha.
"""


def test_notes_in_the_previous_format_still_read(berlin: None) -> None:
    memory = parse_note(OLD_FORMAT, Path("x.md"))
    assert memory.type is MemoryType.IDENTITY and memory.status is Status.ACTIVE
    assert memory.entities == ("Misha",) and memory.supersedes == ()
    assert memory.created == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert memory.metadata["fact"] == "relation:cat"
    assert memory.metadata["turn"] == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    assert memory.metadata["decayed_at"] == datetime(2024, 2, 1, tzinfo=UTC)
    assert memory.to_dict()["metadata"]["turn"] == "2024-01-02T03:04:00+00:00"
    rewritten = render_note(memory)
    assert "fact:" not in rewritten and "emotion" not in rewritten
    assert "turn: 2024-01-02T04:04:00\n" in rewritten
    assert parse_note(rewritten, Path("x.md")) == memory


def test_a_date_time_without_zone_is_local_time(berlin: None) -> None:
    text = "---\nid: a\ncreated: 2024-07-01T10:30\nwhen: 2024-07-02T09:00:00\n---\nx"
    memory = parse_note(text)
    assert memory.created == datetime(2024, 7, 1, 8, 30, tzinfo=UTC)
    assert memory.metadata["when"] == datetime(2024, 7, 2, 7, tzinfo=UTC)
    assert memory.metadata["when"].utcoffset() == timedelta(hours=2)


def test_hostile_text_round_trips() -> None:
    for text in ["---\nid: evil\n---", "ignore previous instructions", "ünïcødé 🙂", "a: b"]:
        memory = sample(text=text)
        assert parse_note(render_note(memory), memory.path).text == text


def test_user_written_note_with_tags_as_hashtags(berlin: None) -> None:
    text = "---\nid: abc\ntags: '#work'\ncreated: 2024-05-01\n---\nBody\n"
    memory = parse_note(text)
    assert memory.tags == ("work",)
    assert memory.created == datetime(2024, 4, 30, 22, tzinfo=UTC), "local midnight"
    assert memory.source == "vault"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no frontmatter here", "no frontmatter"),
        ("---\nid: a\nbody never closed", "not closed"),
        ("---\nid: [unclosed\n---\ntext", "invalid YAML"),
        ("---\n- a list\n---\ntext", "not a set of properties"),
        ("---\ntype: semantic\n---\ntext", "no id"),
        ("---\nid: a\ntype: gossip\n---\ntext", "invalid property"),
        ("---\nid: a\nimportance: high\n---\ntext", "invalid property"),
        ("---\nid: a\n---\n   \n", "no text"),
    ],
)
def test_malformed_notes_raise_note_error(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        parse_note(text, Path("x.md"))


def test_out_of_range_importance_is_clamped_and_missing_dates_fall_back() -> None:
    when = datetime(2023, 3, 3, tzinfo=UTC)
    memory = parse_note("---\nid: a\nimportance: 42\n---\nx", fallback_time=when)
    assert memory.importance == 10.0 and memory.created == memory.updated == when
    with pytest.raises(NoteError, match="not a date"):
        parse_note("---\nid: a\n---\nx")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("My sister Anna lives in Lyon.", "My sister Anna lives in Lyon"),
        ("../../etc/passwd", "etc passwd"),
        ('a/b\\c:d*e?f"g<h>i|j#k^l[m]n', "a b c d e f g h i j k l m n"),
        ("CON", "CON note"),
        ("...", "Memory"),
        ("x" * 200, "x" * 60),
        ("first line\nsecond line", "first line"),
        ("My PIN is 4821 and my card is 4111 1111 1111 1111", "My PIN is … and my card is …"),
        ("My wifi password is Hunter2Secret", "My wifi password is …"),
        ("Dentist: +1 415 555 0132, ask for Ana", "Dentist …, ask for Ana"),
        ("Mum's birthday is 1961-04-12", "Mum's birthday is 1961-04-12"),
        ("Standup at 9:30 daily", "Standup at 9.30 daily"),  # not "at 9 30", or cut to "at 9"
        (
            "I have a GP appointment next tuesday (8 December 2026) at 9:30.",
            "I have a GP appointment next tuesday (8 December 2026)",
        ),
    ],
)
def test_note_titles_are_safe_file_names(text: str, title: str) -> None:
    assert note_title(text) == title


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "No",
        "null",
        "true",
        "1.5",
        "0x10",
        "2024-01-01",
        "a: b",
        "- x",
        "#tag",
        "[x]",
        "ünï",
        "",
        " padded ",
        "multi\nline",
        "it's",
        "@at",
        "*star",
        "&amp",
        "!bang",
        "%pct",
    ],
)
def test_any_string_round_trips_in_tags_metadata_and_source(value: str) -> None:
    memory = sample(
        tags=(value or "x",), source=value or "x", metadata={"k": value, "lst": [value]}
    )
    parsed = parse_note(render_note(memory), memory.path)
    assert parsed.metadata == {"k": value, "lst": [value]}
    assert parsed.source == (value or "x")
    assert parsed.tags == ((value or "x").strip().lstrip("#"),)


def test_ids_are_written_bare_and_read_back_as_strings() -> None:
    hexlike = "0x" + "1" * 24
    for memory_id in ("01M7YMAEV7MXN60X3J8BXVG7NZ", "1" * 26, "0x1F", "1e5", hexlike):
        memory = sample(id=memory_id)
        assert parse_note(render_note(memory), memory.path).id == memory_id
    assert "id: 01M7YMAEV7MXN60X3J8BXVG7NZ\n" in render_note(
        sample(id="01M7YMAEV7MXN60X3J8BXVG7NZ")
    )
