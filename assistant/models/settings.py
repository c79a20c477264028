"""Chat-model settings: the configured models, the escalation policy and the budgets.

In ``config.toml``::

    [models.local]                 # a GGUF file run with llama-cpp-python
    provider = "llama"
    path = "~/models/qwen2.5-3b-instruct-q4_k_m.gguf"

    [models.ollama]                # any OpenAI-compatible endpoint
    provider = "openai"
    base_url = "http://127.0.0.1:11434/v1"
    model = "llama3.2"
    tier = "local"

    [policy]                       # tiers or model names, tried in order
    simple = ["local", "cheap", "strong"]

    [budget]                       # dollars; 0 means no limit
    daily = 1.0
    monthly = 20.0
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

PROVIDERS = ("llama", "anthropic", "openai")
"""The built-in providers (``assistant.models.providers``); plugins may register more."""
_PROVIDER_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,63}")
TIERS = ("local", "cheap", "strong")
ROUTES = ("simple", "complex", "tool")

# Dollars per million tokens (input, output) for models known at release.
PRICES: dict[str, tuple[float, float]] = {
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-sonnet-4-6": (3.0, 15.0),
    "claude-opus-4-5": (5.0, 25.0),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.0),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.0, 8.0),
}


@dataclass(frozen=True)
class ModelSettings:
    """One chat model the assistant may use (``[models.NAME]`` in config.toml)."""

    name: str
    """The name used by ``/model``, the policy and the cost ledger."""
    provider: str
    """``llama`` (a local GGUF file), ``anthropic`` or ``openai`` (also any compatible server)."""
    model: str = ""
    """The provider's model id (``claude-haiku-4-5``, ``gpt-4o-mini``, ``llama3.2``)."""
    path: str = ""
    """For ``llama``: the GGUF file."""
    base_url: str = ""
    """For ``openai``/``anthropic``: another endpoint (Ollama, LM Studio, vLLM, llama.cpp)."""
    key_env: str = ""
    """Environment variable holding the API key (default per provider; ``"none"`` for none)."""
    tier: str = ""
    """``local``, ``cheap`` or ``strong`` (default: ``local`` for llama, else ``cheap``)."""
    input_price: float = -1.0
    """Dollars per million input tokens (default from the built-in price table, else 0)."""
    output_price: float = -1.0
    """Dollars per million output tokens."""
    context: int = 4096
    """Context window in tokens (llama: the ``n_ctx`` it is loaded with)."""
    timeout: float = 30.0
    """Seconds before a call counts as unreachable."""
    tools: bool = True
    """Offer native tool calling (llama models never get tools)."""

    @property
    def api_key_env(self) -> str:
        """The variable the key is read from, or ``""`` when the model needs none."""
        if self.key_env:
            return "" if self.key_env == "none" else self.key_env
        if self.provider == "anthropic":
            return "ANTHROPIC_API_KEY"
        if self.provider == "openai":
            return "" if self.base_url and _loopback(self.base_url) else "OPENAI_API_KEY"
        return ""


BUILTIN_MODELS = (
    ModelSettings("haiku", "anthropic", model="claude-haiku-4-5", tier="cheap"),
    ModelSettings("sonnet", "anthropic", model="claude-sonnet-4-6", tier="strong"),
    ModelSettings("gpt-mini", "openai", model="gpt-4.1-mini", tier="cheap"),
    ModelSettings("gpt", "openai", model="gpt-4.1", tier="strong"),
)


@dataclass(frozen=True)
class PolicySettings:
    """Which models answer each route, tried in order (``[policy]``): tier or model names."""

    simple: tuple[str, ...] = ("local", "cheap", "strong")
    """Greetings, small talk and simple facts: local first, else the cheapest cloud model."""
    complex: tuple[str, ...] = ("strong", "cheap", "local")
    """Analysis, planning, advice, writing: the strong cloud model first."""
    tool: tuple[str, ...] = ("strong", "cheap", "local")
    """Messages that need memories, reminders or other tools."""
    retries: int = 2
    """Retries (with exponential backoff) after a 429, 5xx or timeout, before falling back."""
    backoff: float = 0.5
    """Seconds before the first retry; doubled each time."""


@dataclass(frozen=True)
class BudgetSettings:
    """Spending limits in dollars (``[budget]``); 0 means no limit."""

    daily: float = 0.0
    """Past this, paid models are skipped for the rest of the day (at 80 %: no strong model)."""
    monthly: float = 0.0
    """Past this, paid models are skipped for the rest of the month (at 80 %: no strong model)."""


def parse_models(table: Any) -> tuple[ModelSettings, ...]:
    """The built-in catalogue overlaid with ``[models.*]`` from config.toml."""
    if table is None:
        table = {}
    if not isinstance(table, Mapping):
        raise ConfigError("[models] in config.toml must be a table of tables", key=("models",))
    by_name = {m.name: complete(m) for m in BUILTIN_MODELS}
    for name, raw in table.items():
        by_name[str(name)] = _model(str(name), raw)
    return tuple(by_name.values())


