"""Notes on disk: atomic writes, safe layout, scanning that skips and never touches bad files."""

import os
import threading
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import StorageFullError
from assistant.memory_types import Memory
from assistant.settings import Settings, load_settings
from assistant.vault import files
from assistant.vault.layout import VaultLayout
from assistant.vault.note_files import NoteFiles


def test_default_vault_is_created_from_template(hashed: Assistant) -> None:
    vault = hashed.settings.vault
    assert (vault / "Home.md").is_file()
    assert (vault / ".obsidian" / "app.json").is_file()
    assert (vault / "Assistant" / "Memories").is_dir() and (
        vault / "Assistant" / "Archive"
    ).is_dir()
    assert not list(vault.rglob(".gitkeep"))


def test_existing_vault_is_only_written_inside_assistant_folder(tmp_path: Path) -> None:
    vault = tmp_path / "MyVault"
    (vault / "Journal").mkdir(parents=True)
    (vault / "Journal" / "today.md").write_text("my own words")
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()}
    settings = load_settings({"vault": str(vault)}, {"ASSISTANT_HOME": str(tmp_path / "h")}, None)
    from assistant.models.fakes import HashEmbedder

    with Assistant(settings, embedder=HashEmbedder()) as a:
        a.memories.add("A fact worth keeping")
    after = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if p in before} == before
    new = [p for p in after if p not in before]
    assert new and all(p.is_relative_to(vault / "Assistant") for p in new)
    assert not (vault / "Home.md").exists()


def test_scan_reports_bad_files_and_leaves_them_untouched(
    hashed: Assistant, tmp_path: Path
) -> None:
    good = hashed.memories.add("A good note")
    root = hashed.settings.assistant_dir / "Memories"
    bad_files = {
        "no-props.md": b"---\n---\n   \n",
        "bad-yaml.md": b"---\nid: [x\n---\nbody\n",
        "binary.md": b"\xff\xd8\xff\xe0\x00\x10JFIF",
        "huge.md": b"---\nid: huge\n---\n" + b"x" * (5 * 2**20),
    }
    for name, data in bad_files.items():
        (root / name).write_bytes(data)
    copy = root / "copy.md"
    copy.write_bytes((hashed.settings.vault / good.path).read_bytes())  # type: ignore[operator]
    outside = tmp_path / "secret.md"
    outside.write_text("---\nid: secret\n---\nsecret\n")
    (root / "link.md").symlink_to(outside)
    (root / ".hidden.md").write_text("---\nid: hidden\n---\nhidden\n")
    (root / "image.png").write_bytes(b"\x89PNG")

    (root / "handwritten.md").write_bytes(b"just text\n")  # becomes a memory on sync

    scan = hashed.memories.pending_changes(None)
    assert [p.name for p in scan.unnumbered] == ["handwritten.md"]
    assert not scan.new and not scan.modified and not scan.deleted  # the good note is indexed
    reasons = {p.name: r for p, r in scan.invalid}
    assert set(reasons) == set(bad_files) | {"copy.md", "link.md"}
    assert "same id" in reasons["copy.md"] and "outside the vault" in reasons["link.md"]
    assert "UTF-8" in reasons["binary.md"] and "larger than" in reasons["huge.md"]
    assert "properties" in reasons["no-props.md"] and "YAML" in reasons["bad-yaml.md"]

    report = hashed.memories.reindex()
    assert report.indexed == 1 and len(report.invalid) == len(reasons) + 1
    for name, data in bad_files.items():
        assert (root / name).read_bytes() == data
    assert (root / "handwritten.md").read_bytes() == b"just text\n"


def test_full_disk_loses_nothing(hashed: Assistant) -> None:
    first = hashed.memories.add("Stored before the disk filled up")
    folder = hashed.settings.assistant_dir / "Memories" / "Semantic"
    target = folder / "This will not fit.md"
    # Every temp file the next write may use is a link to /dev/full: writing fails ENOSPC.
    counter = next(files._COUNTER)
    for n in range(counter + 1, counter + 50):
        (folder / f".This will not fit.{os.getpid()}.{n}.tmp").symlink_to("/dev/full")
    with pytest.raises(StorageFullError, match="disk is full"):
        hashed.memories.add("This will not fit")
    assert not target.exists()
    first_note = hashed.settings.vault / first.path  # type: ignore[operator]
    counter = next(files._COUNTER)
    for n in range(counter + 1, counter + 50):
        (first_note.parent / f".{first_note.name}.{os.getpid()}.{n}.tmp").symlink_to("/dev/full")
    with pytest.raises(StorageFullError, match="disk is full"):
        hashed.memories.update(first.id, text="Changed while the disk is full")
    assert [m.id for m in hashed.memories.list()] == [first.id]
    assert hashed.memories.get(first.id).text == "Stored before the disk filled up"


def test_absolute_refuses_paths_escaping_the_vault(settings: Settings) -> None:
    layout = VaultLayout(settings.vault)
    from assistant.errors import StoreError

    with pytest.raises(StoreError):
        layout.absolute(Path("../../etc/passwd"))


def test_write_keeps_the_path_of_an_existing_note(hashed: Assistant) -> None:
    files = NoteFiles(VaultLayout(hashed.settings.vault))
    memory = hashed.memories.add("Original text")
    changed = Memory(**{**memory.__dict__, "text": "Completely different text"})
    stored, _ = files.write(changed)
    assert stored.path == memory.path


def test_threads_writing_one_note_at_once_leave_one_whole_text(tmp_path: Path) -> None:
    note = tmp_path / "Assistant" / "Memories" / "Dentist.md"
    texts = [f"version {n}\n" * 2000 for n in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(texts))

    def write(text: str) -> None:
        start.wait()
        try:
            for _ in range(20):
                files.write_atomic(note, text)
        except BaseException as exc:  # noqa: BLE001  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert note.read_text(encoding="utf-8") in texts
    assert [p.name for p in note.parent.iterdir()] == ["Dentist.md"]
