"""The routing saving: what a scripted mix of 100 messages from the router set cost through the
policy, against the same traffic sent to the strong model (read back from the cost ledger).

python bench/routing_saving.py

Fake models stand in for the providers, priced like Claude Haiku 4.5 ($1/$5 per million
tokens), Claude Sonnet 4.6 ($3/$15) and a free local model. Each answers with a length typical
of its route (simple 40 words, tool 80, complex 350), so output tokens weigh as they would.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import uuid
from pathlib import Path

from common import ROOT

from assistant import Assistant
from assistant.conversation.reply import InboundMessage
from assistant.conversation.responder import Responder
from assistant.conversation.router import load_examples
from assistant.models.chat import ChatModel, ModelInfo
from assistant.models.fakes import EchoModel
from assistant.models.minilm import MiniLMEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings

LENGTH = {"simple": 40, "tool": 80, "complex": 350}


def mix(total: int, shares: dict[str, float], seed: int = 5) -> list[tuple[str, str]]:
    """``total`` held-out messages in the given route shares."""
    rng = random.Random(seed)
    examples = load_examples(ROOT / "tests" / "fixtures" / "router_heldout.tsv")
    picked: list[tuple[str, str]] = []
    for route, share in shares.items():
        pool = [e for e in examples if e[0] == route]
        picked += rng.sample(pool, round(total * share))
    rng.shuffle(picked)
    return picked


def run(
    messages: list[tuple[str, str]],
    with_local: bool,
    embedder: MiniLMEmbedder,
    policy: PolicySettings | None = None,
) -> str:
    models: list[ChatModel] = [
        EchoModel(ModelInfo("haiku", "fake", "h", "cheap", 1.0, 5.0)),
        EchoModel(ModelInfo("sonnet", "fake", "s", "strong", 3.0, 15.0)),
    ]
    if with_local:
        models.insert(0, EchoModel(ModelInfo("local", "fake", "l", "local", tools=False)))
    home = Path(tempfile.mkdtemp(prefix="saving-"))
    nonce = uuid.uuid4().hex[:4]
    try:
        with Assistant.open(home, embedder=embedder) as assistant:
            responder = Responder(
                assistant, ModelRegistry(models, policy or PolicySettings(), BudgetSettings())
            )
            for route, text in messages:
                answer = " ".join(["word"] * LENGTH[route])
                for model in models:
                    assert isinstance(model, EchoModel)
                    model.script = [answer]
                list(responder.respond(InboundMessage(f"{text} ({nonce})")))
            responder.flush()
            summary = responder.ledger.summary(1)
            responder.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    calls = ", ".join(f"{r.key} {r.calls}" for r in summary.by_model)
    return (
        f"${summary.total:.4f} vs ${summary.strong_total:.4f} all-strong: "
        f"saving {summary.saving:.0%} (calls: {calls})"
    )


def main() -> None:
    embedder = MiniLMEmbedder(ROOT / ".cache" / "models")
    mixes = {
        "router-set mix (1/3 each)": {"simple": 1 / 3, "complex": 1 / 3, "tool": 1 / 3},
        "chat-like mix (55% simple, 25% tool, 20% complex)": {
            "simple": 0.55,
            "tool": 0.25,
            "complex": 0.20,
        },
    }
    for name, shares in mixes.items():
        messages = mix(100, shares)
        for with_local in (True, False):
            label = "local + haiku + sonnet" if with_local else "haiku + sonnet"
            print(f"{name}, {label}: {run(messages, with_local, embedder)}", flush=True)
        cheap_tools = PolicySettings(tool=("cheap", "strong", "local"))
        result = run(messages, True, embedder, cheap_tools)
        print(f"{name}, local + haiku + sonnet, tool route on haiku: {result}", flush=True)


if __name__ == "__main__":
    main()
