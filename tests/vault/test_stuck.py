"""A memory never gets stuck: notes that go to the trash and come back, notes whose YAML breaks
for a while, notes that lose their ``id:`` line, and copies of notes."""

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import Assistant, Status
from assistant_cli.main import build_app
from tests.vault.test_watch import wait_for


@pytest.fixture
def cli(minilm: object) -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(build_app(), list(args))


def vault_of(env: dict[str, str]) -> Path:
    return Path(env["ASSISTANT_HOME"]) / "vault"


def search_ids(cli: CliRunner, query: str) -> list[str]:
    result = run(cli, "search", query, "--json")
    assert result.exit_code == 0, result.stderr
    return [hit["id"] for hit in json.loads(result.stdout)]


@pytest.mark.parametrize("away", [".trash", "Elsewhere"])
def test_a_note_back_from_the_trash_brings_its_memory_back(
    cli: CliRunner, env: dict[str, str], away: str
) -> None:
    text = "Leo has swim lessons on Thursdays at 5pm."
    result = run(cli, "remember", text, "--type", "procedural", "--json")
    stored = json.loads(result.stdout)
    vault = vault_of(env)
    note = vault / stored["path"]
    parked = vault / away / note.name  # Obsidian's delete moves the note to .trash/
    parked.parent.mkdir()
    shutil.move(note, parked)
    assert run(cli, "vault", "sync").exit_code == 0
    assert search_ids(cli, "When are Leo's swim lessons?") == []
    archive = list((vault / "Assistant" / "Archive").glob("*.md"))
    assert len(archive) == 1

    shutil.move(parked, note)
    result = run(cli, "vault", "sync")
    assert result.exit_code == 0, result.stdout
    assert "same id" not in result.stdout
    assert search_ids(cli, "When are Leo's swim lessons?")[:1] == [stored["id"]]
    listed = json.loads(run(cli, "list", "--json").stdout)
    assert [(m["id"], m["status"], m["path"]) for m in listed] == [
        (stored["id"], "active", stored["path"])
    ]
    assert not list((vault / "Assistant" / "Archive").glob("*.md"))  # the archive copy is gone
    status = run(cli, "vault", "status")
    assert status.exit_code == 0 and "The index matches the vault." in status.stderr


def test_an_archive_copy_left_by_a_crash_gives_way_to_the_returned_note(
    assistant: Assistant,
) -> None:
    m = assistant.memories
    memory = m.add("Leo has swim lessons on Thursdays at 5pm.", type="procedural")
    vault = assistant.settings.vault
    note = vault / memory.path  # type: ignore[operator]
    saved = note.read_bytes()
    note.unlink()
    m.sync()
    tombstone = vault / m.get(memory.id).path  # type: ignore[operator]
    left_over = tombstone.read_bytes()
    note.write_bytes(saved)
    m.sync_paths([memory.path])  # type: ignore[list-item]
    assert not tombstone.exists() and m.get(memory.id).status is Status.ACTIVE
    # A process killed after indexing the returned note, before removing the archive copy:
    tombstone.write_bytes(left_over)
    rebuilt = m.reindex()
    assert rebuilt.indexed == 1 and rebuilt.invalid == []
    assert m.get(memory.id).path == memory.path
    report = m.sync()
    assert report.invalid == [] and report.deleted == [] and not tombstone.exists()
    assert m.get(memory.id).status is Status.ACTIVE and m.pending_changes().pending == 0