def _model(name: str, raw: Any) -> ModelSettings:
    where = ("models", name)
    if not isinstance(raw, Mapping):
        raise ConfigError(f"[models.{name}] must be a table", key=where)
    if dotted := _dotted_name(name, raw):
        raise ConfigError(
            f"[models.{dotted}] is read as nested tables, because of the dots in the name",
            key=where,
            fix=f"quote the name: [models.{table_key(dotted)}]",
        )
    allowed = {f.name for f in fields(ModelSettings)} - {"name"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown [models.{name}] settings: {', '.join(unknown)}",
            key=(*where, unknown[0]),
            fix=f"remove it, or use one of: {', '.join(sorted(allowed))}",
        )
    values: dict[str, Any] = {}
    for f in fields(ModelSettings):
        if f.name in raw:
            key = f"models.{name}.{f.name}"
            values[f.name] = _coerce(key, raw[f.name], f.default, (*where, f.name))
    model = ModelSettings(name=name, **values)
    if not _PROVIDER_NAME.fullmatch(model.provider):
        raise ConfigError(
            f"[models.{name}] provider must be a provider's name (built in: "
            f"{', '.join(PROVIDERS)}; a plugin may add others), not {model.provider!r}",
            key=(*where, "provider"),
        )
    if model.provider == "llama" and not model.path:
        raise ConfigError(f"[models.{name}] needs path = the GGUF file", key=where)
    if model.provider != "llama" and not model.model:
        raise ConfigError(f"[models.{name}] needs model = the provider's model id", key=where)
    return complete(model)


def _dotted_name(name: str, raw: Mapping[str, Any]) -> str:
    """The dotted name TOML split into nested tables (``[models.a.b]`` is ``a`` → ``b``), or
    "" when ``raw`` is one model's own table."""
    parts = [name]
    while "provider" not in raw and len(raw) == 1:
        ((key, inner),) = raw.items()
        if not isinstance(inner, Mapping):
            break
        parts.append(str(key))
        raw = inner
    return ".".join(parts) if len(parts) > 1 else ""


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def table_key(name: str) -> str:
    """``name`` as one TOML key: bare when it can be, else quoted (a name with dots in it
    would otherwise be read as nested tables)."""
    return name if _BARE_KEY.fullmatch(name) else toml_string(name)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    return json.dumps(text).replace("\x7f", "\\u007f")


def model_entry(name: str, path: Path) -> str:
    """The ``config.toml`` text that registers the GGUF file ``path`` as model ``name``."""
    return f'\n[models.{table_key(name)}]\nprovider = "llama"\npath = {toml_string(str(path))}\n'


def complete(model: ModelSettings) -> ModelSettings:
    """Fill in the defaults that depend on other fields (tier, prices, tools)."""
    tier = model.tier or ("local" if model.provider == "llama" else "cheap")
    if tier not in TIERS:
        raise ConfigError(
            f"[models.{model.name}] tier must be one of {', '.join(TIERS)}",
            key=("models", model.name, "tier"),
        )
    known = PRICES.get(model.model, (0.0, 0.0))
    return replace(
        model,
        tier=tier,
        input_price=model.input_price if model.input_price >= 0 else known[0],
        output_price=model.output_price if model.output_price >= 0 else known[1],
        tools=model.tools and model.provider != "llama",
    )


def parse_policy(table: Any) -> PolicySettings:
    """``[policy]`` from config.toml."""
    table = _table("policy", table)
    values: dict[str, Any] = {}
    for key in ROUTES:
        if key in table:
            order = table[key]
            if isinstance(order, str):
                order = [part.strip() for part in order.split(",") if part.strip()]
            if not isinstance(order, list) or not all(isinstance(x, str) for x in order):
                raise ConfigError(
                    f"policy.{key} must be a list of tier or model names", key=("policy", key)
                )
            values[key] = tuple(order)
    for key, default in (("retries", 2), ("backoff", 0.5)):
        if key in table:
            values[key] = _coerce(f"policy.{key}", table[key], default, ("policy", key))
    allowed = {*ROUTES, "retries", "backoff"}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown [policy] settings: {', '.join(unknown)}",
            key=("policy", unknown[0]),
            fix=f"remove it, or use one of: {', '.join(sorted(allowed))}",
        )
    return PolicySettings(**values)


def parse_budget(table: Any, environ: Mapping[str, str]) -> BudgetSettings:
    """``[budget]`` from config.toml, overridden by ``ASSISTANT_BUDGET_DAILY``/``_MONTHLY``."""
    table = _table("budget", table)
    unknown = sorted(set(table) - {"daily", "monthly"})
    if unknown:
        raise ConfigError(
            f"unknown [budget] settings: {', '.join(unknown)}",
            key=("budget", unknown[0]),
            fix="remove it, or use daily or monthly",
        )
    values = {}
    for key in ("daily", "monthly"):
        from_env = environ.get(f"ASSISTANT_BUDGET_{key.upper()}")
        raw = from_env or table.get(key)
        where = () if from_env else ("budget", key)
        if raw is not None:
            values[key] = _coerce(f"budget.{key}", raw, 0.0, where)
            if values[key] < 0:
                raise ConfigError(f"budget.{key} cannot be negative", key=where)
    return BudgetSettings(**values)


def _table(name: str, table: Any) -> Mapping[str, Any]:
    if table is None:
        return {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"[{name}] in config.toml must be a table", key=(name,))
    return table


def parse_flag(value: Any) -> bool:
    """A boolean setting from TOML (a bool) or the environment (``1``, ``true``, ``yes``)."""
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")


def _coerce(key: str, raw: Any, default: Any, where: tuple[str, ...] = ()) -> Any:
    try:
        if isinstance(default, bool):
            return parse_flag(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if not isinstance(raw, str):
            raise TypeError
        return raw
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {key} has an invalid value {raw!r}", key=where) from exc


def _loopback(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")
