"""The CLI end to end: results on stdout, errors as a panel on stderr with an exit code."""

import importlib.metadata
import json
import os
import re
import resource
import subprocess
import sys
import tomllib
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from typer.testing import CliRunner, Result

from assistant_cli.main import build_app


@pytest.fixture
def cli(minilm: object) -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(build_app(), list(args), input=input)


def test_remember_search_show_forget_restore_round_trip(
    cli: CliRunner, env: dict[str, str]
) -> None:
    result = run(cli, "remember", "My sister Anna lives in Lyon", "--tag", "family")
    assert result.exit_code == 0, result.stderr
    memory_id = result.stdout.strip()
    assert len(memory_id) == 26 and result.stderr == ""

    stored = json.loads(
        run(cli, "remember", "I am allergic to peanuts", "--important", "--json").stdout
    )
    assert stored["important"] is True and stored["importance"] == 8.0
    assert {"id", "text", "type", "importance", "path"} <= stored.keys()

    result = run(cli, "search", "where does my sister live", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == memory_id and hits[0]["path"].endswith(".md")
    assert {"id", "text", "type", "score", "path"} <= hits[0].keys()
    assert hits == sorted(hits, key=lambda h: -h["score"])

    result = run(cli, "search", "sister", "--explain")
    assert "relevance" in result.stdout and memory_id in result.stdout

    result = run(cli, "show", memory_id[:10])
    assert "My sister Anna lives in Lyon" in result.stdout and "family" in result.stdout

    result = run(cli, "forget", memory_id, "--yes")
    assert result.exit_code == 0 and result.stdout.strip() == memory_id
    assert json.loads(run(cli, "search", "sister Anna Lyon", "--json").stdout) == []
    listed = json.loads(run(cli, "list", "--status", "archived", "--json").stdout)
    assert [m["id"] for m in listed] == [memory_id]
    every = run(cli, "list", "--status", "all")
    assert every.exit_code == 0 and "status" in every.stdout
    assert "archived" in every.stdout and "active" in every.stdout
    home = Path(env["ASSISTANT_HOME"])
    assert (home / "vault" / listed[0]["path"]).is_file()

    assert run(cli, "restore-memory", memory_id).exit_code == 0
    assert json.loads(run(cli, "search", "sister", "--json").stdout)[0]["id"] == memory_id


def test_forget_by_query_asks_which(cli: CliRunner) -> None:
    run(cli, "remember", "The dentist appointment is on March 3")
    run(cli, "remember", "The dentist is Dr Moreau")
    result = run(cli, "forget", "--query", "dentist", input="0\n")
    assert result.exit_code == 0 and "Nothing forgotten" in result.stderr
    result = run(cli, "forget", "--query", "dentist", input="y\n")
    assert result.exit_code == 0 and "Nothing forgotten" in result.stderr, "not a number"
    result = run(cli, "forget", "--query", "dentist", input="1\n")
    assert result.exit_code == 0
    assert len(json.loads(run(cli, "list", "--json").stdout)) == 1
    result = run(cli, "forget", "--query", "dentist", input="y\n")
    assert "Forget this memory?" in result.stderr, "one match: asked yes or no"
    assert result.exit_code == 0 and json.loads(run(cli, "list", "--json").stdout) == []
    forgotten = json.loads(run(cli, "list", "--status", "forgotten", "--json").stdout)
    assert len(forgotten) == 2, "forgotten is archived, as chat says"


def test_restoring_a_memory_that_is_not_forgotten_says_so(cli: CliRunner) -> None:
    memory_id = run(cli, "remember", "Keep me").stdout.strip()
    result = run(cli, "restore-memory", memory_id)
    assert result.exit_code == 0 and "not forgotten: nothing to restore" in result.stderr


def test_forget_without_confirmation_keeps_the_memory(cli: CliRunner) -> None:
    memory_id = run(cli, "remember", "Keep me").stdout.strip()
    result = run(cli, "forget", memory_id, input="n\n")
    assert result.exit_code == 1
    assert [m["id"] for m in json.loads(run(cli, "list", "--json").stdout)] == [memory_id]


def test_edit_reindexes_after_editor(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_id = run(cli, "remember", "My sister Anne lives in Lyon").stdout.strip()
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('Anne', 'Anna'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = run(cli, "edit", memory_id)
    assert result.exit_code == 0, result.stderr
    hits = json.loads(run(cli, "search", "Anna", "--json").stdout)
    assert hits[0]["text"] == "My sister Anna lives in Lyon"


def test_reindex_and_doctor(cli: CliRunner, env: dict[str, str]) -> None:
    run(cli, "remember", "Fact one about gardening")
    result = run(cli, "reindex")
    assert result.exit_code == 0 and "Indexed 1 memories" in result.stderr
    result = run(cli, "doctor")
    assert result.exit_code == 0 and "consistent with the vault" in result.stdout
    bad = Path(env["ASSISTANT_HOME"]) / "vault" / "Assistant" / "Memories" / "broken.md"
    bad.write_text("---\nid: [oops\n---\ntext\n")
    result = run(cli, "doctor")
    assert result.exit_code == 1 and "broken.md" in result.stdout and "reindex" in result.stdout
    result = run(cli, "reindex")
    assert result.exit_code == 1 and "skipped" in result.stderr
    assert bad.read_text() == "---\nid: [oops\n---\ntext\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("remember", ""), None, "empty"),
        (("remember", "   \n\t "), None, "empty"),
        (("remember", "x" * 1_000_001), None, "limit"),
        (("remember", "-"), b"\xff\xfe\x00binary", "not UTF-8"),
        (("ask", "-"), bytes(range(128, 256)) * 30, "not UTF-8"),
        (("remember", "a\x00b"), None, "NUL"),
        (("remember", "fine", "--type", "gossip"), None, "unknown memory type"),
        (("remember", "fine", "--importance", "11"), None, "between 0 and 10"),
        (("show", "01NOSUCHMEMORY"), None, "no memory with id"),
        (("forget", "01NOSUCHMEMORY", "--yes"), None, "no memory with id"),
        (("restore-memory", "01NOSUCHMEMORY"), None, "no memory with id"),
        (("show", "01M96"), None, "give at least 6 characters"),
        (("search", ""), None, "query is empty"),
        (("forget",), None, "either an ID or --query"),
    ],
)
def test_bad_input_is_one_clear_error(
    cli: CliRunner, args: tuple[str, ...], stdin: bytes | None, message: str
) -> None:
    keep = run(cli, "remember", "Existing memory stays").stdout.strip()
    result = run(cli, *args, input=stdin)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert [m["id"] for m in json.loads(run(cli, "list", "--json").stdout)] == [keep]


def test_invalid_utf8_argument(cli: CliRunner) -> None:
    bad = b"caf\xe9".decode("utf-8", "surrogateescape")
    result = run(cli, "remember", bad)
    assert result.exit_code == 1 and "not valid UTF-8" in result.stderr


def test_read_only_home(cli: CliRunner) -> None:
    result = run(cli, "--home", "/sys/assistant-home", "remember", "hello")
    assert result.exit_code == 1
    assert "not writable" in result.stderr or "cannot create" in result.stderr


def test_note_deleted_by_hand(cli: CliRunner, env: dict[str, str]) -> None:
    """A note deleted by hand while nothing ran: the index holds it until a command that
    reads memories takes the deletion in (it is then archived, so it can be restored)."""
    memory_id = run(cli, "remember", "Delete my note by hand").stdout.strip()
    note = next((Path(env["ASSISTANT_HOME"]) / "vault" / "Assistant").rglob("Delete*.md"))
    note.unlink()
    assert run(cli, "doctor").exit_code == 1, "the index still holds the deleted note"
    result = run(cli, "show", memory_id)
    assert result.exit_code == 0 and "archived" in result.stdout, result.stderr
    assert run(cli, "doctor").exit_code == 0
    assert json.loads(run(cli, "search", "delete note", "--json").stdout) == []
    assert run(cli, "restore-memory", memory_id).exit_code == 0
    assert json.loads(run(cli, "search", "delete note", "--json").stdout)[0]["id"] == memory_id


def test_usage_errors_exit_2(cli: CliRunner) -> None:
    assert run(cli, "search").exit_code == 2
    assert run(cli, "no-such-command").exit_code == 2


def test_config_error_is_reported(cli: CliRunner, env: dict[str, str]) -> None:
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True)
    (home / "config.toml").write_text("embedder = [")
    result = run(cli, "list")
    assert result.exit_code == 1 and "Invalid configuration" in result.stderr


