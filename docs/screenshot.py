"""Render docs/screenshot.svg from a real session in a throwaway home.

.venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from assistant import Assistant
from assistant_cli import render

FACTS = [
    ("My sister Anna lives in Lyon and teaches piano.", ["family"], False),
    ("I'm allergic to peanuts.", ["health"], True),
    ("Dentist appointment on March 3 at 9:30.", ["health"], False),
    ("Anna's birthday is on June 12.", ["family"], False),
    ("I go climbing at the gym every Saturday morning.", ["sport"], False),
]


def main() -> None:
    console = Console(record=True, width=104, force_terminal=True, color_system="truecolor")
    render.out = console
    with tempfile.TemporaryDirectory() as home, Assistant.open(home) as assistant:
        for text, tags, important in FACTS:
            assistant.memories.add(text, tags=tags, important=important,
                                   importance=8 if important else 5)  # fmt: skip
        console.print('[bold green]$[/] assistant search "when should I call my sister?" --explain')
        render.hits(assistant.memories.search("when should I call my sister?", k=3), explain=True)
    target = Path(__file__).with_name("screenshot.svg")
    console.save_svg(str(target), title="assistant")
    print(target)


if __name__ == "__main__":
    main()
