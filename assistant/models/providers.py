"""The built-in model providers, registered through the same hook as a plugin's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.hookspecs import ModelFactory, hookimpl
from assistant.models.chat import ChatModel, ModelInfo
from assistant.models.settings import ModelSettings


def _llama(info: ModelInfo, config: ModelSettings, key: str) -> ChatModel:
    from assistant.models.llama_chat import LlamaModel

    return LlamaModel(info, path=Path(config.path).expanduser(), context=config.context)


def _anthropic(info: ModelInfo, config: ModelSettings, key: str) -> ChatModel:
    from assistant.models.anthropic_chat import AnthropicModel

    return AnthropicModel(info, api_key=key, base_url=config.base_url, timeout=config.timeout)


def _openai(info: ModelInfo, config: ModelSettings, key: str) -> ChatModel:
    from assistant.models.openai_chat import OpenAIModel

    return OpenAIModel(
        info,
        api_key=key,
        base_url=config.base_url,
        timeout=config.timeout,
        key_required=bool(config.api_key_env),
    )


@hookimpl
def register_models(register: Callable[[str, ModelFactory], None]) -> None:
    """Local GGUF models, Anthropic, and OpenAI or any OpenAI-compatible endpoint."""
    register("llama", _llama)
    register("anthropic", _anthropic)
    register("openai", _openai)