def test_help_lists_commands(cli: CliRunner) -> None:
    result = run(cli, "--help")
    for command in (
        "remember",
        "search",
        "show",
        "list",
        "edit",
        "forget",
        "restore-memory",
        "reindex",
        "doctor",
        "chat",
    ):
        assert command in result.stdout
    assert os.environ["ASSISTANT_LOAD_PLUGINS"] == ""


def test_hand_edit_and_index_loss_round_trip(cli: CliRunner, env: dict[str, str]) -> None:
    import shutil

    memory_id = run(cli, "remember", "My sister Anne lives in Lyon").stdout.strip()
    run(cli, "remember", "I am allergic to peanuts")
    home = Path(env["ASSISTANT_HOME"])
    note = home / "vault" / json.loads(run(cli, "search", "sister", "--json").stdout)[0]["path"]
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    assert run(cli, "doctor").exit_code == 1  # the edit is noticed
    assert run(cli, "reindex").exit_code == 0
    before = json.loads(run(cli, "search", "Marseille", "--json").stdout)
    assert before[0]["id"] == memory_id and "Marseille" in before[0]["text"]
    shutil.rmtree(home / "index")
    after = json.loads(run(cli, "search", "Marseille", "--json").stdout)
    assert [h["id"] for h in after] == [h["id"] for h in before]
    assert run(cli, "doctor").exit_code == 0


