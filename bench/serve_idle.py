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

sys.path.insert(0, str(ROOT))

from tests.plugins.sample import install_sample  # noqa: E402

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


def settle(pid: int, most: float = 60.0) -> None:
    """Wait until the process uses under 5 % of a core over two seconds (at most ``most``)."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(2.0)
        if cpu_seconds(pid) - before < 0.1:
            return


def reminder_lateness(env: dict[str, str], outbox: Path, text: str) -> float:
    """Seconds from a reminder's due time to its arrival in the bridge's outbox. Another
    process sets it, due two seconds after it is written (the writer's own start-up is not
    counted)."""
    code = (
        "import time\nfrom assistant import Assistant\n"
        "from assistant.store.reminders import Reminders\n"
        "with Assistant.open() as a:\n"
        "    due = time.time() + 2.0\n"
        f"    Reminders(a.db).add({text!r}, due=due)\n"
        "print(due)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    due = float(done.stdout.strip().splitlines()[-1])
    while not outbox.exists() or text not in outbox.read_text():
        time.sleep(0.01)
    return time.time() - due


def main(runs: int, idle: float) -> None:
    home = seeded_home(10_000)
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    outbox = work / "outbox.txt"
    site = install_sample(work / "site")
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
                settle(process.pid)  # start-up work (catch-up, warm-up) runs after ready
                before, at = cpu_seconds(process.pid), time.monotonic()
                time.sleep(idle)
                cpu.append((cpu_seconds(process.pid) - before) / (time.monotonic() - at))
                late += [reminder_lateness(env, outbox, f"bench reminder {n}") for n in range(3)]
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
        f"reminder set by another process, due to delivered, median of {len(late)}: "
        f"{statistics.median(late) * 1000:.0f} ms "
        "(target 1 s; the clock sees another process's write within a second)"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 3,
        float(sys.argv[2]) if len(sys.argv) > 2 else 60.0,
    )
