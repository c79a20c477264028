"""The configured chat models, and the escalation policy that picks among them per message."""

from __future__ import annotations

import json
import logging
import stat
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.errors import ConfigError
from assistant.models.chat import ChatModel, ModelInfo
from assistant.models.settings import BudgetSettings, ModelSettings, PolicySettings

log = logging.getLogger(__name__)


def load_keys(environ: Mapping[str, str], home: Path) -> dict[str, str]:
    """API keys: ``keys.json`` in the home (only when its mode is 0600), then the environment,
    which wins. Keys never live in config.toml or the vault, which may be synced."""
    keys: dict[str, str] = {}
    file = home / "keys.json"
    try:
        mode = file.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("ignoring %s: it must be readable by you only (chmod 600)", file)
        else:
            loaded = json.loads(file.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                keys.update({str(k): str(v) for k, v in loaded.items()})
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        log.warning("ignoring %s: %s", file, exc)
    keys.update({k: v for k, v in environ.items() if k.endswith("_API_KEY") and v})
    return keys


def build_model(config: ModelSettings, keys: Mapping[str, str]) -> ChatModel:
    """The chat model described by ``config`` (no network, no weights loaded yet)."""
    info = ModelInfo(
        name=config.name,
        provider=config.provider,
        model=config.model or config.path,
        tier=config.tier,
        input_price=config.input_price,
        output_price=config.output_price,
        tools=config.tools,
    )
    key = keys.get(config.api_key_env, "") if config.api_key_env else ""
    from assistant.plugins import model_factories

    factories = model_factories()
    factory = factories.get(config.provider)
    if factory is None:
        raise ConfigError(
            f"[models.{config.name}] provider {config.provider!r} is not installed",
            fix=f"use one of: {', '.join(sorted(factories))}, or install the plugin that adds it",
        )
    return factory(info, config, key)


@dataclass(frozen=True)
class Choice:
    """The models to try for one message, in order, and what the user should be told."""

    models: list[ChatModel]
    notices: list[str]


class ModelRegistry:
    """The chat models this assistant may use, by name.

    Usage::

        registry = ModelRegistry([build_model(m, keys) for m in settings.models], policy, budget)
        choice = registry.choose("complex", spent_today=0.12, spent_month=3.4)
    """

    def __init__(
        self,
        models: Sequence[ChatModel],
        policy: PolicySettings,
        budget: BudgetSettings,
        *,
        forced: str = "",
    ) -> None:
        self._models = {m.info.name: m for m in models}
        self.policy = policy
        self.budget = budget
        self.forced = forced

    def models(self) -> list[ChatModel]:
        """Every configured model, in configuration order."""
        return list(self._models.values())

    def get(self, name: str) -> ChatModel | None:
        """The model called ``name``, if configured."""
        return self._models.get(name)

    def add(self, model: ChatModel) -> None:
        """Register another model (a plugin's, or one added at run time)."""
        self._models[model.info.name] = model

    def close(self) -> None:
        """Close every model's connections."""
        for model in self._models.values():
            model.close()

    def usable(self) -> list[ChatModel]:
        """Models that are ready now (key present, file valid)."""
        return [m for m in self._models.values() if not m.check()]

    def strong(self) -> ModelInfo | None:
        """The strong model the routing saving is measured against."""
        strong = [m.info for m in self._models.values() if m.info.tier == "strong"]
        ready = [m.info for m in self.usable() if m.info.tier == "strong"]
        found = ready or strong
        return found[0] if found else None

    def choose(self, route: str, spent_today: float, spent_month: float) -> Choice:
        """The usable models for ``route`` in policy order, with budget downgrades applied."""
        order: list[ChatModel] = []
        if self.forced and self.forced in self._models:
            order.append(self._models[self.forced])
        for entry in getattr(self.policy, route, self.policy.complex):
            if entry in self._models:
                order.append(self._models[entry])
            else:
                order += [m for m in self._models.values() if m.info.tier == entry]
        notices: list[str] = []
        over, near = _budget_state(self.budget, spent_today, spent_month)
        ready: list[ChatModel] = []
        for model in dict.fromkeys(order):  # keeps order, drops repeats
            problem = model.check()
            paid = model.info.input_price > 0 or model.info.output_price > 0
            if problem:
                if model.info.name == self.forced:
                    notices.append(f"{model.info.name} is not usable: {problem}")
                continue
            if over and paid:
                continue
            if near and model.info.tier == "strong" and paid:
                continue
            ready.append(model)
        if over:
            notices.append(f"{over} reached: paid models are paused, using free ones.")
        elif near:
            notices.append(f"{near} almost reached (80 %): not using the strong model.")
        return Choice(ready, notices)


def _budget_state(budget: BudgetSettings, today: float, month: float) -> tuple[str, str]:
    over = near = ""
    for label, limit, spent in (
        ("daily budget", budget.daily, today),
        ("monthly budget", budget.monthly, month),
    ):
        if limit <= 0:
            continue
        if spent >= limit:
            over = over or f"The {label} (${limit:.2f})"
        elif spent >= 0.8 * limit:
            near = near or f"The {label} (${limit:.2f})"
    return over, near


def period_starts(now: float | None = None) -> tuple[float, float]:
    """Unix times of the start of today and of this month, in local time."""
    moment = datetime.fromtimestamp(time.time() if now is None else now)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp(), day.replace(day=1).timestamp()