def test_vault_status_and_sync(cli: CliRunner, env: dict[str, str]) -> None:
    memory_id = run(cli, "remember", "My sister Anne lives in Lyon").stdout.strip()
    result = run(cli, "vault", "status")
    assert result.exit_code == 0 and "matches the vault" in result.stderr
    memories = Path(env["ASSISTANT_HOME"]) / "vault" / "Assistant" / "Memories"
    note = next(memories.rglob("My sister*.md"))
    note.write_text(note.read_text().replace("Anne", "Anna"))
    (memories / "Handwritten.md").write_text("I keep spare keys with the neighbour.\n")
    result = run(cli, "vault", "status")
    assert result.exit_code == 0
    assert (
        "edited" in result.stdout and "no id" in result.stdout and "Handwritten.md" in result.stdout
    )
    result = run(cli, "vault", "sync")
    assert result.exit_code == 0 and "indexed" in result.stderr
    assert json.loads(run(cli, "search", "Anna", "--json").stdout)[0]["id"] == memory_id
    assert "spare keys" in json.loads(run(cli, "search", "spare keys", "--json").stdout)[0]["text"]
    (memories / "Broken.md").write_text("---\nid: [x\n---\nbody\n")
    result = run(cli, "vault", "status")
    assert result.exit_code == 1 and "Broken.md" in result.stdout


HOSTILE = (
    "Title \x1b]0;pwned\x07 clear \x1b[2J alt \x1b[?1049h link "
    "\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ csi \x9b2J my sister lives in [city]"
)


def test_escape_sequences_in_memories_never_reach_the_terminal(
    cli: CliRunner, env: dict[str, str]
) -> None:
    memories = Path(env["ASSISTANT_HOME"]) / "vault" / "Assistant" / "Memories"
    memories.mkdir(parents=True)
    properties = '---\n"[/]": "\\e]0;pwned\\a"\n---\n'  # a property named like markup
    (memories / "Hostile.md").write_text(properties + HOSTILE + "\n", encoding="utf-8")
    assert run(cli, "vault", "sync").exit_code == 0
    stored = json.loads(run(cli, "list", "--json").stdout)
    assert [m["text"] for m in stored] == [HOSTILE]  # the note keeps its text; --json shows it
    memory_id = stored[0]["id"]
    for args in (
        ("show", memory_id),
        ("list",),
        ("search", "where does my sister live"),
        ("search", "sister", "--explain"),
        ("ask", "where does my sister live?"),
        ("forget", memory_id),
        ("restore-memory", memory_id),
    ):
        result = run(cli, *args, input="n\n")
        shown = result.stdout + result.stderr
        assert result.exit_code == (1 if args[0] == "forget" else 0), (args, result.stderr)
        assert not set(shown) & {"\x1b", "\x07", "\x9b"}, (args, shown)
        if args[0] in ("show", "list", "search", "forget"):
            assert "␛]0;pwned␇" in shown and "[city]" in shown, (args, shown)
    result = run(cli, "chat", input="/forget sister\n\n/search sister\n/exit\n")
    shown = result.stdout + result.stderr
    assert not set(shown) & {"\x1b", "\x07", "\x9b"}, shown
    assert "1. Title ␛]0;pwned␇" in shown and "[city]" in shown, shown


