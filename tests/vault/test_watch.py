"""Live sync: the change filter, per-path sync, and a real watchdog observer."""

import time
from pathlib import Path

from assistant import Assistant, Status
from assistant.vault.watch import relevant


def test_relevant_keeps_notes_and_folders_under_assistant(tmp_path: Path) -> None:
    vault = tmp_path
    raw = [
        vault / "Assistant/Memories/Semantic/Note.md",
        vault / "Assistant/Memories/Home",  # a folder (moved or deleted)
        vault / "Assistant/Memories/Semantic/.Note.md.123.4.tmp",
        vault / "Assistant/.obsidian/workspace.json",
        vault / "Assistant/Memories/picture.png",
        vault / ".obsidian/app.json",
        vault / ".git/index",
        vault / "Journal/today.md",
        tmp_path.parent / "elsewhere.md",
    ]
    assert relevant([str(p) for p in raw], vault) == {
        Path("Assistant/Memories/Semantic/Note.md"),
        Path("Assistant/Memories/Home"),
    }


def test_sync_paths_handles_edits_folder_moves_and_deletions(assistant: Assistant) -> None:
    m = assistant.memories
    vault = assistant.settings.vault
    a, b = m.add_many(["Anne lives in Lyon", "The boiler code is 1234"])
    note = vault / a.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("Anne", "Anna"))
    report = m.sync_paths([a.path])  # type: ignore[list-item]
    assert [x.id for x, _ in report.modified] == [a.id]
    assert m.search("Anna", k=1)[0].memory.text == "Anna lives in Lyon"

    semantic = vault / "Assistant/Memories/Semantic"
    semantic.rename(vault / "Assistant/Memories/Facts")
    report = m.sync_paths([Path("Assistant/Memories/Semantic"), Path("Assistant/Memories/Facts")])
    assert {i for i, _, _ in report.moves} == {a.id, b.id} and report.deleted == []
    assert m.get(b.id).path == Path("Assistant/Memories/Facts") / b.path.name  # type: ignore[union-attr]

    (vault / m.get(b.id).path).unlink()  # type: ignore[operator]
    report = m.sync_paths([m.index.get(b.id).path and Path(m.index.get(b.id).path)])  # type: ignore[union-attr]
    assert report.deleted == [b.id]
    assert m.get(b.id).status is Status.ARCHIVED


def test_own_writes_are_no_ops(assistant: Assistant) -> None:
    memory = assistant.memories.add("Written by the assistant")
    report = assistant.memories.sync_paths([memory.path])  # type: ignore[list-item]
    assert report.pending == 0 and report.invalid == []


def wait_for(condition, timeout: float = 15.0) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_real_watcher_indexes_an_edit_made_in_the_vault(assistant: Assistant) -> None:
    m = assistant.memories
    memory = m.add("My sister Anne lives in Lyon")
    problems: list[str] = []
    watcher = assistant.watch_vault(problems.append)
    note = assistant.settings.vault / memory.path  # type: ignore[operator]
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    wait_for(
        lambda: (
            m.get(memory.id).text == "My sister Anna lives in Marseille"
            and m.search("Marseille", k=1, touch=False)[0].memory.id == memory.id
        )
    )

    new_note = assistant.settings.assistant_dir / "Memories" / "Handwritten.md"
    new_note.write_text("The spare key is under the blue flower pot.\n")
    wait_for(lambda: bool(m.search("where is the spare key", k=1, touch=False)))
    assert new_note.read_text().startswith("---\nid: ")
    assert watcher.alive and problems == []


def test_watcher_restarts_a_dead_observer(assistant: Assistant) -> None:
    problems: list[str] = []
    watcher = assistant.watch_vault(problems.append)
    watcher._heartbeat = 0.1  # check often, for the test
    watcher._queue.put("wake up")
    watcher._observer.stop()
    watcher._observer.join()
    wait_for(lambda: watcher.restarts == 1 and watcher.alive)
    assert "restarting" in problems[0]
