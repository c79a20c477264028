"""The shared DuckDB connection: lanes run side by side, the file is released when idle."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from assistant.inbox import LANE, Inbox
from assistant.store.database import Database
from assistant.store.migrations import MIGRATIONS, RECORD_MIGRATIONS


def open_db(tmp_path: Path, linger: float = 0.5) -> Database:
    return Database(
        tmp_path / "index" / "assistant.duckdb",
        MIGRATIONS,
        records=tmp_path / "records" / "records.duckdb",
        record_migrations=RECORD_MIGRATIONS,
        linger=linger,
    )


def test_a_bridge_lane_works_while_the_main_lane_holds_a_transaction(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    inbox = Inbox(db, "sms")
    inside, finish = threading.Event(), threading.Event()

    def long_main_work() -> None:
        with db.transaction() as conn:
            conn.execute("SELECT count(*) FROM inbox").fetchone()
            inside.set()
            finish.wait(30)

    holder = threading.Thread(target=long_main_work)
    holder.start()
    try:
        assert inside.wait(30)
        taken = threading.Thread(target=inbox.accept, args=("SM1", "+15550001", "hello"))
        taken.start()
        taken.join(30)
        assert not taken.is_alive(), "the inbox waited for the main lane"
        assert holder.is_alive() and not finish.is_set(), "the main transaction is still open"
        assert [m.text for m in inbox.pending()] == ["hello"]
        assert inbox.accept("SM1", "+15550001", "hello") is False, "a replay"
    finally:
        finish.set()
        holder.join(30)
    with db.connect() as conn:  # the main lane sees what the bridge lane committed
        assert conn.execute("SELECT text FROM inbox").fetchall() == [("hello",)]
    db.close()


def test_the_file_is_released_after_work_in_any_lane(tmp_path: Path) -> None:
    """Once idle (``linger`` 0: at once), another process can open the file read-write."""
    db = open_db(tmp_path, linger=0)
    with db.connect(LANE) as conn:
        conn.execute("SELECT 1").fetchone()
    with db.connect() as conn:
        conn.execute("SELECT 1").fetchone()
    other = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db.path)!r}).close()"],
        capture_output=True,
        text=True,
    )
    assert other.returncode == 0, other.stderr
    db.close()


def test_close_waits_for_a_lane_in_use_and_work_after_it_reopens(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    inside, finish = threading.Event(), threading.Event()

    def bridge_work() -> None:
        with db.connect(LANE) as conn:
            inside.set()
            finish.wait(30)
            conn.execute("SELECT count(*) FROM outbox").fetchone()

    worker = threading.Thread(target=bridge_work)
    worker.start()
    assert inside.wait(30)
    closing = threading.Thread(target=db.close)
    closing.start()
    closing.join(0.5)
    assert closing.is_alive(), "close waits for the lane's unit of work"
    finish.set()
    worker.join(30)
    closing.join(30)
    assert not closing.is_alive()
    with db.connect(LANE) as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
    db.close()
    duckdb.connect(str(db.path)).close()  # released


def test_a_lingering_file_is_released_by_one_thread_however_many_queries_ran(
    tmp_path: Path,
) -> None:
    db = open_db(tmp_path, linger=0.3)
    before = set(threading.enumerate())
    seen: set[threading.Thread] = set()
    for _ in range(300):
        with db.connect() as conn:
            conn.execute("SELECT 1").fetchone()
        seen |= {t for t in threading.enumerate() if t.name == "duckdb-release"} - before
    assert len(seen) == 1, f"{len(seen)} threads waited to release the file"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # released once idle for the linger
        other = subprocess.run(
            [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db.path)!r}).close()"],
            capture_output=True,
            text=True,
        )
        if other.returncode == 0:
            break
    assert other.returncode == 0, other.stderr
    seen.pop().join(5)
    assert not any(t.name == "duckdb-release" for t in set(threading.enumerate()) - before)
    with db.connect() as conn:  # and work after it opens the file again
        assert conn.execute("SELECT 1").fetchone() == (1,)
    db.close()
