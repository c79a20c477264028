"""``assistant serve`` on the 10k-memory home: time from start to ready, the CPU it uses while
idle, and how late a reminder set by another process reaches the terminal that runs it.

python bench/serve_idle.py [RUNS] [IDLE_SECONDS]

Targets: ready <= 2 s at 10k memories; idle CPU < 1 % over a minute; a reminder within 1 s
of its due time. The floor for start-up is a bare ``assistant --version`` (the interpreter and
the CLI's imports).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, seeded_home

BIN = ROOT / ".venv" / "bin" / "assistant"


def ready_after(env: dict[str, str]) -> tuple[subprocess.Popen[str], float]:
    """Start serve; seconds until it says it runs."""
    started = time.monotonic()
    process = subprocess.Popen(
        [str(BIN), "serve"], env=env, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "running" in line:
            return process, time.monotonic() - started
    raise RuntimeError("serve did not start")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reminder_lateness(env: dict[str, str], outbox: Path) -> float:
    """Seconds from a reminder's due time to its arrival in the bridge's outbox."""
    due = time.time() + 2.0
    code = (
        "from assistant import Assistant\nfrom assistant.store.reminders import Reminders\n"
        f"with Assistant.open() as a: Reminders(a.db).add('bench reminder', due={due})"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    while not outbox.exists() or "bench reminder" not in outbox.read_text():
        time.sleep(0.01)
    return time.time() - due


def main(runs: int, idle: float) -> None:
    home = seeded_home(10_000)
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    outbox = work / "outbox.txt"
    site = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            str(site),
            str(ROOT / "tests" / "plugins" / "sample_plugin"),
        ],
        check=True,
    )
    config = home / "config.toml"
    kept = config.read_text() if config.exists() else None
    config.write_text((kept or "") + f'\n[bridges.echo]\nowner = "me"\noutbox = "{outbox}"\n')
    env = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "PYTHONPATH": str(site),
        "ASSISTANT_LOAD_PLUGINS": "sample",
    }
    floor = []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run([str(BIN), "--version"], env=env, check=True, capture_output=True)
        floor.append(time.monotonic() - started)
    readies, cpu, late = [], [], []
    try:
        for run in range(runs):
            process, ready = ready_after(env)
            readies.append(ready)
            if run == 0:
                time.sleep(5)  # let start-up work (catch-up, model warm-up) finish
                before, at = cpu_seconds(process.pid), time.monotonic()
                time.sleep(idle)
                cpu.append((cpu_seconds(process.pid) - before) / (time.monotonic() - at))
                late.append(reminder_lateness(env, outbox))
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    finally:
        if kept is None:
            config.unlink()
        else:
            config.write_text(kept)
    print(
        f"serve start to ready at 10k memories, median of {runs}: "
        f"{statistics.median(readies):.2f} s (target 2 s; floor, `assistant --version`: "
        f"{statistics.median(floor):.2f} s)"
    )
    print(f"idle CPU over {idle:.0f} s: {100 * cpu[0]:.2f} % of one core (target < 1 %)")
    print(
        f"reminder set by another process, due to delivered: {late[0] * 1000:.0f} ms "
        "(target 1 s; the clock looks once a second)"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 3,
        float(sys.argv[2]) if len(sys.argv) > 2 else 60.0,
    )
