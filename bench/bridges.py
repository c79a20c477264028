"""What the bridge benchmarks share: a home answering with a model that replies at once, the
terminal answer they are compared with, and the overhead lines they print."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, percentile

sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.conversation.reply import InboundMessage, Reply  # noqa: E402
from assistant.conversation.responder import Responder  # noqa: E402
from assistant.models.fakes import EchoModel  # noqa: E402
from assistant.models.registry import ModelRegistry  # noqa: E402
from assistant.models.settings import BudgetSettings, PolicySettings  # noqa: E402
from assistant.settings import read_settings  # noqa: E402

MESSAGES = [
    "what did I say about the climbing trip?",
    "remind me what my sister does for work",
    "any idea where I left the bike lock",
    "how was the week, in short?",
    "what's on for saturday",
]


def open_home(config: str) -> tuple[Assistant, Responder]:
    """A fresh home with ``config`` as its config.toml, answering with an echo model, warm."""
    logging.disable(logging.WARNING)  # the echo model's answers are no extraction JSON
    home = Path(tempfile.mkdtemp(prefix="bench-bridge-")) / "home"
    home.mkdir(parents=True)
    (home / "config.toml").write_text(config)
    os.environ["ASSISTANT_HOME"] = str(home)
    assistant = Assistant(read_settings({}, os.environ))
    registry = ModelRegistry([EchoModel()], PolicySettings(), BudgetSettings())
    responder = Responder(assistant, registry)
    for text in MESSAGES:  # warm: the embedder, the router, the first DuckDB writes
        list(responder.respond(InboundMessage(text, "cli", "owner")))
    return assistant, responder


def terminal_answers(responder: Responder, count: int) -> list[float]:
    """Milliseconds for each of ``count`` answers given to a terminal: the floor."""
    took = []
    for i in range(count):
        started = time.perf_counter()
        for event in responder.respond(InboundMessage(MESSAGES[i % len(MESSAGES)], "cli", "me")):
            if isinstance(event, Reply):
                break
        took.append((time.perf_counter() - started) * 1000)
    return took


def overhead_lines(answered: list[float], terminal: list[float]) -> list[str]:
    """The bridge's overhead over the terminal answer at p50 and p95."""
    return [
        f"bridge overhead over a terminal answer, p{q}: "
        f"{percentile(answered, q) - percentile(terminal, q):.1f} ms (target p95 <= 50 ms)"
        for q in (50, 95)
    ]