# -- every failure is one clear message ---------------------------------------------------------


def _flat(text: str) -> str:
    """Panel text without its border and wrapping, to look for long paths in it."""
    return re.sub(r"[\s│╭╮╰╯─]", "", text)


def _clean_exit(result: Result) -> bool:
    return result.exception is None or isinstance(result.exception, SystemExit)


def test_version_prints_the_installed_version(cli: CliRunner) -> None:
    result = run(cli, "--version")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"assistant {importlib.metadata.version('assistant')}\n"


def test_a_model_file_with_dots_in_its_name_leaves_every_command_working(
    cli: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    gguf = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
    gguf.write_bytes(b"GGUF" + bytes(64))
    result = run(cli, "models", "add", str(gguf))
    assert result.exit_code == 0, result.stderr
    assert "Added SmolLM2-135M-Instruct-Q4_1 " in result.stdout
    result = run(cli, "models", "add", str(gguf), "--name", "smol.q4")
    assert result.exit_code == 0, result.stderr
    config = Path(env["ASSISTANT_HOME"]) / "config.toml"
    assert '[models."smol.q4"]' in config.read_text()
    models = tomllib.loads(config.read_text())["models"]
    assert {name: m["path"] for name, m in models.items()} == {
        "SmolLM2-135M-Instruct-Q4_1": str(gguf),
        "smol.q4": str(gguf),
    }
    listed = {m["name"] for m in json.loads(run(cli, "models", "--json").stdout)}
    assert {"SmolLM2-135M-Instruct-Q4_1", "smol.q4"} <= listed
    for args in (("list",), ("doctor",)):
        result = run(cli, *args)
        assert "Invalid configuration" not in result.stderr and _clean_exit(result), args


def test_an_invalid_config_names_file_line_and_fix_and_never_stops_doctor(
    cli: CliRunner, env: dict[str, str]
) -> None:
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True)
    config = home / "config.toml"
    # What `models add` wrote for such a file before: TOML reads it as nested tables.
    config.write_text(
        'embedder = "hash"\n\n[models.SmolLM2-135M-Instruct.Q4_1]\nprovider = "llama"\n'
        'path = "/models/SmolLM2-135M-Instruct.Q4_1.gguf"\n'
    )
    result = run(cli, "list")
    assert result.exit_code == 1 and "Invalid configuration" in result.stderr
    shown = _flat(result.stderr)
    assert f"{_flat(str(config))},line3:" in shown
    assert 'Fix:quotethename:[models."SmolLM2-135M-Instruct.Q4_1"]' in shown
    result = run(cli, "doctor")
    assert result.exit_code == 1 and _clean_exit(result), result.stderr
    assert f"✗ config: {config}, line 3:" in result.stdout
    assert '[models."SmolLM2-135M-Instruct.Q4_1"]' in result.stdout
    assert "✓ home:" in result.stdout and "index:" in result.stdout  # the other checks ran
    config.write_text('embedder = "hash"\n[retrieval]\ncandidates = [\n')
    result = run(cli, "doctor")
    assert result.exit_code == 1 and f"✗ config: {config}, line 3: not valid TOML" in result.stdout


def test_a_read_only_vault_is_one_clear_error(cli: CliRunner, env: dict[str, str]) -> None:
    from tests.vault.test_read_only import read_only

    kept = run(cli, "remember", "Stored before the vault became read-only").stdout.strip()
    with read_only(Path(env["ASSISTANT_HOME"]) / "vault"):
        result = run(cli, "remember", "The spare key is under the blue pot")
    assert result.exit_code == 1 and _clean_exit(result), result.exception
    assert "Read-only" in result.stderr and "notwritable" in _flat(result.stderr)
    assert [m["id"] for m in json.loads(run(cli, "list", "--json").stdout)] == [kept]


FULL_DISK = """
import resource, signal, sys
limit = int(sys.argv.pop(1))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from assistant_cli.main import run
sys.argv[0] = "assistant"
run()
"""


