"""The memory browser over 10k memories: first paint (the full list shown) and the time from
the last keystroke of a search to its results on screen. Headless, through Textual's pilot.

python bench/tui_latency.py
"""

from __future__ import annotations

import asyncio
import statistics
import time

from common import queries, seeded_home, summary
from textual.widgets import DataTable, Input

from assistant import Assistant
from assistant_tui.app import MemoryBrowser


async def measure(assistant: Assistant) -> tuple[float, list[float]]:
    started = time.perf_counter()
    app = MemoryBrowser(assistant)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one("#list", DataTable)
        while table.row_count == 0:
            await asyncio.sleep(0.005)
        painted = time.perf_counter() - started
        search = app.query_one("#search", Input)
        millis = []
        for query in queries(30):
            typed = time.perf_counter()
            search.value = query
            while app.sub_title != f"{table.row_count} found" or app._query != query:
                await asyncio.sleep(0.002)
            await pilot.pause()
            millis.append((time.perf_counter() - typed) * 1000)
            search.value = ""
            await app.workers.wait_for_complete()
    return painted, millis


def main() -> None:
    with Assistant.open(seeded_home(10_000)) as assistant:
        paints, all_millis = [], []
        for _ in range(3):
            painted, millis = asyncio.run(measure(assistant))
            paints.append(painted)
            all_millis += millis
    print(f"first paint, 10,000 memories listed: median {statistics.median(paints):.2f} s "
          f"(runs {', '.join(f'{p:.2f}' for p in paints)})")  # fmt: skip
    print(summary("typing stops → results on screen (10,000 memories)", all_millis))


if __name__ == "__main__":
    main()
