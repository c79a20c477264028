"""Replies through Twilio's REST API, with the SDK's own client: ``Messages.create``. A
failure becomes :class:`SendFailed` (retried by the outbox, or given up when permanent),
carrying a status and Twilio's error code only, never the account SID or the number."""

from __future__ import annotations

import logging
from typing import Any

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from assistant.inbox import SendFailed
from assistant_twilio.config import API, SmsSettings

_quiet = logging.getLogger("assistant_twilio.http")
_quiet.setLevel(logging.WARNING)  # the SDK logs each request's URL, account SID included

PERMANENT = {21211, 21408, 21610, 21612, 21614}
"""Twilio error codes that retrying cannot help: an invalid, unreachable, unsubscribed
(STOP) or landline number, or a region not enabled."""


class RebasedHttpClient(TwilioHttpClient):  # type: ignore[misc]  # twilio is untyped
    """The SDK's HTTP client, sending to another origin than ``https://api.twilio.com``
    (a proxy, or a test server speaking the same API)."""

    def __init__(self, api_url: str, timeout: float = 15.0) -> None:
        super().__init__(timeout=timeout, logger=_quiet)
        self.api_url = api_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        """Send the request to the same path on ``api_url``."""
        if url.startswith(API):
            url = self.api_url + url[len(API) :]
        return super().request(method, url, *args, **kwargs)


def make_client(settings: SmsSettings) -> Client:
    """A REST client for the account in ``settings``."""
    return Client(
        settings.account_sid,
        settings.auth_token,
        http_client=RebasedHttpClient(settings.api_url),
    )


def send_sms(client: Client, sender: str, recipient: str, body: str) -> None:
    """Send one SMS; raises :class:`SendFailed`."""
    try:
        client.messages.create(to=recipient, from_=sender, body=body)
    except TwilioRestException as exc:
        permanent = exc.code in PERMANENT or exc.status in (400, 401, 403, 404)
        raise SendFailed(
            f"Twilio answered {exc.status} (error {exc.code})",
            permanent=permanent and exc.status != 429,
        ) from None
    except Exception as exc:  # the connection: its message names the account's URL
        raise SendFailed(f"Twilio could not be reached ({type(exc).__name__})") from None
