"""The inbound webhook: a route on the aiohttp server the bridges share (``assistant.web``).

Every request's ``X-Twilio-Signature`` is checked with the SDK's ``RequestValidator``
against the public URL Twilio calls; a missing or forged one gets 403 and nothing else
happens. A valid one is handed to ``take`` (which stores it) and acknowledged at once with
empty TwiML: answers go out later through the REST API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from aiohttp import web
from twilio.request_validator import RequestValidator, get_signature_algorithm

from assistant.web import Mount, Route, mount_routes

log = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_BODY = 4 * 1024 * 1024
"""Largest request read: a long message, percent-encoded, fits many times over."""

Take = Callable[[Mapping[str, str]], None]


class Webhook:
    """Serves ``path`` on ``host:port`` (port 0: any free one) until stopped, on the server
    the bridges share (``assistant.web``)."""

    def __init__(
        self,
        take: Take,
        *,
        public_url: str,
        auth_token: str,
        host: str,
        port: int,
        path: str,
    ) -> None:
        self._take = take
        self._public_url = public_url
        self._validator = RequestValidator(auth_token)
        self.host = host
        self.port = port
        self.path = path
        self._mount: Mount | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Listen; returns once the port is bound, raises ``OSError`` when it cannot be."""
        self._mount = mount_routes(
            self.host,
            self.port,
            [Route("POST", self.path, self._handle, MAX_BODY)],
            timeout=timeout,
        )
        self.port = self._mount.port

    def stop(self, timeout: float = 3.0) -> None:
        """Stop listening (requests in flight finish first, within ``timeout``)."""
        if self._mount is not None:
            self._mount.close(timeout)
            self._mount = None

    def _signed_url(self, request: web.BaseRequest) -> str:
        """The URL Twilio signed: the public one, with the query string it was called with."""
        query = request.query_string
        return (
            f"{self._public_url}?{query}"
            if query and "?" not in self._public_url
            else (self._public_url)
        )

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            log.warning("refused a webhook request without a Twilio signature")
            return web.Response(status=403, text="Forbidden")
        form = await request.post()
        algorithm = get_signature_algorithm(
            request.headers.get("X-Twilio-Webhooks-Signature-Settings", "")
        )
        try:
            valid = self._validator.validate(self._signed_url(request), form, signature, algorithm)
        except ValueError:  # an algorithm the SDK does not know
            valid = False
        if not valid:
            log.warning("refused a webhook request with a forged Twilio signature")
            return web.Response(status=403, text="Forbidden")
        params = {key: value for key, value in form.items() if isinstance(value, str)}
        try:
            await asyncio.get_running_loop().run_in_executor(None, self._take, params)
        except Exception as exc:  # not stored: a 5xx lets Twilio try again
            log.error("could not take an inbound SMS: %s", exc)
            return web.Response(status=503, text="Try again")
        return web.Response(text=EMPTY_TWIML, content_type="text/xml")
