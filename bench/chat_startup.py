"""Time from starting ``assistant chat`` to its prompt, and to the first answer, in a terminal.

python bench/chat_startup.py [RUNS] [HOME]

Each run is a new process on the 10k-memory home, or on HOME (e.g. the 100k one); models
load in the background, so the prompt appears before they are ready; the first answer waits
for them.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import pexpect
from common import ROOT, seeded_home

BIN = ROOT / ".venv" / "bin" / "assistant"


def main(runs: int, home: Path | None = None) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(home or seeded_home(10_000))}
    to_prompt, to_answer = [], []
    for _ in range(runs):
        started = time.monotonic()
        child = pexpect.spawn(str(BIN), ["chat"], env=env, encoding="utf-8", timeout=60)
        child.expect("you› ")
        to_prompt.append(time.monotonic() - started)
        child.sendline("/search sister")
        child.expect("you› ")
        to_answer.append(time.monotonic() - started)
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
    print(
        f"chat time to prompt: median {statistics.median(to_prompt):.2f} s, "
        f"max {max(to_prompt):.2f} s (n={runs})"
    )
    print(
        f"chat time to first answer (/search): median {statistics.median(to_answer):.2f} s, "
        f"max {max(to_answer):.2f} s (n={runs})"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 5,
        Path(sys.argv[2]) if len(sys.argv) > 2 else None,
    )
