"""What the bridge benchmarks share: a home answering with a model that replies at once, the
terminal answer they are compared with, and the overhead lines they print."""

from __future__ import annotations

import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
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


def terminal_answer(responder: Responder, text: str) -> float:
    """Milliseconds for one answer given to a terminal: the floor."""
    started = time.perf_counter()
    for event in responder.respond(InboundMessage(text, "cli", "me")):
        if isinstance(event, Reply):
            break
    return (time.perf_counter() - started) * 1000


def paired(
    responder: Responder, count: int, bridge: Callable[[int], float]
) -> tuple[list[float], list[float]]:
    """``bridge(i)`` for each of ``count`` messages, each beside a terminal answer to the same
    message, the two in a random order (drift in the machine's load falls on both alike):
    the bridge's milliseconds and the terminal's, message by message."""
    order = random.Random(11)
    answered: list[float] = []
    terminal: list[float] = []
    for i in range(count):
        text = MESSAGES[i % len(MESSAGES)]
        first = order.random() < 0.5
        if first:
            terminal.append(terminal_answer(responder, text))
        answered.append(bridge(i))
        if not first:
            terminal.append(terminal_answer(responder, text))
    return answered, terminal


def overhead_lines(answered: list[float], terminal: list[float]) -> list[str]:
    """The bridge's overhead over the terminal answer: at p50 and p95 of each message's own
    difference (the two answers to one message, side by side), and the difference of the
    two distributions' percentiles."""
    each = [a - t for a, t in zip(answered, terminal, strict=True)]
    lines = [
        f"bridge overhead, each message against its terminal answer, p{q}: "
        f"{percentile(each, q):.1f} ms (target p95 <= 50 ms)"
        for q in (50, 95)
    ]
    lines += [
        f"difference of the p{q}s (bridge minus terminal): "
        f"{percentile(answered, q) - percentile(terminal, q):.1f} ms"
        for q in (50, 95)
    ]
    return lines
