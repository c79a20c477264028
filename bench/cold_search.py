"""Wall time of a cold ``assistant search`` process on a 10k-memory home.

python bench/cold_search.py [RUNS]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import seeded_home


def main(runs: int) -> None:
    home = seeded_home(10_000)
    exe = shutil.which("assistant", path=str(Path(sys.executable).parent)) or "assistant"
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    walls = []
    for n in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(
            [exe, "search", f"where does my sister live {n}", "--json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if n:  # the first run warms the OS file cache
            walls.append(time.perf_counter() - started)
    print(
        f"cold `assistant search`, 10,000 memories: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f}, n={len(walls)})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
