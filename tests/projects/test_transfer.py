"""Export, import and backups carry projects: their notes and their memories."""

from __future__ import annotations

import io
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.backup.create import create_backup
from assistant.backup.restore import restore_backup
from assistant.errors import InvalidInputError
from assistant.memories import Draft
from assistant.models.fakes import HashEmbedder
from assistant.overview import overview
from assistant.settings import Settings, read_settings
from assistant.transfer.export import write_json, write_jsonl, write_markdown
from assistant.transfer.importer import Importer

WHEN = datetime(2026, 3, 15, 9, 30, tzinfo=UTC)


def open_home(path: Path) -> Assistant:
    return Assistant(read_settings({"home": str(path)}, os.environ), embedder=HashEmbedder())


def export_text(home: Assistant, kind: str) -> str:
    out = io.StringIO()
    (write_json if kind == "json" else write_jsonl)(home.memories, out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["json", "jsonl"])
def test_export_and_import_carry_projects(tmp_path: Path, kind: str) -> None:
    with open_home(tmp_path / "first") as first:
        project = first.projects.new("Apollo", goal="Ship the beta")
        first.memories.add_many(
            [Draft("Apollo uses Postgres", project="Apollo"), Draft("I like tea", project="")]
        )
        text = export_text(first, kind)
    dump = tmp_path / f"export.{kind}"
    dump.write_text(text, encoding="utf-8")
    with open_home(tmp_path / "second") as second:
        Importer(second).run(dump)
        again = second.projects.get("Apollo")
        assert (again.id, again.goal) == (project.id, "Ship the beta")
        by_text = {m.text: m.project for m in second.memories.list()}
        assert by_text == {"Apollo uses Postgres": "Apollo", "I like tea": ""}
        assert export_text(second, kind) == text


def test_markdown_export_holds_the_project_note(tmp_path: Path) -> None:
    with open_home(tmp_path / "first") as first:
        first.projects.new("Apollo", goal="Ship the beta")
        first.memories.add_many([Draft("Apollo uses Postgres", project="Apollo")])
        write_markdown(first.memories, tmp_path / "notes")
    folder = tmp_path / "notes" / "Assistant" / "Projects" / "Apollo"
    assert "goal: Ship the beta" in (folder / "Apollo.md").read_text()
    assert any(p.name != "Apollo.md" for p in folder.glob("*.md"))


def test_the_dashboard_counts_memories_per_project(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    hashed.projects.new("Zephyr")
    hashed.memories.add_many(
        [
            Draft("Apollo uses Postgres", project="Apollo"),
            Draft("Apollo ships in May", project="Apollo"),
            Draft("I like tea", project=""),
        ]
    )
    assert overview(hashed).by_project == {"Apollo": 2, "Zephyr": 0, "": 1}


def test_a_backup_carries_projects_and_the_one_in_use(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    home = read_settings({}, os.environ)
    with Assistant(home, embedder=HashEmbedder()) as a:
        project = a.projects.new("Apollo", goal="Ship the beta")
        a.projects.use("Apollo")
        a.memories.add("Apollo uses Postgres")
        result = create_backup(home, a.db, environ={}, target=tmp_path / "backups", now=WHEN)
    shutil.rmtree(home.home)
    env = {"ASSISTANT_HOME": str(home.home), "ASSISTANT_EMBEDDER": "hash"}
    report = restore_backup(result.path, {}, env, lambda: "", embedder=HashEmbedder())
    assert report.ok, report.problems
    with Assistant(read_settings({}, env), embedder=HashEmbedder()) as again:
        assert again.projects.current_name() == "Apollo"
        assert again.projects.get("Apollo").id == project.id
        assert again.memories.search("Postgres", 1)[0].memory.project == "Apollo"


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_export_with_a_bad_project_name_is_refused_before_any_write(
    tmp_path: Path, dry_run: bool
) -> None:
    with open_home(tmp_path / "first") as first:
        first.projects.new("Apollo")
        first.memories.add_many([Draft("Apollo uses Postgres", project="Apollo")])
        (first.layout.projects / "Rocket 🚀").mkdir()  # made by hand, never checked
        first.memories.add_many([Draft("The rocket is red", project="Rocket 🚀")])
        first.projects.heal()
        dump = tmp_path / "export.json"
        dump.write_text(export_text(first, "json"), encoding="utf-8")
    with open_home(tmp_path / "second") as second:
        with pytest.raises(InvalidInputError, match="but not 🚀"):
            Importer(second).run(dump, dry_run=dry_run)
        assert second.memories.list() == []
        assert second.projects.all() == []


def test_an_export_with_names_differing_only_in_case_is_refused(tmp_path: Path) -> None:
    with open_home(tmp_path / "first") as first:
        first.projects.new("Apollo")
        (first.layout.projects / "APOLLO").mkdir()
        first.memories.add_many([Draft("Apollo uses Postgres", project="Apollo")])
        first.projects.heal()
        dump = tmp_path / "export.jsonl"
        dump.write_text(export_text(first, "jsonl"), encoding="utf-8")
    with open_home(tmp_path / "second") as second:
        with pytest.raises(InvalidInputError, match="only in case"):
            Importer(second).run(dump)
        assert second.memories.list() == [] and second.projects.all() == []
