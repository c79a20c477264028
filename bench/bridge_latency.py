"""The SMS bridge over real HTTP, in this process: how soon a Twilio webhook is acknowledged,
and what the bridge adds to an answer over the same answer given to a terminal.

python bench/bridge_latency.py [MESSAGES]

Targets: webhook acknowledged in <= 100 ms p95 (the answer is sent afterwards); bridge
overhead over a terminal answer <= 50 ms p95. The floor is the terminal answer itself:
``Responder.respond`` on the same home, the same model and the same kind of message. Both
answer with a fake model that replies at once, so the figures are the assistant's own time
(embedding, routing, retrieval, logging) plus, for the bridge, the webhook, the durable
inbox, the courier threads and the REST call to a fake Twilio on 127.0.0.1.

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


def main(count: int) -> None:
    fake = FakeTwilio()
    assistant, responder = open_home(
        "[bridges.sms]\n"
        f'public_url = "{PUBLIC}"\nnumber = "{NUMBER}"\nport = 0\n'
        f'api_url = "{fake.url}"\nowners = ["{OWNER}"]\nper_minute = 1000000\n'
    )
    bridge = SmsBridge(
        ServeHost(responder, {}),
        assistant.settings.bridges["sms"],
        environ={"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN},
    )
    bridge.start()
    url = f"http://127.0.0.1:{bridge.webhook.port}/sms"
    acked: list[float] = []

    def by_sms(i: int) -> float:
        form = inbound(f"SM{i:032x}", OWNER, MESSAGES[i % len(MESSAGES)])
        before = len(fake.sent)
        started = time.perf_counter()
        status, _ = post_webhook(url, PUBLIC, form)
        acked.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
        while len(fake.sent) == before:
            time.sleep(0.0005)
        return (time.perf_counter() - started) * 1000

    try:
        answered, terminal = paired(responder, count, by_sms)
    finally:
        bridge.stop()
        responder.close()
        assistant.close()
        fake.close()
    print(summary("webhook acknowledged (target p95 <= 100 ms)", acked))
    print(summary("floor: the same answer to a terminal (Responder.respond)", terminal))
    print(summary("by SMS, webhook to the reply reaching Twilio", answered))
    for line in overhead_lines(answered, terminal):
        print(line)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