def test_a_full_disk_under_the_home_is_one_clear_error(env: dict[str, str]) -> None:
    environ = {**os.environ, **env, "ASSISTANT_EMBEDDER": "hash"}

    def assistant(*args: str, limit: int = resource.RLIM_INFINITY) -> CompletedProcess[str]:
        command = [sys.executable, "-c", FULL_DISK, str(limit), *args]
        return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=120)

    first = assistant("remember", "Stored while the disk had room")
    assert first.returncode == 0, first.stderr
    # No file may grow past 40 kB: the embedding cache (32 kB, SQLite) cannot take another
    # page and fails with "disk I/O error"; the cache is skipped and the memory stored.
    tight = assistant("remember", "Stored without the cache", limit=40_000)
    assert tight.returncode == 0, tight.stderr
    assert tight.stderr.startswith("The embedding cache is off: ") and "disk I/O" in tight.stderr
    # Not a byte more anywhere: the note cannot be written.
    full = assistant("remember", "This will not fit", limit=0)
    assert full.returncode == 1, full.stderr
    for leak in ("Traceback", "sqlite3", "Logging error"):
        assert leak not in tight.stderr + full.stderr, full.stderr
    assert "Disk full" in full.stderr and "freesomespace" in _flat(full.stderr), full.stderr
    listed = json.loads(assistant("list", "--json").stdout)
    assert sorted(m["text"] for m in listed) == [
        "Stored while the disk had room",
        "Stored without the cache",
    ]


def test_an_unexpected_error_is_a_panel_and_its_traceback_goes_to_the_log(
    cli: CliRunner, env: dict[str, str]
) -> None:
    app = build_app()

    @app.command()
    def boom() -> None:
        """A command with a bug in it (as a plugin's might have)."""
        raise RuntimeError("something broke inside")

    result = cli.invoke(app, ["boom"])
    assert result.exit_code == 1 and _clean_exit(result), result.exception
    assert "Unexpected error" in result.stderr and "something broke inside" in result.stderr
    log = Path(env["ASSISTANT_HOME"]) / "logs" / "assistant.log"
    assert "Traceback" in log.read_text() and "RuntimeError" in log.read_text()


def test_help_is_wrapped_by_the_terminal_not_by_docstrings(cli: CliRunner) -> None:
    """Every command's help reads as sentences: a docstring's line breaks never show."""
    listing = cli.invoke(build_app(), ["--help"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    assert "conversation turns where you said the most relevant things" in listing.stdout
    for command in ("search", "forget", "consolidate", "review", "costs", "history", "doctor"):
        shown = cli.invoke(build_app(), [command, "--help"], env={"COLUMNS": "200"})
        assert shown.exit_code == 0, command
        lines = [line.strip() for line in shown.stdout.split("Usage:")[1].splitlines()[1:]]
        start = next(i for i, line in enumerate(lines) if line)
        paragraph = lines[start : lines.index("", start)]
        assert len(paragraph) == 1 and paragraph[0].endswith("."), (command, paragraph)


def test_an_edit_made_in_the_vault_shows_in_the_next_search_list_and_show(
    cli: CliRunner, env: dict[str, str]
) -> None:
    """No watcher runs between commands: a command that reads memories first takes in the
    notes edited since the vault was last synced, by their files' times."""
    anna = run(cli, "remember", "My sister Anna lives in Lyon").stdout.strip()
    tom = run(cli, "remember", "My brother Tom plays the cello").stdout.strip()
    vault = Path(env["ASSISTANT_HOME"]) / "vault"
    notes = {m["id"]: m["path"] for m in json.loads(run(cli, "list", "--json").stdout)}
    path = vault / notes[anna]
    path.write_text(path.read_text().replace("Lyon", "Marseille"))
    hits = json.loads(run(cli, "search", "where does my sister live", "--json").stdout)
    assert hits[0]["id"] == anna and "Marseille" in hits[0]["text"]
    assert "Marseille" in run(cli, "show", anna).stdout
    (vault / notes[tom]).unlink()  # deleted by hand: archived, so it can be restored
    assert [m["id"] for m in json.loads(run(cli, "list", "--json").stdout)] == [anna]
    archived = json.loads(run(cli, "list", "--status", "archived", "--json").stdout)
    assert [m["id"] for m in archived] == [tom]


def test_the_browser_without_a_terminal_says_what_to_use_instead(cli: CliRunner) -> None:
    result = run(cli, "tui")
    assert result.exit_code == 2 and "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr
