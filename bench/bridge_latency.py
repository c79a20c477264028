"""The SMS bridge over real HTTP, in this process: how soon a Twilio webhook is acknowledged,
and what the bridge adds to an answer over the same answer given to a terminal.

python bench/bridge_latency.py [MESSAGES]

Targets: webhook acknowledged in <= 100 ms p95 (the answer is sent afterwards); bridge
overhead over a terminal answer <= 50 ms p95. The floor is the terminal answer itself:
``Responder.respond`` on the same home, the same model and the same kind of message. Both
answer with a fake model that replies at once, so the figures are the assistant's own time
(embedding, routing, retrieval, logging) plus, for the bridge, the webhook, the durable
inbox, the courier threads and the REST call to a fake Twilio on 127.0.0.1.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, percentile, summary

sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.conversation.reply import InboundMessage, Reply  # noqa: E402
from assistant.conversation.responder import Responder  # noqa: E402
from assistant.models.fakes import EchoModel  # noqa: E402
from assistant.models.registry import ModelRegistry  # noqa: E402
from assistant.models.settings import BudgetSettings, PolicySettings  # noqa: E402
from assistant.service import ServeHost  # noqa: E402
from assistant.settings import read_settings  # noqa: E402
from assistant_twilio.bridge import SmsBridge  # noqa: E402
from tests.plugins.twilio_fake import (  # noqa: E402
    NUMBER,
    OWNER,
    SID,
    TOKEN,
    FakeTwilio,
    inbound,
    post_webhook,
)

PUBLIC = "https://assistant.example.net/sms"
MESSAGES = [
    "what did I say about the climbing trip?",
    "remind me what my sister does for work",
    "any idea where I left the bike lock",
    "how was the week, in short?",
    "what's on for saturday",
]


def main(count: int) -> None:
    logging.disable(logging.WARNING)  # the echo model's answers are no extraction JSON
    home = Path(tempfile.mkdtemp(prefix="bench-bridge-")) / "home"
    home.mkdir(parents=True)
    fake = FakeTwilio()
    (home / "config.toml").write_text(
        "[bridges.sms]\n"
        f'public_url = "{PUBLIC}"\nnumber = "{NUMBER}"\nport = 0\n'
        f'api_url = "{fake.url}"\nowners = ["{OWNER}"]\nper_minute = 1000000\n'
    )
    os.environ["ASSISTANT_HOME"] = str(home)
    assistant = Assistant(read_settings({}, os.environ))
    registry = ModelRegistry([EchoModel()], PolicySettings(), BudgetSettings())
    responder = Responder(assistant, registry)
    for text in MESSAGES:  # warm: the embedder, the router, the first DuckDB writes
        list(responder.respond(InboundMessage(text, "cli", "owner")))
    terminal = []
    for i in range(count):
        started = time.perf_counter()
        for event in responder.respond(InboundMessage(MESSAGES[i % len(MESSAGES)], "cli", "me")):
            if isinstance(event, Reply):
                break
        terminal.append((time.perf_counter() - started) * 1000)
    bridge = SmsBridge(
        ServeHost(responder, {}),
        assistant.settings.bridges["sms"],
        environ={"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN},
    )
    bridge.start()
    url = f"http://127.0.0.1:{bridge.webhook.port}/sms"
    acked, answered = [], []
    try:
        for i in range(count):
            form = inbound(f"SM{i:032x}", OWNER, MESSAGES[i % len(MESSAGES)])
            before = len(fake.sent)
            started = time.perf_counter()
            status, _ = post_webhook(url, PUBLIC, form)
            acked.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
            while len(fake.sent) == before:
                time.sleep(0.0005)
            answered.append((time.perf_counter() - started) * 1000)
    finally:
        bridge.stop()
        responder.close()
        assistant.close()
        fake.close()
    print(summary("webhook acknowledged (target p95 <= 100 ms)", acked))
    print(summary("floor: the same answer to a terminal (Responder.respond)", terminal))
    print(summary("by SMS, webhook to the reply reaching Twilio", answered))
    for q in (50, 95):
        extra = percentile(answered, q) - percentile(terminal, q)
        print(f"bridge overhead over a terminal answer, p{q}: {extra:.1f} ms (target p95 <= 50 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
