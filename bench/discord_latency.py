"""The Discord bridge in this process, against a fake Discord on 127.0.0.1 that speaks the
gateway (websocket) and REST protocols: what the bridge adds to an answer over the same answer
given to a terminal.

python bench/discord_latency.py [MESSAGES]

Target: bridge overhead over a terminal answer <= 50 ms p95. The floor is the terminal answer
itself: ``Responder.respond`` on the same home, the same model and the same kind of message.
Both answer with a fake model that replies at once, so the figures are the assistant's own time
plus, for the bridge, the gateway event, discord.py's parsing, the owner check, the durable
inbox, the courier threads, the typing indicator and the REST call that posts the reply.

Each message is answered by the bridge and by the terminal side by side, in a random order, so
drift in the machine's load falls on both alike. The overhead is printed two ways: the
percentiles of each message's own difference, and the difference of the two distributions'
percentiles (which can come out negative at p95: two noisy tails).
"""

from __future__ import annotations

import sys
import time

from bridges import MESSAGES, open_home, overhead_lines, paired
from common import ROOT, summary

sys.path.insert(0, str(ROOT))

from assistant.service import ServeHost  # noqa: E402
from assistant_discord.bridge import DiscordBridge  # noqa: E402
from tests.plugins.discord_fake import OWNER, TOKEN, FakeDiscord  # noqa: E402


def main(count: int) -> None:
    fake = FakeDiscord()
    assistant, responder = open_home(
        f'[bridges.discord]\napi_url = "{fake.url}"\nowners = ["{OWNER}"]\nper_minute = 1000000\n'
    )
    bridge = DiscordBridge(
        ServeHost(responder, {}),
        assistant.settings.bridges["discord"],
        environ={"DISCORD_BOT_TOKEN": TOKEN},
    )
    bridge.start()
    fake.wait_connected()

    def by_discord(i: int) -> float:
        before = len(fake.sent)
        started = time.monotonic()
        fake.message(MESSAGES[i % len(MESSAGES)])  # a direct message from the owner
        while len(fake.sent) == before:
            time.sleep(0.0005)
        return (fake.sent[before].at - started) * 1000

    try:
        answered, terminal = paired(responder, count, by_discord)
    finally:
        bridge.stop()
        responder.close()
        assistant.close()
        fake.close()
    print(summary("floor: the same answer to a terminal (Responder.respond)", terminal))
    print(summary("by Discord, gateway event to the reply reaching the REST API", answered))
    for line in overhead_lines(answered, terminal):
        print(line)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
