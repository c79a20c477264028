"""Projects in Obsidian: moving notes in and out, renaming and deleting project folders."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from assistant.core import Assistant
from assistant.doctor import run_checks
from assistant.memories import Draft
from assistant.memory_types import Status


def _projects(a: Assistant) -> Path:
    return a.settings.vault / "Assistant" / "Projects"


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_moving_a_note_into_and_out_of_a_project_folder_moves_the_memory(
    hashed: Assistant,
) -> None:
    hashed.projects.new("Apollo")
    memory = hashed.memories.add("The staging server is called kestrel")
    assert memory.path is not None and memory.project == ""
    note = hashed.settings.vault / memory.path
    inside = _projects(hashed) / "Apollo" / note.name
    note.rename(inside)
    hashed.sync_vault()
    assert hashed.memories.get(memory.id).project == "Apollo"
    row = hashed.memories.index.get(memory.id)
    assert row is not None and row.project == "Apollo"
    assert [h.memory.id for h in hashed.memories.search("kestrel", 1, project="Apollo")] == [
        memory.id
    ]
    back = hashed.settings.vault / "Assistant" / "Memories" / "Semantic" / note.name
    inside.rename(back)
    hashed.sync_vault()
    assert hashed.memories.get(memory.id).project == ""


def test_renaming_a_project_folder_keeps_its_id_and_moves_its_memories(
    hashed: Assistant,
) -> None:
    project = hashed.projects.new("Apollo")
    hashed.projects.use("Apollo")
    memory = hashed.memories.add("Apollo uses Postgres")
    (_projects(hashed) / "Apollo").rename(_projects(hashed) / "Artemis")
    hashed.sync_vault()
    renamed = hashed.projects.get("Artemis")
    assert renamed.id == project.id
    assert (_projects(hashed) / "Artemis" / "Artemis.md").is_file()
    assert not (_projects(hashed) / "Artemis" / "Apollo.md").exists()
    assert hashed.projects.current_name() == "Artemis"  # the choice follows the id
    assert hashed.memories.get(memory.id).project == "Artemis"
    row = hashed.memories.index.get(memory.id)
    assert row is not None and row.project == "Artemis"


def test_the_watcher_follows_a_folder_renamed_in_obsidian(assistant: Assistant) -> None:
    project = assistant.projects.new("Apollo")
    memory = assistant.memories.add_many([Draft("Apollo uses Postgres", project="Apollo")])[0]
    watcher = assistant.watch_vault()
    (_projects(assistant) / "Apollo").rename(_projects(assistant) / "Hermes")
    wait_for(lambda: getattr(assistant.memories.index.get(memory.id), "project", "") == "Hermes")
    wait_for(lambda: (_projects(assistant) / "Hermes" / "Hermes.md").is_file())
    assert assistant.projects.get("Hermes").id == project.id
    assert watcher.alive


def test_a_project_folder_made_by_hand_becomes_a_project(hashed: Assistant) -> None:
    folder = _projects(hashed) / "Garden"
    folder.mkdir(parents=True)
    (folder / "Tomatoes.md").write_text("Plant the tomatoes after the last frost.\n")
    hashed.sync_vault()
    project = hashed.projects.get("garden")
    assert project.name == "Garden" and project.id
    assert (folder / "Garden.md").read_text().startswith("---\nid: ")
    hits = hashed.memories.search("tomatoes frost", 1, project="Garden")
    assert hits and hits[0].memory.project == "Garden"
    assert (folder / "Tomatoes.md").read_text().startswith("---\nid: ")


def test_deleting_a_project_folder_by_hand_archives_its_memories(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    hashed.projects.use("Apollo")
    memory = hashed.memories.add("Apollo uses Postgres")
    shutil.rmtree(_projects(hashed) / "Apollo")
    hashed.sync_vault()
    assert hashed.projects.current() is None
    archived = hashed.memories.get(memory.id)
    assert archived.status is Status.ARCHIVED
    restored = hashed.memories.restore(memory.id)
    assert restored.status is Status.ACTIVE and restored.project == ""
    assert hashed.memories.search("Postgres", 1)[0].memory.id == memory.id


def test_the_user_s_notes_survive_a_rewrite_of_the_project_note(hashed: Assistant) -> None:
    hashed.projects.new("Apollo", goal="Ship the beta")
    note = _projects(hashed) / "Apollo" / "Apollo.md"
    text = note.read_text() + "Keep the launch small.\n\n## Links\n- [[Anna]]\n"
    note.write_text(text)
    hashed.projects.archive("Apollo")
    after = note.read_text()
    assert "status: archived" in after
    assert after.split("---\n", 2)[2] == text.split("---\n", 2)[2]
    assert hashed.projects.reopen("Apollo").notes == "Keep the launch small."


def test_a_forgotten_memory_is_restored_into_its_renamed_project(hashed: Assistant) -> None:
    project = hashed.projects.new("Zeus")
    memory = hashed.memories.add_many([Draft("Zeus uses Postgres", project="Zeus")])[0]
    archived = hashed.memories.forget(memory.id)
    assert archived.metadata["from_project_id"] == project.id
    (_projects(hashed) / "Zeus").rename(_projects(hashed) / "Hera")
    hashed.sync_vault()
    restored = hashed.memories.restore(memory.id)
    assert restored.project == "Hera"
    assert restored.path is not None and restored.path.parts[:3] == (
        "Assistant",
        "Projects",
        "Hera",
    )
    assert "from_project_id" not in restored.metadata


def test_sync_and_doctor_report_project_folders_with_bad_names(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    (_projects(hashed) / "Rocket 🚀").mkdir()
    (_projects(hashed) / "APOLLO").mkdir()
    report = hashed.sync_vault()
    reasons = {path.name: reason for path, reason in report.invalid}
    assert "but not 🚀" in reasons["Rocket 🚀"]
    assert "only in case" in reasons["APOLLO"] or "only in case" in reasons["Apollo"]
    checks = [c for c in run_checks(hashed, {}) if c.name == "projects"]
    assert len(checks) == 1 and not checks[0].ok and "Rocket 🚀" in checks[0].detail
    assert hashed.projects.get("Rocket 🚀").name == "Rocket 🚀"  # it still works meanwhile


def test_a_sync_that_finds_the_project_in_use_deleted_names_it(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    hashed.projects.use("Apollo")
    shutil.rmtree(_projects(hashed) / "Apollo")
    report = hashed.sync_vault()
    assert report.notices == ["Apollo was in use; new memories now go to global memory."]
    assert hashed.projects.current() is None
    assert hashed.sync_vault().notices == []


def test_reopening_an_active_project_leaves_its_note_alone(hashed: Assistant) -> None:
    hashed.projects.new("Hermes", goal="Ship the beta")
    note = _projects(hashed) / "Hermes" / "Hermes.md"
    before = note.read_text()
    stamp = note.stat().st_mtime_ns
    again = hashed.projects.reopen("Hermes")
    assert not again.archived and note.read_text() == before
    assert note.stat().st_mtime_ns == stamp
