"""Fake Anthropic and OpenAI servers on 127.0.0.1 that speak the real wire protocols.

Each test queues responses (server-sent event streams, JSON errors, malformed bodies, hangs);
the real SDKs connect over HTTP and the server records every request for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Canned:
    """One HTTP response: a status, a content type and a body sent in chunks."""

    status: int = 200
    content_type: str = "text/event-stream"
    chunks: Sequence[bytes] = ()
    delay: float = 0.0
    """Seconds to wait before answering (for timeouts)."""
    headers: dict[str, str] = field(default_factory=dict)
    pause: float = 0.0
    """Seconds between chunks (a slowly streamed answer)."""


@dataclass
class Seen:
    """A request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeServer:
    """A loopback HTTP server answering from a queue of :class:`Canned` responses."""

    def __init__(self, answer: Callable[[dict[str, Any]], Canned] | None = None) -> None:
        """``answer``, when given, computes each response from the request body instead."""
        self.queue: list[Canned] = []
        self.requests: list[Seen] = []
        self.answer = answer
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: with Nagle's algorithm on, the
            # body waits for the client's delayed ACK (40 ms), which no real API adds.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode(errors="replace")}
                server.requests.append(
                    Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                if server.answer is not None:
                    canned = server.answer(body)
                else:
                    canned = server.queue.pop(0) if server.queue else error(500, "nothing queued")
                if canned.delay:
                    time.sleep(canned.delay)
                payload = b"".join(canned.chunks)
                try:
                    self.send_response(canned.status)
                    self.send_header("Content-Type", canned.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in canned.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    for chunk in canned.chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        time.sleep(canned.pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL of the server."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        """Stop serving."""
        self._httpd.shutdown()
        self._httpd.server_close()


def sse(events: Sequence[tuple[str | None, Any]]) -> Canned:
    """A server-sent event stream; each event is ``(event name or None, data)``."""
    chunks = []
    for name, data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        head = f"event: {name}\n" if name else ""
        chunks.append(f"{head}data: {text}\n\n".encode())
    return Canned(chunks=chunks)


def fixture_stream(name: str) -> Canned:
    """A canned SSE body from ``tests/fixtures/``."""
    return Canned(chunks=[(FIXTURES / name).read_bytes()])


def error(status: int, message: str, kind: str = "api_error") -> Canned:
    """A JSON error body shaped like both providers' errors."""
    body = {"type": "error", "error": {"type": kind, "message": message}}
    return Canned(
        status=status, content_type="application/json", chunks=[json.dumps(body).encode()]
    )


def anthropic_text(text: str, input_tokens: int = 20, output_tokens: int = 0) -> Canned:
    """A Messages API stream answering ``text`` in word-sized deltas."""
    words = _pieces(text)
    events: list[tuple[str | None, Any]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_01",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-haiku-4-5",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": input_tokens, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
    ]
    events += [
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": w}},
        )
        for w in words
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": output_tokens or len(words)},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return sse(events)


def openai_text(text: str, prompt_tokens: int = 20, completion_tokens: int = 0) -> Canned:
    """A chat-completions stream answering ``text``, with a final usage chunk."""
    words = _pieces(text)
    chunks: list[tuple[str | None, Any]] = [
        (None, _chunk({"role": "assistant", "content": ""})),
        *[(None, _chunk({"content": w})) for w in words],
        (None, _chunk({}, finish="stop")),
        (
            None,
            {
                **_chunk({}),
                "choices": [],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens or len(words),
                    "total_tokens": prompt_tokens + (completion_tokens or len(words)),
                },
            },
        ),
        (None, "[DONE]"),
    ]
    return sse(chunks)


def openai_tool_call(name: str, arguments: str, prompt_tokens: int = 120) -> Canned:
    """A chat-completions stream calling one tool, its JSON ``arguments`` sent in two pieces."""
    half = len(arguments) // 2
    call = {"index": 0, "id": "call_1", "type": "function"}
    chunks: list[tuple[str | None, Any]] = [
        (
            None,
            _chunk(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [{**call, "function": {"name": name, "arguments": ""}}],
                }
            ),
        ),
        (None, _chunk({"tool_calls": [{"index": 0, "function": {"arguments": arguments[:half]}}]})),
        (None, _chunk({"tool_calls": [{"index": 0, "function": {"arguments": arguments[half:]}}]})),
        (None, _chunk({}, finish="tool_calls")),
        (
            None,
            {
                **_chunk({}),
                "choices": [],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": 40,
                    "total_tokens": prompt_tokens + 40,
                },
            },
        ),
        (None, "[DONE]"),
    ]
    return sse(chunks)


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_763_700_000,
        "model": "gpt-4.1-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


def configure_loopback_model(home: Path, server: FakeServer) -> None:
    """Write a home's ``config.toml`` with one cheap OpenAI-compatible model, ``mini``,
    served by ``server`` (for tests that start the real CLI in another process)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[models.mini]\nprovider = "openai"\nbase_url = "{server.url}/v1"\n'
        'model = "gpt-4.1-mini"\nkey_env = "none"\n'
    )


def spawn_chat(*, sigint_ignored: bool = False) -> Any:
    """The real ``assistant chat`` REPL in a pseudo-terminal (40×120), on this process's
    environment (its home and model settings); ``sigint_ignored`` starts it with SIGINT
    ignored, as a shell's background job would. Otherwise SIGINT is reset to its default,
    whatever this process inherited."""
    import os
    import signal
    import sys

    import pexpect

    disposition = signal.SIG_IGN if sigint_ignored else signal.SIG_DFL
    return pexpect.spawn(
        sys.executable,
        ["-m", "assistant_cli", "chat"],
        env=dict(os.environ),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
        preexec_fn=lambda: signal.signal(signal.SIGINT, disposition),
    )
