"""The voice bridge over real HTTP, in this process: the three latencies an ElevenLabs phone
agent waits for.

python bench/voice_latency.py [REQUESTS]

Targets: the conversation-init webhook answered in <= 100 ms p95 (ElevenLabs allows 1 s);
the memory tool answered in <= 50 ms p95 once warm; the post-call webhook acknowledged in
<= 100 ms p95 (it is learned from afterwards). The home holds a few hundred memories and a
week of chat, on the real MiniLM; each memory query is a fresh question (no cache hit).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, queries, summary, synthetic_texts

sys.path.insert(0, str(ROOT))

from assistant import Assistant, Draft  # noqa: E402
from assistant.conversation.reply import InboundMessage  # noqa: E402
from assistant.conversation.responder import Responder  # noqa: E402
from assistant.models.fakes import EchoModel  # noqa: E402
from assistant.models.registry import ModelRegistry  # noqa: E402
from assistant.models.settings import BudgetSettings, PolicySettings  # noqa: E402
from assistant.service import ServeHost  # noqa: E402
from assistant.settings import read_settings  # noqa: E402
from assistant_voice.bridge import VoiceBridge  # noqa: E402
from tests.plugins.elevenlabs_fake import (  # noqa: E402
    OWNER,
    SECRETS,
    init,
    memory_query,
    post_call,
    request,
    transcription,
)

CHAT = [
    "My name is Sam.",
    "My sister Anna lives in Lyon.",
    "We are planning a trip to Lisbon in March.",
    "I started climbing at the gym on Tuesdays.",
    "Remind me to call the plumber tomorrow at 10am",
]


def main(count: int) -> None:
    logging.disable(logging.WARNING)
    home = Path(tempfile.mkdtemp(prefix="bench-voice-")) / "home"
    home.mkdir(parents=True)
    (home / "config.toml").write_text(
        f'extractor = "rules"\n\n[bridges.voice]\nport = 0\nowners = ["{OWNER}"]\n'
    )
    os.environ["ASSISTANT_HOME"] = str(home)
    assistant = Assistant(read_settings({}, os.environ))
    assistant.memories.add_many([Draft(text) for text in synthetic_texts(300)])
    responder = Responder(
        assistant, ModelRegistry([EchoModel()], PolicySettings(), BudgetSettings())
    )
    week_ago = time.time() - 6 * 86400
    for n, text in enumerate(CHAT):
        list(responder.respond(InboundMessage(text, "cli", "owner", at=week_ago + n * 60)))
    responder.learned(wait=60)
    bridge = VoiceBridge(ServeHost(responder, {}), assistant.settings.bridges["voice"])
    bridge.start()
    base = f"http://127.0.0.1:{bridge.port}"
    floor, greeted, queried, acked = [], [], [], []
    try:
        for _ in range(5):  # warm: the embedder, the first DuckDB and LanceDB reads
            init(base, OWNER)
            memory_query(base, "warm up")
        for _ in range(count):
            started = time.perf_counter()
            status, _ = request(base + "/health/live")
            floor.append((time.perf_counter() - started) * 1000)
        for _ in range(count):
            started = time.perf_counter()
            status, answer = init(base, OWNER)
            greeted.append((time.perf_counter() - started) * 1000)
            assert status == 200 and answer["dynamic_variables"]["user_name"] == "Sam", answer
        for question in queries(count):
            started = time.perf_counter()
            status, _ = memory_query(base, question)
            queried.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
        start = int(time.time()) - 600
        for n in range(count):
            body = transcription(
                f"conv_bench_{n}",
                start,
                [("agent", "Hi Sam!"), ("user", f"I walked {n} km along the river today.")],
                summary=f"Sam walked {n} km.",
            )
            started = time.perf_counter()
            status, _ = post_call(base, body, int(time.time()))
            acked.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
    finally:
        bridge.stop()
        responder.close()
        assistant.close()
    print(summary("floor: GET /health/live, the HTTP round trip alone", floor))
    print(summary("conversation-init answered (target p95 <= 100 ms)", greeted))
    print(summary("memory query answered, warm (target p95 <= 50 ms)", queried))
    print(summary("post-call webhook acknowledged (target p95 <= 100 ms)", acked))


if __name__ == "__main__":
    os.environ.update(SECRETS)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
