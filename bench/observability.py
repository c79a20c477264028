"""What observability costs: the instrumentation added to each reply (metrics counted, the
``reply`` and ``model_call`` events written as JSON lines), with it on and off, and how fast
``/metrics`` answers (the counts read from the index and records at every scrape, uncached).

Each message is answered twice over one responder, on and off in a random order, so drift
in the machine's load and the mix of messages fall on both alike; the added cost is also timed
on its own (the listeners and the log handler alone), since a fraction of a millisecond is
below the noise of a whole reply.

python bench/observability.py [SIZE]
"""

from __future__ import annotations

import logging
import os
import random
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from common import ROOT, percentile, seeded_home, summary

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Reply
from assistant.conversation.responder import Responder
from assistant.conversation.router import load_examples
from assistant.conversation.turns import FinishedTurn
from assistant.errors import ModelError
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.observability.logs import BackgroundHandler, JsonFormatter
from assistant.observability.metrics import Metrics
from assistant.service import Service
from assistant.store.ledger import CostEntry


class Switch:
    """The instrumentation, on or off: the metrics' listeners and the JSON log file."""

    def __init__(self, metrics: Metrics, folder: Path) -> None:
        self.on = False
        self.metrics = metrics
        file = logging.FileHandler(folder / "assistant.log", encoding="utf-8")
        file.setFormatter(JsonFormatter())
        self.handler = BackgroundHandler(file)  # as the command line attaches it
        logging.getLogger().addHandler(self.handler)

    def set(self, on: bool) -> None:
        self.on = on
        logging.getLogger().setLevel(logging.INFO if on else logging.WARNING)

    def close(self) -> None:
        self.set(False)
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()

    def on_turn(self, turn: FinishedTurn) -> None:
        if self.on:
            self.metrics.on_turn(turn)

    def on_call(self, entry: CostEntry, error: ModelError | None) -> None:
        if self.on:
            self.metrics.on_call(entry, error)


def replies(size: int) -> None:
    messages = [t for _, t in load_examples(ROOT / "tests" / "fixtures" / "router_heldout.tsv")]
    random.Random(5).shuffle(messages)
    nonce = uuid.uuid4().hex[:6]
    models = [EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0))]
    with tempfile.TemporaryDirectory() as folder, Assistant.open(seeded_home(size)) as assistant:
        responder = Responder(assistant, ModelRegistry(models, PolicySettings(), BudgetSettings()))
        responder.warm_up()
        switch = Switch(Metrics(), Path(folder))
        responder.listeners.add(switch.on_turn)
        responder.spending.listen(switch.on_call)
        timings: dict[bool, list[float]] = {True: [], False: []}
        paired: list[float] = []
        order = random.Random(7)
        for n, text in enumerate(messages[:120]):
            # Each message is answered twice, on and off in a random order, so the two arms
            # hear the same messages (a message's route alone moves a reply by milliseconds).
            took = {}
            for on in order.sample([True, False], 2):
                responder.flush()
                responder.learned(wait=30)
                switch.set(on)
                started = time.perf_counter()
                said = f"{text} {nonce}{n}{'a' if on else 'b'}"
                for event in responder.respond(InboundMessage(said)):
                    if isinstance(event, Reply):
                        ended = time.perf_counter()
                took[on] = (ended - started) * 1000
            if n >= 10:  # the first ones warm the caches
                for on, millis in took.items():
                    timings[on].append(millis)
                paired.append(took[True] - took[False])
        switch.close()
        responder.close()
    print(summary(f"reply with instrumentation on, {size:,} memories", timings[True]))
    print(summary(f"reply with instrumentation off, {size:,} memories", timings[False]))
    added = percentile(timings[True], 95) - percentile(timings[False], 95)
    print(f"p95 difference (noise included): {added:+.2f} ms")
    print(
        f"median of the paired differences (same message, on minus off): "
        f"{percentile(paired, 50):+.2f} ms (target: at most +0.5 ms)"
    )


def instrumentation_alone() -> None:
    """The listeners and the log lines of one reply with one model call, timed alone."""
    metrics = Metrics()
    log = logging.getLogger("assistant.conversation.pipeline")
    with tempfile.TemporaryDirectory() as folder:
        switch = Switch(metrics, Path(folder))
        switch.set(True)
        turn = FinishedTurn(
            InboundMessage("where does my sister live?", "sms", "+15550001111"),
            "where does my sister live?",
            "01JSESSION",
            "In Lyon.",
            "simple",
            "cheap",
            ("01JA", "01JB"),
            seconds=0.4,
            retrieval_seconds=0.02,
        )
        entry = CostEntry("cheap", "fake", "simple", 420, 12, 0.0005, 0.002, 380.0)
        millis = []
        for _ in range(2000):
            started = time.perf_counter()
            metrics.on_call(entry, None)
            log.info("cheap answered (simple)", extra={"event": "model_call", "model": "cheap"})
            metrics.on_turn(turn)
            log.info(
                "answered a message on %s (%s)",
                "sms",
                "simple",
                extra={"event": "reply", "session": "01JSESSION", "duration_ms": 400.0},
            )
            millis.append((time.perf_counter() - started) * 1000)
        switch.close()
    print(summary("instrumentation alone, per reply (2 log lines, 2 listeners)", millis))


def scrapes(size: int) -> None:
    """``/metrics`` of a serve on the seeded home, its counts read afresh each time."""
    os.environ["ASSISTANT_OBSERVABILITY_PORT"] = "0"  # any free port
    with Assistant.open(seeded_home(size)) as assistant:
        registry = ModelRegistry([EchoModel()], PolicySettings(), BudgetSettings())
        responder = Responder(assistant, registry)
        service = Service(responder)
        service.endpoints.figures_max_age = 0.0
        stop = threading.Event()
        runner = threading.Thread(target=service.run, args=(stop,), daemon=True)
        runner.start()
        service.ready.wait(60)
        url = f"http://{service.http}/metrics"
        millis = []
        for n in range(60):
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=10) as answer:
                size_bytes = len(answer.read())
            if n >= 10:
                millis.append((time.perf_counter() - started) * 1000)
        stop.set()
        runner.join(30)
        responder.close()
    print(summary(f"GET /metrics, {size:,} memories ({size_bytes:,} bytes)", millis))


def main(size: int) -> None:
    instrumentation_alone()
    replies(size)
    scrapes(size)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
