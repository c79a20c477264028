"""Requests made the way ElevenLabs makes them: the conversation-init webhook, the server
tool, and the post-call webhook signed with ``ElevenLabs-Signature: t=…,v0=…`` (HMAC-SHA256
of ``"{t}.{body}"`` with the webhook secret, computed here independently of the plugin)."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import Any

SECRET = "wsec_test_0123456789abcdef0123456789abcdef"
TOKEN = "voice-tool-token-0123456789abcdef"
AGENT = "agent_01jtestagent0000000000000"
OWNER = "+15551234567"
STRANGER = "+15559876543"
NUMBER = "+15550001111"
SECRETS = {"ELEVENLABS_WEBHOOK_SECRET": SECRET, "ASSISTANT_VOICE_TOKEN": TOKEN}


def request(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """POST ``body`` (GET when None); the status and the JSON answer (or text)."""
    sent = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(sent, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def bearer(token: str = TOKEN) -> dict[str, str]:
    """The header ElevenLabs sends with the secret configured for the webhook and the tool."""
    return {"Authorization": f"Bearer {token}"}


def init(base: str, caller: str, *, token: str | None = TOKEN) -> tuple[int, Any]:
    """The conversation-initiation webhook for an inbound Twilio call from ``caller``."""
    body = {
        "caller_id": caller,
        "agent_id": AGENT,
        "called_number": NUMBER,
        "call_sid": "CA" + "1" * 32,
    }
    headers = bearer(token) if token else {}
    return request(base + "/webhook/conversation-init", json.dumps(body).encode(), headers)


def memory_query(
    base: str, query: str, *, caller: str = OWNER, token: str | None = TOKEN, **more: Any
) -> tuple[int, Any]:
    """The agent's memory tool, with the caller id ElevenLabs fills in from the call."""
    body = {"query": query, "limit": 5, "sectors": [], "caller_id": caller, **more}
    headers = bearer(token) if token else {}
    return request(base + "/tools/memory-query", json.dumps(body).encode(), headers)


def signature(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    """``ElevenLabs-Signature`` for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v0={mac.hexdigest()}"


def post_call(
    base: str, body: bytes, timestamp: int, *, header: str | None = None
) -> tuple[int, Any]:
    """The post-call webhook, signed for ``timestamp`` (or with ``header`` as given)."""
    sig = signature(body, timestamp) if header is None else header
    headers = {"ElevenLabs-Signature": sig} if sig else {}
    return request(base + "/webhook/post-call", body, headers)


def transcription(
    conversation: str,
    started: int,
    turns: list[tuple[str, str]],
    *,
    caller: str = OWNER,
    summary: str = "",
    action_items: str = "",
    event_id: str = "",
) -> bytes:
    """A ``post_call_transcription`` event: ``turns`` are (role, message) pairs."""
    event = {
        "type": "post_call_transcription",
        "event_timestamp": started + 120,
        "webhook_event_id": event_id or f"evt_{conversation}",
        "data": {
            "agent_id": AGENT,
            "conversation_id": conversation,
            "status": "done",
            "transcript": [
                {"role": role, "message": message, "time_in_call_secs": index * 10}
                for index, (role, message) in enumerate(turns)
            ],
            "metadata": {
                "start_time_unix_secs": started,
                "call_duration_secs": 10 * len(turns),
                "phone_call": {
                    "direction": "inbound",
                    "external_number": caller,
                    "agent_number": NUMBER,
                    "type": "twilio",
                    "call_sid": "CA" + "2" * 32,
                },
            },
            "analysis": {
                "call_successful": "success",
                "transcript_summary": summary,
                "evaluation_criteria_results": {},
                "data_collection_results": {
                    "action_items": {
                        "data_collection_id": "action_items",
                        "value": action_items,
                        "rationale": "What the caller asked to be done.",
                    }
                },
            },
            "conversation_initiation_client_data": {
                "dynamic_variables": {"system__caller_id": caller, "user_name": "Sam"}
            },
            "has_audio": False,
            "has_user_audio": False,
            "has_response_audio": False,
        },
    }
    return json.dumps(event).encode()
