"""Several processes on one home: no lock failure, no lost write."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant import Assistant

WRITER = textwrap.dedent(
    """
    import sys
    from assistant import Assistant
    tag = sys.argv[1]
    with Assistant.open() as a:
        for i in range(int(sys.argv[2])):
            a.memories.add(f"writer {tag} fact number {i} about topic {i * 7 % 13}", tags=[tag])
            if i % 5 == 0:
                a.memories.search(f"topic {i}", k=3)
    """
)


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(settings, minilm) -> None:  # type: ignore[no-untyped-def]
    count = 25
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, tag, str(count)],
            env=os.environ.copy(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    with Assistant(settings, embedder=minilm) as a:
        memories = a.memories.list()
        assert len(memories) == 2 * count
        assert len(a.memories.list(tags=["a"])) == count
        assert len(list(a.layout.note_files())) == 2 * count
        assert len(a.memories.index.all()) == 2 * count
        assert a.vectors.count() == 2 * count
        hit = a.memories.search("writer b fact number 17", k=1)[0]
        assert hit.memory.text.startswith("writer b fact number 17 ")


@pytest.mark.slow
def test_cli_writes_while_another_process_keeps_the_assistant_open(settings, minilm) -> None:  # type: ignore[no-untyped-def]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
            import sys, time
            from assistant import Assistant
            with Assistant.open() as a:
                a.memories.add("held open by a long-running chat")
                print("ready", flush=True)
                for i in range(40):
                    a.memories.search("chat", k=1)
                    time.sleep(0.1)
            """
            ),
        ],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    cli = [
        sys.executable,
        "-m",
        "assistant_cli",
        "remember",
        "written from a second terminal",
        "--json",
    ]
    started = time.monotonic()
    result = subprocess.run(cli, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["text"] == "written from a second terminal"
    search = subprocess.run(
        [sys.executable, "-m", "assistant_cli", "search", "second terminal", "--json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)[0]["text"] == "written from a second terminal"
    assert time.monotonic() - started < 60
    holder.communicate(timeout=60)
    assert holder.returncode == 0
    with Assistant(settings, embedder=minilm) as a:
        assert len(a.memories.list()) == 2
    assert Path(settings.home).is_dir()


def test_index_held_too_long_is_a_clear_busy_error(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from assistant import paths
    from assistant.errors import StoreBusyError
    from assistant.models.fakes import HashEmbedder

    db_file = paths.duckdb_file(settings.home)
    db_file.parent.mkdir(parents=True)
    hold = (
        f"import duckdb, sys; c = duckdb.connect({str(db_file)!r}); print('held', flush=True); "
        "sys.stdin.readline()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    try:
        impatient = replace(settings, lock_timeout=0.3)
        busy = Assistant(impatient, embedder=HashEmbedder())
        with pytest.raises(StoreBusyError, match="held by process"), busy:
            busy.memories.add("cannot be indexed while another process holds the file")
        notes = busy.layout
        assert list(notes.note_files()) == []  # failed before writing anything
    finally:
        holder.communicate(input="\n", timeout=30)
    with Assistant(settings, embedder=HashEmbedder()) as a:  # released: works again
        assert a.memories.add("now it works").id


def test_usage_stats_reach_other_processes(settings, minilm) -> None:  # type: ignore[no-untyped-def]
    with Assistant(settings, embedder=minilm) as a:
        memory = a.memories.add("I keep my passport in the top drawer")
        for _ in range(2):
            a.memories.search("where is my passport", k=1, touch=True)
    code = (
        "import sys; from assistant import Assistant\n"
        "with Assistant.open() as a: print(a.memories.usage(sys.argv[1]).access_count)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, memory.id],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
    )
    assert result.stdout.strip() == "2"
