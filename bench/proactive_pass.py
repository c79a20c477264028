"""One proactive pass (should the assistant write first now?) over a home of SIZE memories
with a conversation log of 5,000 turns. Target: <= 200 ms at 10k memories; it runs every few
minutes on its own thread, never on the reply path.

The floor is what every pass must read however it decides: the newest memories (where the
dated occasions are) and the user's messages of the last weeks.

python bench/proactive_pass.py [SIZES...]      e.g. python bench/proactive_pass.py 1000
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from common import seeded_home, summary

from assistant import Assistant
from assistant.companion.proactive import HISTORY_DAYS, RECENT_MEMORIES, ProactiveManager
from assistant.store.checkins import CheckIns
from assistant.store.conversations import Turn


def main(sizes: list[int]) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            home = Path(scratch) / "home"
            shutil.copytree(seeded_home(size), home)
            with Assistant.open(home) as assistant:
                morning = datetime.now().replace(hour=10, minute=30, second=0, microsecond=0)
                _log_turns(assistant, morning.timestamp())
                manager = ProactiveManager(assistant, clock=morning.timestamp)
                store = CheckIns(assistant.db)
                since = morning.timestamp() - HISTORY_DAYS * 86400
                for _ in range(5):  # warm-up: snapshot, connection
                    manager.look()
                floor, passes = [], []
                for _ in range(100):
                    started = time.perf_counter()
                    assistant.memories.list(limit=RECENT_MEMORIES)
                    store.user_messages(since)
                    floor.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    manager.look()
                    passes.append((time.perf_counter() - started) * 1000)
        print(summary(f"proactive pass, {size:,} memories", passes), flush=True)
        print(summary("floor: reading the newest memories and the messages", floor), flush=True)


def _log_turns(assistant: Assistant, now: float) -> None:
    """5,000 turns over the last 60 days, a conversation most mornings and evenings."""
    turns = []
    for n in range(2500):
        at = now - timedelta(days=60).total_seconds() + n * 2070.0
        turns.append(Turn(f"S{n // 20}", "user", f"message {n}", at=at))
        turns.append(Turn(f"S{n // 20}", "assistant", f"answer {n}", at=at + 5))
    assistant.conversations.append(turns)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
