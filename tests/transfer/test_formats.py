"""Reading other tools' exports: shapes, versions and bad input, before anything is written."""

from __future__ import annotations

import io
import json
import os
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.errors import InvalidInputError
from assistant.transfer.formats import open_source
from assistant.transfer.items import Conversation, Incoming
from assistant.transfer.jsonstream import read_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def test_mem0_results_shape_is_read_with_its_provenance() -> None:
    source = open_source(FIXTURES / "mem0_results.json")
    items = list(source.items)
    assert source.tool == "mem0"
    assert all(isinstance(i, Incoming) for i in items)
    first = items[0]
    assert isinstance(first, Incoming)
    assert first.text == "Is a vegetarian and allergic to peanuts"
    assert first.key == "mem0:3c90c3cc-0d44-4b50-8888-8dd25736052a"
    assert first.tags == ("food", "health")
    assert first.created is not None and first.created.year == 2025
    assert first.metadata["imported_from"] == "mem0"
    assert first.metadata["mem0_user_id"] == "alex"


def test_an_older_mem0_list_with_unknown_fields_is_read() -> None:
    items = list(open_source(FIXTURES / "mem0_v1_list.json").items)
    assert [i.text for i in items if isinstance(i, Incoming)] == [
        "Likes to travel to Japan in the spring",
        "Has a golden retriever named Biscuit",
    ]


def test_a_mem0_memory_without_text_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match=r'mem0 memory #2 has no "memory" text'):
        list(open_source(FIXTURES / "mem0_missing_text.json").items)


def test_malformed_json_names_the_line_and_column() -> None:
    source = open_source(FIXTURES / "malformed.json")
    with pytest.raises(InvalidInputError, match=r"malformed.json is not valid JSON: .* line 3"):
        list(source.items)


def test_a_truncated_file_is_an_error_at_its_end(tmp_path: Path) -> None:
    whole = (FIXTURES / "mem0_results.json").read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(whole[: len(whole) // 2])
    with pytest.raises(InvalidInputError, match="cut.json is not valid JSON"):
        list(open_source(cut).items)


def test_chatgpt_follows_the_branch_shown_last_and_skips_hidden_and_image_parts() -> None:
    source = open_source(FIXTURES / "chatgpt")
    items = list(source.items)
    talks = [i for i in items if isinstance(i, Conversation)]
    saved = [i.text for i in items if isinstance(i, Incoming)]
    assert source.tool == "chatgpt"
    assert len(talks) == 1
    said = [(m.role, m.text) for m in talks[0].messages]
    assert said[0] == ("user", "My sister Maya just moved to Lisbon for work.")
    assert ("user", "I'm training for the Berlin marathon in September.") in said
    assert not any("Porto" in text for _, text in said)  # an abandoned branch
    assert [role for role, _ in said] == ["user", "assistant", "user", "assistant"]
    assert talks[0].key == "chatgpt:6671a2b3-0000-4c1d-9e8f-1a2b3c4d5e6f"
    assert saved == ["Prefers answers in metric units.", "Is learning Portuguese."]


def test_claude_conversations_read_text_or_content_blocks() -> None:
    source = open_source(FIXTURES / "claude")
    talks = [i for i in source.items if isinstance(i, Conversation)]
    assert source.tool == "claude"
    assert len(talks) == 1  # the empty conversation holds nothing to learn
    roles = [m.role for m in talks[0].messages]
    assert roles == ["user", "assistant"]
    assert talks[0].messages[1].text.startswith("That makes sense.")


def test_markdown_folder_tolerates_broken_frontmatter_with_a_warning() -> None:
    source = open_source(FIXTURES / "notes")
    items = [i for i in source.items if isinstance(i, Incoming)]
    texts = {i.metadata["import_file"]: i for i in items}
    assert set(texts) == {
        "Broken.md",
        "Projects/Allotment.md",
        "Reading list.md",
        "people/Tomas.md",
    }
    assert texts["Broken.md"].text == "The boiler service is due every November."
    assert texts["Projects/Allotment.md"].tags == ("garden", "plans")
    assert texts["people/Tomas.md"].key == "basic-memory:people/tomas"
    assert any("Broken.md" in w and "without its properties" in w for w in source.warnings)
    assert any("Empty.md" in w for w in source.warnings)


def test_an_unknown_shape_asks_for_the_format(tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([{"foo": 1}]))
    with pytest.raises(InvalidInputError, match="--format"):
        open_source(odd)


def test_a_large_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    filler = "x" * 400
    with big.open("w") as out:
        out.write('{"results": [')
        for n in range(50_000):
            out.write(("," if n else "") + json.dumps({"id": str(n), "memory": f"{n} {filler}"}))
        out.write("]}")
    assert big.stat().st_size > 20 * 2**20
    tracemalloc.start()
    try:
        count = sum(1 for _ in open_source(big).items)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50_000
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MB"


def test_stream_reader_handles_values_cut_anywhere() -> None:
    text = json.dumps({"a": 12345, "b": [True, None, 'é"x', {"c": [1.5e3]}], "d": False})
    assert list(read_json(io.StringIO(text), "t")) == [
        ("a", 12345),
        ("b", True),
        ("b", None),
        ("b", 'é"x'),
        ("b", {"c": [1.5e3]}),
        ("d", False),
    ]
    with pytest.raises(InvalidInputError, match="after the end"):
        list(read_json(io.StringIO("[1] [2]"), "t"))


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Paris time (not UTC) while the test runs."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_markdown_created_dates_and_date_times_are_read_and_a_bad_one_warned(
    tmp_path: Path, paris: None
) -> None:
    notes = {
        "day.md": "---\ncreated: 2023-04-10\n---\nObsidian's Date property.\n",
        "local.md": "---\ncreated: 2023-04-10T09:30\n---\nObsidian's Date & time property.\n",
        "yaml.md": "---\ndate: 2023-05-01 08:00:00\n---\nA YAML date-time.\n",
        "zoned.md": "---\ncreated: 2023-06-01T08:00:00Z\n---\nIn UTC.\n",
        "odd.md": "---\ncreated: the spring of 2023\n---\nNot a date.\n",
    }
    for name, text in notes.items():
        (tmp_path / name).write_text(text)
        os.utime(tmp_path / name, (1_700_000_000, 1_700_000_000))
    source = open_source(tmp_path)
    created = {
        i.metadata["import_file"]: i.created for i in source.items if isinstance(i, Incoming)
    }
    assert created == {
        "day.md": datetime(2023, 4, 9, 22, 0, tzinfo=UTC),
        "local.md": datetime(2023, 4, 10, 7, 30, tzinfo=UTC),
        "yaml.md": datetime(2023, 5, 1, 6, 0, tzinfo=UTC),
        "zoned.md": datetime(2023, 6, 1, 8, 0, tzinfo=UTC),
        "odd.md": datetime.fromtimestamp(1_700_000_000, UTC),
    }
    assert [w for w in source.warnings if "odd.md" in w] == [
        "odd.md: created 'the spring of 2023' is not a date; the file's time is used"
    ]
    assert not [w for w in source.warnings if "odd.md" not in w]
