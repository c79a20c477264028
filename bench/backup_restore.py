"""Backup of a home, and restore with reindex, against floors: tar.gz of the same bytes, and
the embedding model alone on the same texts. Targets at 10k memories: backup ≤ 10 s,
restore with reindex ≤ 60 s.

python bench/backup_restore.py [COUNT]
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import seeded_home, synthetic_texts

from assistant import Assistant
from assistant.backup.create import create_backup
from assistant.backup.restore import restore_backup
from assistant.records import open_database
from assistant.settings import read_settings
from assistant.store.conversations import Turn


def _with_records(home: Path, count: int) -> None:
    """Conversation turns alongside the memories (two for every five memories)."""
    with Assistant.open(home) as assistant:
        texts = synthetic_texts(count // 5, seed=11)
        turns = [
            Turn(f"s{n // 20}", role, text, at=1_700_000_000 + n)
            for n, text in enumerate(texts)
            for role in ("user", "assistant")
        ]
        assistant.conversations.append(turns)


def _tar_floor(home: Path) -> float:
    started = time.perf_counter()
    with tarfile.open(fileobj=io.BytesIO(), mode="w:gz", compresslevel=6) as tar:
        tar.add(home / "vault", "vault")
        tar.add(home / "records", "records")
    return time.perf_counter() - started


def main(count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        home = work / "home"
        shutil.copytree(seeded_home(count), home, ignore=shutil.ignore_patterns("index", "cache"))
        _with_records(home, count)
        env = {**os.environ, "ASSISTANT_HOME": str(home)}
        settings = read_settings({}, env)
        db = open_database(settings)
        try:
            when = datetime(2026, 1, 1, tzinfo=UTC)
            plain = create_backup(settings, db, environ={}, target=work / "b", now=when)
            sealed = create_backup(
                settings, db, environ={}, target=work / "sealed", passphrase="bench", now=when
            )
        finally:
            db.close()
        floor = _tar_floor(home)
        with Assistant.open(home) as assistant:
            model = assistant.memories.embedder.inner  # type: ignore[attr-defined]
            model.embed(["warm up"])
            with assistant.db.connect() as conn:  # reindex embeds the turns too
                turns = [row[0] for row in conn.execute("SELECT text FROM turns").fetchall()]
            texts = synthetic_texts(count) + turns
            started = time.perf_counter()
            model.embed([t + " again" for t in texts])
            embed_floor = time.perf_counter() - started
        target = work / "restored"
        report = restore_backup(plain.path, {"home": str(target)}, os.environ, lambda: "")
        mib = plain.size / 2**20
        print(
            f"backup of {count:,} memories, {plain.manifest.counts.turns:,} turns: "
            f"{plain.seconds:.2f} s ({mib:.1f} MiB), encrypted {sealed.seconds:.2f} s "
            f"(scrypt included); floor, tar.gz of the same bytes: {floor:.2f} s; target ≤ 10 s"
        )
        checked = "verified" if report.ok else "; ".join(report.problems)
        print(
            f"restore with reindex: {report.seconds:.1f} s, {checked}; floor, the embedding "
            f"model alone on as many texts: {embed_floor:.1f} s; target ≤ 60 s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