def test_broken_yaml_keeps_the_memory_until_it_is_fixed(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("The plumber's number is in the blue notebook", importance=6)
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    good = note.read_text()
    note.write_text(good.replace("importance: 6.0", "importance: [7"))
    report = m.sync()
    assert [p for p, _ in report.invalid] == [memory.path] and report.deleted == []
    assert m.get_many([memory.id]) == []  # unreadable for now, but not archived
    hit = m.search("plumber number", k=1)[0].memory
    assert hit.id == memory.id and hit.status is Status.ACTIVE and hit.importance == 6
    assert not list((assistant.settings.assistant_dir / "Archive").glob("*.md"))

    note.write_text(good.replace("importance: 6.0", "importance: 7"))
    report = m.sync()
    assert report.invalid == [] and [x.id for x, _ in report.modified] == [memory.id]
    fixed = m.get(memory.id)
    assert fixed.status is Status.ACTIVE and fixed.importance == 7
    assert m.search("plumber number", k=1)[0].memory.importance == 7


def test_a_deleted_id_line_is_matched_back_by_path(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("Grandma's birthday is on June 12")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    note.write_text(note.read_text().replace(f"id: {memory.id}\n", ""))
    report = m.sync()
    assert report.deleted == [] and report.new == []
    assert f"id: {memory.id}\n" in note.read_text()
    assert [x.id for x in m.list()] == [memory.id]
    assert not list((assistant.settings.assistant_dir / "Archive").glob("*.md"))


def test_a_deleted_id_line_is_matched_back_by_body(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("Grandma's birthday is on June 12")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    moved = note.with_name("Birthdays.md")
    moved.write_text(note.read_text().replace(f"id: {memory.id}\n", "paid: 5\nid:\n"))
    note.unlink()
    report = m.sync()
    assert report.deleted == [] and report.new == []
    assert f"paid: 5\nid: {memory.id}\n" in moved.read_text()
    assert [(x.id, x.path) for x in m.list()] == [(memory.id, m.notes.layout.relative(moved))]
    assert not list((assistant.settings.assistant_dir / "Archive").glob("*.md"))


def test_restoring_a_deleted_note_makes_it_an_ordinary_note(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("Grandma's birthday is on June 12")
    (assistant.settings.vault / memory.path).unlink()  # type: ignore[operator]
    m.sync()
    assert "deleted_from" in m.get(memory.id).metadata
    restored = m.restore(memory.id)
    assert restored.status is Status.ACTIVE and "deleted_from" not in restored.metadata
    assert "deleted_from" not in (assistant.settings.vault / restored.path).read_text()  # type: ignore[operator]


@pytest.mark.parametrize("edit_original", [False, True])
def test_a_copied_note_is_reported_and_the_original_stays(
    assistant: Assistant, edit_original: bool
) -> None:
    m = assistant.memories
    memory = m.add("Leo has swim lessons on Thursdays at 5pm.")
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    copy = note.with_name(f"{note.stem} 1.md")  # what Obsidian's "Make a copy" writes
    shutil.copy(note, copy)
    os.utime(note, (1_000_000, 1_000_000))
    if edit_original:
        note.write_text(note.read_text().replace("5pm", "6pm"))
        os.utime(note, (1_000_000, 1_000_000))
    for report in (m.pending_changes(), m.sync(), m.sync_paths([m.notes.layout.relative(copy)])):
        reasons = {p.name: r for p, r in report.invalid}
        assert list(reasons) == [copy.name] and "copy of" in reasons[copy.name]
        assert report.deleted == [] and report.moves == []
    assert m.get(memory.id).path == memory.path
    assert [h.memory.id for h in m.search("swim lessons", k=3)] == [memory.id]

    rebuilt = m.reindex()
    assert rebuilt.indexed == 1 and [p.name for p, _ in rebuilt.invalid] == [copy.name]
    assert m.get(memory.id).path == memory.path


def test_the_watcher_brings_back_a_note_restored_from_the_trash(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("Leo has swim lessons on Thursdays at 5pm.", type="procedural")
    vault = assistant.settings.vault
    note = vault / memory.path  # type: ignore[operator]
    trash = vault / ".trash"
    trash.mkdir()
    problems: list[str] = []
    watcher = assistant.watch_vault(problems.append)
    shutil.move(note, trash / note.name)
    wait_for(lambda: m.index.get(memory.id).status == "archived")  # type: ignore[union-attr]
    shutil.move(trash / note.name, note)
    wait_for(lambda: m.index.get(memory.id).path == memory.path.as_posix())  # type: ignore[union-attr]
    assert m.get(memory.id).status is Status.ACTIVE
    assert [h.memory.id for h in m.search("swim lessons", k=1, touch=False)] == [memory.id]
    assert not list((assistant.settings.assistant_dir / "Archive").glob("*.md"))
    report = m.pending_changes()
    assert report.pending == 0 and report.invalid == []
    assert watcher.alive and problems == []
