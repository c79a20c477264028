"""Backups while another process writes, a full disk during a backup, and a restore killed
half-way: old backups stay intact, and running the restore again finishes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from assistant import Assistant
from assistant.backup.create import create_backup
from assistant.backup.restore import STAGING, restore_backup
from assistant.models.fakes import HashEmbedder
from assistant.records import open_database
from assistant.settings import Settings
from tests.backup.conftest import WHEN, restore_env

REPO = Path(__file__).resolve().parents[2]


def _python(
    script: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env={**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


WRITER = """
    import os
    from assistant import Assistant
    from assistant.models.fakes import HashEmbedder
    from assistant.settings import read_settings
    from assistant.store.conversations import Turn
    settings = read_settings({{}}, os.environ)
    with Assistant(settings, embedder=HashEmbedder()) as assistant:
        print("ready", flush=True)
        n = 0
        while n < 400 and not os.path.exists({stop!r}):
            at = 1_700_000_000 + n
            assistant.conversations.append(
                [Turn("live", "user", f"question {{n}}", at=at),
                 Turn("live", "assistant", f"answer {{n}}", at=at + 0.5)]
            )
            if n % 10 == 0:
                assistant.memories.add(f"Live fact number {{n}} about the garden.")
            n += 1
"""


def test_a_backup_taken_while_another_process_writes_is_consistent(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    filled.close()
    stop = tmp_path / "stop"
    env = {"ASSISTANT_HOME": str(home_settings.home), "ASSISTANT_LOCK_LINGER": "0"}
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(WRITER.format(stop=str(stop)))],
        env={**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])},
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        db = open_database(home_settings)
        try:
            results = [
                create_backup(home_settings, db, environ={}, target=tmp_path / "b", now=when)
                for when in (WHEN, WHEN + timedelta(days=1))  # kept both by retention
            ]
        finally:
            db.close()
    finally:
        stop.touch()
        writer.wait(timeout=60)
        writer.stdout.close()
    assert writer.returncode == 0
    for number, result in enumerate(results):
        counts = result.manifest.counts
        assert counts.turns % 2 == 0  # a question and its answer, never one without the other
        home = tmp_path / f"restored-{number}"
        report = restore_backup(
            result.path, {}, restore_env(home), lambda: "", embedder=HashEmbedder()
        )
        assert report.ok, report.problems
        assert report.counts == counts


FULL_DISK = """
    import os, resource, signal, sys
    from pathlib import Path
    from assistant.backup.create import create_backup
    from assistant.records import open_database
    from assistant.errors import StorageFullError
    from assistant.settings import read_settings
    settings = read_settings({{}}, os.environ)
    db = open_database(settings)
    with db.connect():
        pass  # open (and migrate) the home before the limit
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    try:
        create_backup(settings, db, environ={{}}, target=Path({target!r}))
    except StorageFullError as exc:
        print("full:", exc)
        sys.exit(3)
"""


def test_a_full_disk_during_a_backup_leaves_old_backups_intact(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "backups"
    old = create_backup(home_settings, filled.db, environ={}, target=target, now=WHEN)
    before = old.path.read_bytes()
    attachment = home_settings.vault / "Attachments" / "scan.bin"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(os.urandom(3 * 2**20))  # incompressible: the archive outgrows the limit
    filled.close()

    done = _python(
        FULL_DISK.format(limit=2 * 2**20, target=str(target)),
        {"ASSISTANT_HOME": str(home_settings.home)},
    )

    assert done.returncode == 3, done.stderr
    assert "disk is full" in done.stdout
    assert sorted(p.name for p in target.iterdir()) == [old.path.name]
    assert old.path.read_bytes() == before


RESTORE_KILLED = """
    import os, signal, sys
    from pathlib import Path
    from assistant.backup.restore import restore_backup
    from assistant.models.fakes import HashEmbedder

    def step(name):
        if name == {at!r}:
            os.kill(os.getpid(), signal.SIGKILL)

    restore_backup(
        Path({archive!r}), {{}}, os.environ, lambda: "", embedder=HashEmbedder(), on_step=step
    )
"""


def test_a_restore_killed_half_way_finishes_when_run_again(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    for at in ("extract", "move records", "index"):
        home = tmp_path / f"killed-at-{at.replace(' ', '-')}"
        env = restore_env(home)
        killed = _python(RESTORE_KILLED.format(at=at, archive=str(result.path)), env)
        assert killed.returncode == -signal.SIGKILL

        report = restore_backup(result.path, {}, env, lambda: "", embedder=HashEmbedder())

        assert report.ok, (at, report.problems)
        assert report.counts == result.manifest.counts
        assert not (home / STAGING).exists()


def test_a_restore_cut_short_after_extracting_is_not_finished_from_another_archive(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    first = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    later = WHEN + timedelta(days=1)
    second = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=later)
    home = tmp_path / "restored"
    env = restore_env(home)
    _python(RESTORE_KILLED.format(at="move records", archive=str(first.path)), env)

    try:
        restore_backup(second.path, {}, env, lambda: "", embedder=HashEmbedder())
    except Exception as exc:
        assert "interrupted restore" in str(exc)
    else:
        raise AssertionError("a restore of another archive went on over an unfinished one")
    assert json.loads((home / STAGING / "source.json").read_text())["archive"] == str(first.path)
