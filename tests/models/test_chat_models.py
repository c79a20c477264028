"""The chat models through the real SDKs against loopback fake servers, and llama-cpp for real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.conversation.tools import TOOLS
from assistant.errors import (
    ModelAuthError,
    ModelResponseError,
    ModelServerError,
    ModelUnavailableError,
    RateLimitedError,
)
from assistant.models.anthropic_chat import AnthropicModel
from assistant.models.chat import (
    ChatMessage,
    Finished,
    ModelEvent,
    ModelInfo,
    TextDelta,
    ToolCall,
    ToolCallRequested,
    ToolSpec,
)
from assistant.models.llama_chat import LlamaModel, check_gguf
from assistant.models.openai_chat import OpenAIModel
from tests.servers import (
    Canned,
    FakeServer,
    anthropic_text,
    error,
    fixture_stream,
    openai_text,
    sse,
)

CHAT = [ChatMessage("system", "Be brief."), ChatMessage("user", "Hello there")]
_OPENED: list[AnthropicModel | OpenAIModel] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()


def claude(server: FakeServer, key: str = "sk-ant-test", timeout: float = 5.0) -> AnthropicModel:
    info = ModelInfo("haiku", "anthropic", "claude-haiku-4-5", "cheap", 1.0, 5.0)
    _OPENED.append(AnthropicModel(info, api_key=key, base_url=server.url, timeout=timeout))
    return _OPENED[-1]


def gpt(server: FakeServer, timeout: float = 5.0) -> OpenAIModel:
    info = ModelInfo("gpt", "openai", "gpt-4.1", "strong", 2.5, 10.0)
    _OPENED.append(
        OpenAIModel(info, api_key="sk-test", base_url=server.url + "/v1", timeout=timeout)
    )
    return _OPENED[-1]


def drain(model: AnthropicModel | OpenAIModel | LlamaModel, **kwargs: object) -> list[ModelEvent]:
    return list(model.stream(CHAT, **kwargs))  # type: ignore[arg-type]


class TestAnthropic:
    def test_streams_text_and_reports_usage(self, server: FakeServer) -> None:
        server.queue.append(anthropic_text("Hi! How can I help?", input_tokens=31))
        events = drain(claude(server))
        text = "".join(e.text for e in events if isinstance(e, TextDelta))
        assert text == "Hi! How can I help?"
        assert len([e for e in events if isinstance(e, TextDelta)]) == 5
        finished = events[-1]
        assert isinstance(finished, Finished)
        assert (finished.usage.input_tokens, finished.usage.output_tokens) == (31, 5)
        seen = server.requests[0]
        assert seen.path == "/v1/messages"
        key = seen.headers.get("x-api-key") or seen.headers.get("authorization", "")
        assert key.endswith("sk-ant-test")
        assert seen.body["system"] == "Be brief."
        assert seen.body["messages"] == [{"role": "user", "content": "Hello there"}]
        assert seen.body["stream"] is True

    def test_tool_call_arguments_are_assembled_from_deltas(self, server: FakeServer) -> None:
        server.queue.append(fixture_stream("anthropic_tool_call.sse"))
        events = drain(claude(server), tools=TOOLS)
        calls = [e.call for e in events if isinstance(e, ToolCallRequested)]
        assert calls == [ToolCall("toolu_01A", "search_memories", {"query": "sister"})]
        assert isinstance(events[-1], Finished) and events[-1].stop_reason == "tool_use"
        offered = server.requests[0].body["tools"]
        assert {t["name"] for t in offered} >= {"search_memories", "remember", "set_reminder"}
        assert offered[0]["input_schema"]["required"] == ["query"]

    def test_tool_results_are_sent_back_as_tool_result_blocks(self, server: FakeServer) -> None:
        server.queue.append(anthropic_text("Anna."))
        call = ToolCall("toolu_01A", "search_memories", {"query": "sister"})
        history = [
            *CHAT,
            ChatMessage("assistant", "Let me check.", tool_calls=(call,)),
            ChatMessage("tool", "[01J] My sister is Anna", tool_call_id="toolu_01A"),
        ]
        list(claude(server).stream(history))
        sent = server.requests[0].body["messages"]
        assert sent[1]["content"][1] == {
            "type": "tool_use",
            "id": "toolu_01A",
            "name": "search_memories",
            "input": {"query": "sister"},
        }
        assert sent[2]["content"][0]["type"] == "tool_result"
        assert sent[2]["content"][0]["tool_use_id"] == "toolu_01A"

    @pytest.mark.parametrize(
        ("canned", "expected"),
        [
            (error(429, "slow down", "rate_limit_error"), RateLimitedError),
            (error(500, "boom"), ModelServerError),
            (error(529, "overloaded", "overloaded_error"), ModelServerError),
            (error(401, "invalid x-api-key", "authentication_error"), ModelAuthError),
            (error(400, "bad request", "invalid_request_error"), ModelResponseError),
        ],
    )
    def test_http_errors_become_model_errors(
        self, server: FakeServer, canned: Canned, expected: type[Exception]
    ) -> None:
        server.queue.append(canned)
        with pytest.raises(expected):
            drain(claude(server))

    def test_malformed_json_in_the_stream(self, server: FakeServer) -> None:
        server.queue.append(sse([("message_start", "{not json")]))
        with pytest.raises(ModelResponseError):
            drain(claude(server))

    def test_timeout(self, server: FakeServer) -> None:
        server.queue.append(Canned(delay=2.0, chunks=[b""]))
        with pytest.raises(ModelServerError, match="timed out"):
            drain(claude(server, timeout=0.5))

    def test_unreachable_and_missing_key(self, server: FakeServer) -> None:
        url = server.url
        server.close()
        info = ModelInfo("haiku", "anthropic", "claude-haiku-4-5")
        offline = AnthropicModel(info, api_key="k", base_url=url, timeout=2)
        _OPENED.append(offline)
        with pytest.raises(ModelUnavailableError, match="unreachable"):
            list(offline.stream(CHAT))
        keyless = AnthropicModel(info, api_key="")
        assert "ANTHROPIC_API_KEY" in keyless.check()
        with pytest.raises(ModelUnavailableError):
            list(keyless.stream(CHAT))


class TestOpenAI:
    def test_streams_text_with_usage_chunk(self, server: FakeServer) -> None:
        server.queue.append(openai_text("Hello from GPT", prompt_tokens=12))
        events = drain(gpt(server))
        assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello from GPT"
        finished = events[-1]
        assert isinstance(finished, Finished)
        assert (finished.usage.input_tokens, finished.usage.output_tokens) == (12, 3)
        seen = server.requests[0]
        assert seen.path == "/v1/chat/completions"
        assert seen.headers["authorization"] == "Bearer sk-test"
        assert seen.body["messages"][0] == {"role": "system", "content": "Be brief."}
        assert seen.body["stream_options"] == {"include_usage": True}

    def test_function_call_arguments_are_assembled(self, server: FakeServer) -> None:
        server.queue.append(fixture_stream("openai_tool_call.sse"))
        events = drain(gpt(server), tools=TOOLS)
        calls = [e.call for e in events if isinstance(e, ToolCallRequested)]
        assert calls == [
            ToolCall("call_abc", "set_reminder", {"text": "call mom", "when": "tomorrow at 6pm"})
        ]
        assert server.requests[0].body["tools"][0]["type"] == "function"

    def test_invalid_tool_arguments_are_marked_not_raised(self, server: FakeServer) -> None:
        body = (Path(__file__).parents[1] / "fixtures" / "openai_tool_call.sse").read_bytes()
        server.queue.append(Canned(chunks=[body.replace(b'mom\\", ', b"mom ")]))
        calls = [e.call for e in drain(gpt(server)) if isinstance(e, ToolCallRequested)]
        assert "_invalid" in calls[0].arguments

    @pytest.mark.parametrize(
        ("canned", "expected"),
        [
            (error(429, "rate limit"), RateLimitedError),
            (error(503, "unavailable"), ModelServerError),
            (error(401, "bad key"), ModelAuthError),
        ],
    )
    def test_http_errors(
        self, server: FakeServer, canned: Canned, expected: type[Exception]
    ) -> None:
        server.queue.append(canned)
        with pytest.raises(expected):
            drain(gpt(server))

    def test_malformed_chunk(self, server: FakeServer) -> None:
        server.queue.append(sse([(None, "{broken"), (None, "[DONE]")]))
        with pytest.raises(ModelResponseError):
            drain(gpt(server))

    def test_local_server_needs_no_key(self, server: FakeServer) -> None:
        server.queue.append(openai_text("local answer"))
        info = ModelInfo("ollama", "openai", "llama3.2", "local")
        model = OpenAIModel(info, api_key="", base_url=server.url + "/v1", key_required=False)
        _OPENED.append(model)
        assert model.check() == ""
        assert "".join(e.text for e in model.stream(CHAT) if isinstance(e, TextDelta))


class TestLlama:
    def test_generates_with_the_tiny_gemma(self, gemma_gguf: Path) -> None:
        model = LlamaModel(
            ModelInfo("gemma", "llama", str(gemma_gguf), "local"), path=gemma_gguf, context=512
        )
        assert model.check() == ""
        events = list(model.stream(CHAT, max_tokens=12))
        deltas = [e for e in events if isinstance(e, TextDelta)]
        finished = events[-1]
        assert isinstance(finished, Finished)
        assert finished.usage.input_tokens > 0
        assert 0 < finished.usage.output_tokens <= 12
        assert len(deltas) == finished.usage.output_tokens

    def test_one_tool_is_answered_with_json_the_grammar_constrains(self, gemma_gguf: Path) -> None:
        model = LlamaModel(
            ModelInfo("gemma", "llama", str(gemma_gguf), "local"), path=gemma_gguf, context=512
        )
        schema = {
            "type": "object",
            "properties": {"mood": {"type": "string", "enum": ["happy", "sad"]}},
            "required": ["mood"],
        }
        events = list(
            model.stream(CHAT, tools=[ToolSpec("record", "Record it.", schema)], max_tokens=24)
        )
        call = events[0]
        assert isinstance(call, ToolCallRequested) and call.call.name == "record"
        assert call.call.arguments["mood"] in ("happy", "sad")
        assert isinstance(events[-1], Finished) and events[-1].stop_reason == "tool_use"

    def test_an_answer_that_loops_is_stopped(self, gemma_gguf: Path) -> None:
        model = LlamaModel(
            ModelInfo("gemma", "llama", str(gemma_gguf), "local"), path=gemma_gguf, context=512
        )
        loop = "I'm glad you're having fun too!"
        chat = [ChatMessage("system", "Be brief."), ChatMessage("user", " ".join([loop] * 6))]
        for seed in range(3):
            model.load().set_seed(seed)
            events = list(model.stream(chat, max_tokens=200))
            text = "".join(e.text for e in events if isinstance(e, TextDelta))
            finished = events[-1]
            assert isinstance(finished, Finished) and finished.usage.output_tokens < 200
            assert text.count("fun too") <= 3, text

    def test_a_file_that_is_not_a_gguf_is_refused(self, tmp_path: Path) -> None:
        fake = tmp_path / "model.gguf"
        fake.write_bytes(b"<html>404 not found</html>")
        assert "not a GGUF" in check_gguf(fake)
        assert "does not exist" in check_gguf(tmp_path / "missing.gguf")
        model = LlamaModel(ModelInfo("bad", "llama", str(fake), "local"), path=fake)
        with pytest.raises(ModelUnavailableError, match="not a GGUF"):
            list(model.stream(CHAT))
