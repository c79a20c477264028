"""A fake Twilio on 127.0.0.1: the REST endpoint the SDK posts messages to
(``POST /2010-04-01/Accounts/{sid}/Messages.json``, form-encoded, basic auth), answering
with the real resource JSON or with queued errors (429, 500); plus signed webhook calls
made the way Twilio makes them."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from twilio.request_validator import RequestValidator

SID = "AC" + "0" * 31 + "1"
TOKEN = "test-auth-token-0123456789abcdef"
NUMBER = "+15550001111"
OWNER = "+15551234567"
STRANGER = "+15559876543"


@dataclass
class Sent:
    """A message the fake accepted."""

    to: str
    sender: str
    body: str


class FakeTwilio:
    """Records sent messages; ``fail`` holds statuses to answer first, one per request."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.fail: list[int] = []
        self.attempts = 0
        self.unauthorised = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: with Nagle's algorithm on, the
            # body waits for the client's delayed ACK (40 ms), which no real API adds.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.attempts += 1
                expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
                if self.path != f"/2010-04-01/Accounts/{SID}/Messages.json":
                    return self._answer(404, {"code": 20404, "message": "not found"})
                if self.headers.get("Authorization") != expected:
                    fake.unauthorised += 1
                    return self._answer(401, {"code": 20003, "message": "Authenticate"})
                if fake.fail:
                    status = fake.fail.pop(0)
                    return self._answer(status, {"code": 20429, "message": "Too Many Requests"})
                form = urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)
                sent = Sent(form["To"][0], form["From"][0], form["Body"][0])
                fake.sent.append(sent)
                self._answer(201, _resource(sent, len(fake.sent)))

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        """The API's origin, for ``api_url``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def bodies(self, to: str = OWNER) -> list[str]:
        """What was sent to ``to``, in order."""
        return [s.body for s in self.sent if s.to == to]

    def wait_for(self, count: int, timeout: float = 15.0, to: str = OWNER) -> list[str]:
        """The bodies sent to ``to`` once there are ``count`` (or at the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.bodies(to)) < count:
            time.sleep(0.05)
        return self.bodies(to)

    def close(self) -> None:
        """Stop serving."""
        self._httpd.shutdown()
        self._httpd.server_close()


def _resource(sent: Sent, number: int) -> dict[str, Any]:
    sid = f"SM{number:032x}"
    return {
        "account_sid": SID,
        "api_version": "2010-04-01",
        "body": sent.body,
        "date_created": "Thu, 03 Dec 2026 04:00:00 +0000",
        "direction": "outbound-api",
        "from": sent.sender,
        "num_media": "0",
        "num_segments": "1",
        "sid": sid,
        "status": "queued",
        "to": sent.to,
        "uri": f"/2010-04-01/Accounts/{SID}/Messages/{sid}.json",
    }


def inbound(sid: str, sender: str, body: str, media: int = 0) -> dict[str, str]:
    """The form Twilio posts for an inbound SMS."""
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": str(media),
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": NUMBER,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def post_webhook(
    local_url: str,
    public_url: str,
    form: dict[str, str],
    *,
    token: str = TOKEN,
    signature: str | None = None,
) -> tuple[int, str]:
    """POST ``form`` to the webhook as Twilio does, signed with the SDK's own validator for
    ``public_url`` (or with ``signature`` as given; "" sends none)."""
    if signature is None:
        signature = RequestValidator(token).compute_signature(public_url, form)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature:
        headers["X-Twilio-Signature"] = signature
    request = urllib.request.Request(
        local_url, data=urllib.parse.urlencode(form).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
