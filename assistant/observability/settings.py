"""Settings of metrics, health endpoints and logs (``[observability]`` in config.toml)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from assistant.errors import ConfigError
from assistant.models.settings import parse_flag

LOG_LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True)
class ObservabilitySettings:
    """Where ``assistant serve`` answers ``/metrics`` and ``/health``, and how logs are kept."""

    http: bool = True
    """Serve ``/metrics``, ``/health``, ``/health/live`` and ``/health/ready`` while
    ``assistant serve`` runs (with or without bridges)."""
    host: str = "127.0.0.1"
    """Address of those endpoints: loopback unless you choose otherwise (they need no key, so
    expose them only to a network you trust)."""
    port: int = 9464
    """Port of those endpoints (0: any free port; the one taken is in ``serve --check``)."""
    log_level: str = "info"
    """Lowest level written to the log files: ``debug``, ``info``, ``warning`` or ``error``."""
    log_files: int = 5
    """Log files kept: the current ``assistant.log`` and the rotated ones before it."""
    log_file_mb: float = 5.0
    """Size at which the log file is rotated, in megabytes."""
    model_error_minutes: float = 15.0
    """A model whose latest call in this many minutes failed makes health ``degraded``."""


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "http": parse_flag,
    "host": str,
    "port": int,
    "log_level": lambda v: str(v).lower(),
    "log_files": int,
    "log_file_mb": float,
    "model_error_minutes": float,
}


def parse_observability(raw: Any, environ: Mapping[str, str]) -> ObservabilitySettings:
    """The ``[observability]`` table, each key overridable by ``ASSISTANT_OBSERVABILITY_<KEY>``."""
    table = {} if raw is None else raw
    if not isinstance(table, Mapping):
        raise ConfigError("[observability] in config.toml must be a table", key=("observability",))
    known = {f.name for f in fields(ObservabilitySettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"unknown [observability] settings: {', '.join(unknown)}",
            key=("observability", unknown[0]),
            fix=f"remove it, or use one of: {', '.join(sorted(known))}",
        )
    values: dict[str, Any] = {}
    for key, parse in _PARSERS.items():
        from_env = environ.get(f"ASSISTANT_OBSERVABILITY_{key.upper()}")
        value = from_env or table.get(key)
        if value is None:
            continue
        try:
            values[key] = parse(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"setting observability.{key} has an invalid value {value!r}",
                key=() if from_env else ("observability", key),
            ) from exc
    return _validate(replace(ObservabilitySettings(), **values))


def _validate(settings: ObservabilitySettings) -> ObservabilitySettings:
    if not 0 <= settings.port <= 65535:
        raise ConfigError("observability.port must be between 0 and 65535")
    if settings.log_level not in LOG_LEVELS:
        raise ConfigError(f"observability.log_level must be one of {', '.join(LOG_LEVELS)}")
    if settings.log_files < 2 or settings.log_file_mb <= 0:
        raise ConfigError(
            "observability.log_files must be 2 or more (the current file and one rotated), "
            "and log_file_mb positive"
        )
    if settings.model_error_minutes <= 0:
        raise ConfigError("observability.model_error_minutes must be positive")
    return settings
