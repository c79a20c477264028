"""Wall and CPU time of short ``assistant`` commands, each beside the floor it is held to.

python bench/cli_speed.py [RUNS] [--against CHECKOUT] [--home HOME]

With ``--against``, each command also runs from another checkout's ``assistant/`` and
``cli/`` (put first on PYTHONPATH), the two alternating run by run: a before/after pair
measured in the same minute on a busy machine.

Every command is a new process; the figures are medians over RUNS (default 7) after one
unmeasured run that warms the OS file cache. The targets (issue 22): ``--help`` and
``--version`` ≤ 0.3 s; commands that do not touch the indexes (``models``, ``costs``,
``history``) ≤ 0.5 s; cold ``search`` and ``remember`` on a 10k home ≤ 1.0 s, and ≤ 0.15 s
answered by a running ``serve``. Each search and remember uses new words: the home keeps an
embedding cache that would otherwise answer for the model. CPU time (user + system, children
included) is printed too: on a loaded machine it moves less than the wall time. ``--home``
measures a copy of another home instead of the seeded 10k one (e.g. the 100k memories plus
100k turns that ``bench/search_with_turns.py 100000 100000`` builds).
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import seeded_home

PYTHON = sys.executable
ASSISTANT = shutil.which("assistant", path=str(Path(PYTHON).parent)) or "assistant"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode:
        sys.exit(f"{' '.join(argv)} failed:\n{done.stderr.decode(errors='replace')[-2000:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(make: Callable[[int], list[str]], envs: list[dict[str, str]], runs: int) -> list[str]:
    """``median wall (median cpu)`` over ``runs`` runs of ``make(n)`` in each of ``envs``,
    after one warm-up each; the environments take turns."""
    for env in envs:
        timed(make(0), env)
    times: list[list[tuple[float, float]]] = [[] for _ in envs]
    for n in range(runs):
        for column, env in enumerate(envs):
            times[column].append(timed(make(n + 1), env))
    return [
        f"{statistics.median(w for w, _ in t):5.2f} s wall "
        f"({statistics.median(c for _, c in t):.2f} s cpu)"
        for t in times
    ]


def words(n: int) -> str:
    """Words no earlier run used (so no cache answers for the embedding model)."""
    rng = random.Random()
    return f"where does my sister live {rng.randrange(10**6)} {n}"


def main(runs: int, against: Path | None, home: Path | None = None) -> None:
    home = home or seeded_home(10_000)
    scratch = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    try:
        envs = []
        for n, checkout in enumerate([None, against] if against else [None]):
            copy = scratch / f"home-{n}"
            shutil.copytree(home, copy, ignore=shutil.ignore_patterns("serve.lock", "*.sock"))
            env = {**os.environ, "ASSISTANT_HOME": str(copy)}
            if checkout is not None:
                env["PYTHONPATH"] = f"{checkout}{os.pathsep}{checkout / 'cli'}"
            envs.append(env)
        rows: list[tuple[str, Callable[[int], list[str]], str]] = [
            ("floor: python -c pass", lambda n: [PYTHON, "-c", "pass"], ""),
            ("floor: python -c 'import typer'", lambda n: [PYTHON, "-c", "import typer"], ""),
            (
                "floor: import typer + rich help",
                lambda n: [PYTHON, "-c", "import typer, typer.rich_utils"],
                "",
            ),
            ("assistant --help", lambda n: [ASSISTANT, "--help"], "≤ 0.30"),
            ("assistant --version", lambda n: [ASSISTANT, "--version"], "≤ 0.30"),
            ("assistant models", lambda n: [ASSISTANT, "models"], "≤ 0.50"),
            ("assistant costs", lambda n: [ASSISTANT, "costs"], "≤ 0.50"),
            ("assistant history", lambda n: [ASSISTANT, "history"], "≤ 0.50"),
            (
                "assistant search (cold)",
                lambda n: [ASSISTANT, "search", words(n), "--json"],
                "≤ 1.00",
            ),
            (
                "assistant remember (cold)",
                lambda n: [ASSISTANT, "remember", f"My neighbour Ola waters plants {words(n)}"],
                "≤ 1.00",
            ),
        ]
        print(f"median of {runs} runs each, home {home.name}, {time.strftime('%H:%M')}")
        if against:
            print(f"  {'':<34} {'this checkout':<26} {against}")
        for label, make, target in rows:
            figures = measure(make, envs if not label.startswith("floor") else envs[:1], runs)
            print(f"  {label:<34} {'   '.join(figures)}  {target}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=7)
    parser.add_argument("--against", type=Path)
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    main(args.runs, args.against.resolve() if args.against else None, args.home)
