"""What respond() adds around the model at 10k memories: embed + route + retrieve + context
before the first token, and the bookkeeping after the answer (the ledger and log writes are
queued to a background thread; working memory is written in line).

python bench/respond_overhead.py [SIZE]
"""

from __future__ import annotations

import random
import sys
import time
import uuid

from common import ROOT, seeded_home, summary

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Reply, Token
from assistant.conversation.responder import Responder
from assistant.conversation.router import load_examples
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings


def main(size: int) -> None:
    messages = [t for _, t in load_examples(ROOT / "tests" / "fixtures" / "router_heldout.tsv")]
    random.Random(3).shuffle(messages)
    nonce = uuid.uuid4().hex[:6]  # unseen texts: no embedding-cache hits
    models = [
        EchoModel(ModelInfo("local", "fake", "l", "local", tools=False)),
        EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0)),
        EchoModel(ModelInfo("strong", "fake", "s", "strong", 3.0, 15.0)),
    ]
    with Assistant.open(seeded_home(size)) as assistant:
        registry = ModelRegistry(models, PolicySettings(), BudgetSettings())
        responder = Responder(assistant, registry)
        responder.warm_up()
        for text in messages[:10]:  # warm-up
            list(responder.respond(InboundMessage(f"{text} {nonce}w")))
        before, after, total = [], [], []
        for n, text in enumerate(messages[10:210]):
            # The user takes a while to type: earlier bookkeeping and learning are done.
            responder.flush()
            responder.learned(wait=30)
            started = time.perf_counter()
            first_token = answered = 0.0
            for event in responder.respond(InboundMessage(f"{text} {nonce}{n}")):
                if isinstance(event, Token) and not first_token:
                    first_token = time.perf_counter()
                if isinstance(event, Token):
                    answered = time.perf_counter()
                if isinstance(event, Reply):
                    ended = time.perf_counter()
            if event.command:  # type: ignore[union-attr]
                continue  # an intent answered without a model
            before.append(responder.last_overhead_ms)
            after.append((ended - answered) * 1000)
            total.append((ended - started) * 1000)
        responder.close()
    print(summary(f"overhead before the model is called, {size:,} memories", before))
    print(summary("bookkeeping after the answer (ledger, log, working memory)", after))
    print(summary("whole respond() with an instant model", total))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
