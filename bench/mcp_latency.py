"""``assistant mcp``: warm ``search_memories`` round trips over stdio, and how soon the server
answers after it starts.

python bench/mcp_latency.py [SIZE] [RUNS]        e.g. python bench/mcp_latency.py 10000 5

Prints the p95 of a warm tool call at SIZE memories (target <= 50 ms) beside the floor, the
same searches made in process through ``Actions.search``; and the median time from starting
the process to the end of the MCP handshake (target <= 1.5 s) beside the floor, the time
``assistant --version`` takes to start and exit.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio
from common import queries, seeded_home, summary
from mcp import Client, StdioServerParameters, stdio_client
from mcp_types import Implementation

from assistant import Actions, Assistant, Origin

COMMAND = [sys.executable, "-m", "assistant_cli"]


def in_process(home: Path, asked: list[str]) -> list[float]:
    """Milliseconds of each search made through the action layer itself."""
    with Assistant.open(home) as assistant:
        actions = Actions(assistant, origin=Origin("agent", "mcp", "bench"))
        for query in queries(10, seed=1):
            actions.search(query, 10)
        timings = []
        for query in asked:
            started = time.perf_counter()
            actions.search(query, 10)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


async def over_mcp(environ: dict[str, str], asked: list[str]) -> tuple[float, list[float]]:
    """Seconds to a finished handshake, and milliseconds of each warm search call."""
    params = StdioServerParameters(command=COMMAND[0], args=[*COMMAND[1:], "mcp"], env=environ)
    info = Implementation(name="bench", version="1")
    with open(os.devnull, "w") as quiet:
        started = time.perf_counter()
        async with Client(stdio_client(params, errlog=quiet), client_info=info) as client:
            ready = time.perf_counter() - started
            for query in queries(10, seed=1):
                await client.call_tool("search_memories", {"query": query, "k": 10})
            timings = []
            for query in asked:
                begun = time.perf_counter()
                result = await client.call_tool("search_memories", {"query": query, "k": 10})
                timings.append((time.perf_counter() - begun) * 1000)
                assert not result.is_error, result.content
    return ready, timings


def version_seconds(environ: dict[str, str]) -> float:
    """Seconds for ``assistant --version`` to start and exit."""
    started = time.perf_counter()
    subprocess.run([*COMMAND, "--version"], env=environ, check=True, capture_output=True)
    return time.perf_counter() - started


def main(size: int, runs: int) -> None:
    home = seeded_home(size)
    environ = {**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_LOAD_PLUGINS": ""}
    asked = queries(200)
    print(summary(f"Actions.search in process, {size:,} memories", in_process(home, asked)))
    ready, calls = [], []
    for _ in range(runs):
        seconds, timings = anyio.run(over_mcp, environ, asked)
        ready.append(seconds)
        calls.extend(timings)
    print(summary(f"search_memories over stdio, {size:,} memories", calls))
    floor = statistics.median(version_seconds(environ) for _ in range(runs))
    print(
        f"mcp server ready (handshake done): median {statistics.median(ready):.2f} s, "
        f"max {max(ready):.2f} s (n={runs}); assistant --version: median {floor:.2f} s"
    )


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 10_000, arguments[1] if len(arguments) > 1 else 5)
