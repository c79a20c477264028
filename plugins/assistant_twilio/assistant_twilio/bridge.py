"""The SMS bridge: Twilio's webhook in, the REST API out, the owner only.

An inbound message is judged before anything else sees it (``assistant.owners.Gate``):
the owner's is stored in the inbox and acknowledged, then answered by the courier through
the host (the same ``respond()`` as chat) and sent back in plain-text pieces of 1,600
characters; a stranger's words go nowhere, and a stranger gets one fixed refusal a day.
STOP, START and HELP are honoured for everyone. Phone numbers appear in logs redacted.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any

from twilio.rest import Client

from assistant.courier import Courier
from assistant.errors import AssistantError
from assistant.hookspecs import BridgeHost
from assistant.inbox import Inbound, Inbox, Outbox, Outgoing
from assistant.owners import (
    PAIRED,
    REFUSAL,
    SLOW_DOWN,
    Admission,
    Gate,
    Owners,
    RateLimit,
    redact,
)
from assistant_twilio.config import SmsSettings, read_settings
from assistant_twilio.rest import make_client, send_sms
from assistant_twilio.text import HELP, MEDIA_ONLY, NO_ANSWER, Keyword, keyword, sms_parts
from assistant_twilio.webhook import Webhook

log = logging.getLogger(__name__)

CHANNEL = "sms"


class SmsBridge:
    """Talks to the owner by SMS through a Twilio number."""

    name = CHANNEL

    def __init__(
        self,
        host: BridgeHost,
        table: Mapping[str, Any],
        *,
        environ: Mapping[str, str] | None = None,
        client: Client | None = None,
    ) -> None:
        self.host = host
        self.settings: SmsSettings = read_settings(
            table, os.environ if environ is None else environ
        )
        db = host.responder.assistant.db
        self.owners = Owners(db, {CHANNEL: table})
        self.gate = Gate(self.owners, RateLimit(self.settings.per_minute))
        self.inbox = Inbox(db, CHANNEL)
        self.outbox = Outbox(db, CHANNEL, backoff=self.settings.retry_backoff)
        self._client = client or make_client(self.settings)
        self.courier = Courier(self.inbox, self.outbox, answer=self._answer, send=self._send)
        self.webhook = Webhook(
            self.take,
            public_url=self.settings.public_url,
            auth_token=self.settings.auth_token,
            host=self.settings.host,
            port=self.settings.port,
            path=self.settings.path,
        )
        self._taking = threading.Lock()

    def start(self) -> None:
        """Answer what a previous run left pending, then listen for webhooks."""
        self.courier.start()
        try:
            self.webhook.start()
        except BaseException:
            self.courier.stop()
            raise
        log.info(
            "SMS webhook listening on %s:%d%s",
            self.webhook.host,
            self.webhook.port,
            self.webhook.path,
        )

    def stop(self) -> None:
        """Stop listening and sending; anything unanswered is answered after the next start."""
        self.webhook.stop()
        self.courier.stop()

    def deliver(self, text: str) -> bool:
        """Queue ``text`` (a reminder) to the owner's number; False when there is no owner."""
        recipient = self.owners.address(CHANNEL)
        if recipient is None:
            return False
        if self.owners.opted_out(CHANNEL, recipient):
            log.info("not texting %s, who said STOP", redact(recipient))
            return True  # the owner asked for no texts: delivered as far as they want it
        self.outbox.queue(recipient, sms_parts(text))
        self.courier.wake()
        return True

    def take(self, params: Mapping[str, str]) -> None:
        """Store one signed inbound message (or answer it at once: a keyword, a stranger),
        unless its ``MessageSid`` was seen before."""
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        sender = params.get("From", "")
        if not sid or not sender:
            return
        with self._taking:  # one at a time: a replay racing its original is still a replay
            taken = self._take(sid, sender, params.get("Body", ""), _media(params))
        if isinstance(taken, Inbound):
            self.courier.hand(taken)  # answered without reading it back
        elif taken:
            self.courier.wake()

    def _take(self, sid: str, sender: str, body: str, media: int) -> Inbound | bool:
        """The owner's message kept to answer, or whether a reply was queued."""
        said = keyword(body)
        # The owner's words are stored (or found to be a replay) in one statement below.
        owner_text = said is None and bool(body.strip()) and self.owners.is_owner(CHANNEL, sender)
        if not owner_text and self.inbox.seen(sid):
            log.info("ignored a repeated webhook for a message already taken")
            return False
        if said is Keyword.STOP:
            self.owners.opt_out(CHANNEL, sender)
            return self.inbox.note(sid)
        if said is Keyword.START:
            if self.owners.opted_out(CHANNEL, sender):
                self.owners.opt_in(CHANNEL, sender)
                return self.inbox.note(sid)
            said = None  # "yes" from someone who never said STOP is just a message
        verdict = self.gate.admit(CHANNEL, sender, body)
        if verdict is Admission.OWNER and body.strip() and said is None:
            kept = self.inbox.keep(sid, sender, body)
            if kept is not None:
                return kept
            log.info("ignored a repeated webhook for a message already taken")
            return False
        if not self.inbox.note(sid):
            return False
        reply = {
            Admission.OWNER: HELP if said is Keyword.HELP else MEDIA_ONLY if media else "",
            Admission.PAIRED: PAIRED,
            Admission.REFUSED: REFUSAL,
            Admission.SLOW_DOWN: SLOW_DOWN,
            Admission.IGNORED: "",
        }[verdict]
        if reply:
            self.outbox.queue(sender, [reply])
        return bool(reply)

    def _answer(self, message: Inbound) -> list[str]:
        try:
            reply = self.host.answer(message.text, channel=CHANNEL, sender=message.sender)
        except AssistantError as exc:
            log.warning("no answer for %s: %s", redact(message.sender), exc.title)
            reply = f"Sorry, I couldn't answer that: {exc.title.lower()}."
        return sms_parts(reply) or [NO_ANSWER]

    def _send(self, message: Outgoing) -> None:
        if self.owners.opted_out(CHANNEL, message.recipient):
            log.info("not texting %s, who said STOP", redact(message.recipient))
            return
        send_sms(self._client, self.settings.number, message.recipient, message.text)


def _media(params: Mapping[str, str]) -> int:
    try:
        return int(params.get("NumMedia", "0") or 0)
    except ValueError:
        return 0
