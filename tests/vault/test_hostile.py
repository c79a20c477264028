"""Hostile or odd files in the vault: YAML bombs, notes without a body, temp files left by a
killed process. Each is reported, bounded and never stops the rest of the vault."""

import itertools
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant.errors import NoteError
from assistant.vault import files
from assistant.vault.notes import parse_note
from assistant_cli.main import build_app
from tests.vault.test_read_only import read_only

LEVELS = "abcdefghi"
BOMB = (
    "---\n"
    + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{x}: &{x} [{', '.join(['*' + w] * 9)}]\n" for w, x in itertools.pairwise(LEVELS))
    + "---\nLaughing at the bomb.\n"
)


@pytest.fixture
def cli(minilm: object) -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(build_app(), list(args))


HEAD = "---\nid: x\ncreated: 2024-01-01\n"  # a valid note's properties, for what follows


def test_parsing_refuses_yaml_anchors_and_aliases() -> None:
    with pytest.raises(NoteError, match="anchors or aliases"):
        parse_note(BOMB.replace("---\n", HEAD, 1))
    with pytest.raises(NoteError, match="anchors or aliases"):
        parse_note(HEAD + "base: &b {k: 1}\nother: *b\n---\nbody\n")
    quoted = parse_note(HEAD + "title: 'Tom & *Jerry*'\n---\nbody\n")
    assert quoted.metadata["title"] == "Tom & *Jerry*"


def test_deeply_nested_frontmatter_is_refused() -> None:
    with pytest.raises(NoteError, match="nested more than 64 levels"):
        parse_note(HEAD + "k: " + "[" * 100 + "]" * 100 + "\n---\nbody\n")
    with pytest.raises(NoteError):  # deep enough to crash a recursive parser
        parse_note(HEAD + "k: " + "[" * 50_000 + "]" * 50_000 + "\n---\nbody\n")
    assert parse_note(HEAD + "k: [[[1]]]\n---\nbody\n").metadata["k"] == [[[1]]]


def test_an_alias_bomb_is_skipped_and_the_rest_of_the_vault_syncs(
    cli: CliRunner, env: dict[str, str]
) -> None:
    assert run(cli, "remember", "The spare key is under the blue pot").exit_code == 0
    vault = Path(env["ASSISTANT_HOME"]) / "vault"
    folder = vault / "Assistant" / "Memories"
    (folder / "Bomb.md").write_text(BOMB)  # no id: it must not be given one
    (folder / "Figs.md").write_text("Water the fig tree every Sunday.\n")

    result = run(cli, "vault", "sync")
    assert result.exit_code == 1
    assert "Bomb.md: frontmatter uses YAML anchors or aliases" in " ".join(result.stdout.split())
    assert (folder / "Bomb.md").read_text() == BOMB
    assert "id: " in (folder / "Figs.md").read_text()
    hits = json.loads(run(cli, "search", "fig tree", "--json").stdout)
    assert hits[0]["text"] == "Water the fig tree every Sunday."

    result = run(cli, "reindex")
    assert result.exit_code == 1 and "Indexed 2 memories" in result.stderr
    doctor = run(cli, "doctor")
    assert "Bomb.md" in doctor.stdout and "reindex" not in doctor.stdout
    assert (folder / "Bomb.md").read_text() == BOMB


def test_a_note_with_properties_and_no_body_says_so(hashed: Assistant) -> None:
    note = hashed.settings.assistant_dir / "Memories" / "Empty.md"
    note.write_text("---\ntags: [garden]\nimportance: 7\n---\n\n")
    reasons = dict(hashed.memories.sync().invalid)
    reason = reasons[hashed.memories.notes.layout.relative(note)]
    assert "no text" in reason and "no id" not in reason
    assert note.read_text() == "---\ntags: [garden]\nimportance: 7\n---\n\n"


def test_stale_temp_files_are_cleaned_and_only_ours(tmp_path: Path) -> None:
    root = tmp_path / "Assistant"
    folder = root / "Memories" / "Semantic"
    folder.mkdir(parents=True)
    stale_atomic = folder / ".My note.md.4242.tmp"
    stale_new = folder / ".Leo has swim lessons.4242.7.tmp"
    fresh = folder / ".Another note.md.4243.tmp"
    theirs = [folder / ".obsidian-cache.tmp", folder / "notes.tmp", folder / ".x.md.tmp"]
    for path in (stale_atomic, stale_new, fresh, *theirs):
        path.write_bytes(b"")
    now = 1_000_000.0
    for path in (stale_atomic, stale_new, *theirs):
        os.utime(path, (now - 7200, now - 7200))
    os.utime(fresh, (now - 5, now - 5))

    assert files.stale_temp_files(root, now) == [stale_new, stale_atomic]
    assert files.remove_stale_temp_files(root, now) == []
    assert not stale_atomic.exists() and not stale_new.exists()
    assert fresh.exists() and all(path.exists() for path in theirs)


def test_sync_cleans_crash_leftovers_and_doctor_lists_what_it_cannot(
    cli: CliRunner, env: dict[str, str]
) -> None:
    assert run(cli, "remember", "The spare key is under the blue pot").exit_code == 0
    folder = Path(env["ASSISTANT_HOME"]) / "vault" / "Assistant" / "Memories" / "Semantic"
    left = folder / ".The spare key is under the blue pot.999999.3.tmp"
    left.write_bytes(b"")
    os.utime(left, (0, 0))  # long stale, whatever today is
    with read_only(folder):
        doctor = run(cli, "doctor")
        assert doctor.exit_code == 1
        assert left.name in doctor.stdout and "delete" in doctor.stdout
    assert run(cli, "vault", "sync").exit_code == 0
    assert not left.exists()
    doctor = run(cli, "doctor")
    assert left.name not in doctor.stdout
