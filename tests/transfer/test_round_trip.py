"""Export → import into an empty home → export gives back exactly the same export."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.memories import Draft
from assistant.models.fakes import HashEmbedder
from assistant.settings import read_settings
from assistant.transfer.export import write_json, write_jsonl, write_markdown
from assistant.transfer.importer import Importer
from assistant.vault.conversations import ConversationNotes


def open_home(path: Path) -> Assistant:
    return Assistant(read_settings({"home": str(path)}, os.environ), embedder=HashEmbedder())


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Assistant]:
    """A home with memories of every kind: tags, importance, an archived one, a superseded
    one with its successor, extra properties, and a conversation."""
    with open_home(tmp_path / "first") as home:
        memories = home.memories
        memories.add("My sister Anna lives in Lyon", tags=["family"], entities=["Anna"])
        memories.add("My locker PIN is 4521", important=True, importance=9)
        old = memories.add("I work at Globex", metadata={"learned_as": "work", "pii": []})
        memories.supersede(old.id, Draft("I work at Initech", source="conversation"))
        gone = memories.add("The old gym was on Elm Street", type="episodic", emotion=0.4)
        memories.forget(gone.id)
        home.memories.evidence.keep("s-1", 1_750_000_000.0, "we adopted a cat", reply="Lovely!")
        home.memories.evidence.keep("s-1", 1_750_000_060.0, "her name is Miso")
        yield home


def export_text(home: Assistant, kind: str) -> str:
    out = io.StringIO()
    talks = ConversationNotes(home.layout)
    (write_json if kind == "json" else write_jsonl)(home.memories, out, conversations=talks)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["json", "jsonl"])
def test_export_import_export_is_identical(filled: Assistant, tmp_path: Path, kind: str) -> None:
    first = export_text(filled, kind)
    assert '"text": "My sister Anna lives in Lyon"' in first
    assert '"status": "superseded"' in first and '"status": "archived"' in first
    assert '"superseded_by": "[[' in first
    dump = tmp_path / f"export.{kind}"
    dump.write_text(first, encoding="utf-8")
    with open_home(tmp_path / "second") as second:
        report = Importer(second).run(dump)
        assert (report.added, report.conversations) == (5, 1)
        assert export_text(second, kind) == first
        assert Importer(second).run(dump).added == 0


def test_markdown_export_reads_back_the_same(filled: Assistant, tmp_path: Path) -> None:
    before = export_text(filled, "json")
    folder = tmp_path / "notes"
    report = write_markdown(filled.memories, folder, conversations=ConversationNotes(filled.layout))
    assert report.memories == 5 and report.conversations == 1
    with open_home(tmp_path / "second") as second:
        Importer(second).run(folder)
        assert export_text(second, "json") == before


def test_a_markdown_export_brings_its_projects_back_as_projects(tmp_path: Path) -> None:
    with open_home(tmp_path / "first") as first:
        first.projects.new("Café Zürich", goal="Open by spring")
        first.projects.use("Café Zürich")
        first.memories.add("We use Postgres 16 for the Café Zürich backend")
        first.projects.use(None)
        first.memories.add("My sister Anna lives in Lyon")
        before = export_text(first, "json")
        folder = tmp_path / "notes"
        write_markdown(first.memories, folder, conversations=ConversationNotes(first.layout))
    with open_home(tmp_path / "second") as second:
        report = Importer(second).run(folder)
        assert report.added == 2, "the project's note is no memory"
        [project] = second.projects.all()
        assert (project.name, project.goal) == ("Café Zürich", "Open by spring")
        assert export_text(second, "json") == before
