"""The plugin manager: built-in providers plus plugins from the ``assistant`` entry-point
group, loaded by ``load_plugins()`` (front-ends call it; importing this module loads nothing).

``ASSISTANT_LOAD_PLUGINS`` selects plugins: unset loads every installed one, ``a,b`` only
those (entry-point or distribution names), an empty value none. A plugin that fails to load,
or raises in a hook, is reported and skipped, never fatal.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy

from assistant import hookspecs
from assistant.hookspecs import BridgeFactory, ModelFactory, ToolHandler
from assistant.models.chat import ToolSpec

log = logging.getLogger(__name__)

GROUP = "assistant"
ENV = "ASSISTANT_LOAD_PLUGINS"
BUILTIN = ("assistant.models.providers",)

pm = pluggy.PluginManager(GROUP)
pm.add_hookspecs(hookspecs)


@dataclass(frozen=True)
class PluginInfo:
    """One plugin: loaded (with the hooks it implements) or not (with why)."""

    name: str
    distribution: str = ""
    version: str = ""
    hooks: tuple[str, ...] = ()
    builtin: bool = False
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The fields, for ``--json``."""
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "hooks": list(self.hooks),
            "builtin": self.builtin,
            "loaded": not self.error,
            "error": self.error,
        }


@dataclass
class _State:
    builtins: bool = False
    loaded: bool = False
    found: dict[str, PluginInfo] = field(default_factory=dict)
    """Entry-point plugins by name: loaded, failed or left out by the allow-list."""


_state = _State()
_lock = threading.RLock()


def _register_builtins() -> None:
    with _lock:
        if _state.builtins:
            return
        for name in BUILTIN:
            pm.register(import_module(name), name=name)
        _state.builtins = True


def load_plugins(environ: Mapping[str, str] | None = None) -> list[PluginInfo]:
    """Register the built-ins and the installed plugins ``ASSISTANT_LOAD_PLUGINS`` allows
    (once; later calls return what the first found). Returns the plugins that failed."""
    environ = os.environ if environ is None else environ
    with _lock:
        _register_builtins()
        if not _state.loaded:
            _state.loaded = True
            allowed = _allowed(environ.get(ENV))
            for point in entry_points(group=GROUP):
                dist = point.dist.name if point.dist is not None else ""
                if allowed is not None and not {point.name, dist} & allowed:
                    continue
                _state.found[point.name] = _load(point.name, point.load, dist, point)
        failed = [p for p in _state.found.values() if p.error]
    for plugin in failed:
        log.warning("plugin %s not loaded: %s", plugin.name, plugin.error)
    return failed


def _allowed(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


def _load(name: str, load: Callable[[], Any], dist: str, point: Any) -> PluginInfo:
    version = point.dist.version if point.dist is not None else ""
    try:
        module = load()
        if pm.is_registered(module) or pm.get_plugin(name) is not None:
            raise ValueError("another plugin of that name is loaded")
        pm.register(module, name=name)
    except Exception as exc:  # a plugin must never stop the assistant from starting
        return PluginInfo(name, dist, version, error=f"{type(exc).__name__}: {exc}")
    return PluginInfo(name, dist, version, _hooks(module))


def _hooks(module: object) -> tuple[str, ...]:
    return tuple(sorted(h.name for h in pm.get_hookcallers(module) or []))


def plugins() -> list[PluginInfo]:
    """Every plugin known: the built-ins, then the installed ones (loaded or not), by name."""
    with _lock:
        _register_builtins()
        builtin = [
            PluginInfo(name, "assistant", _version(), _hooks(pm.get_plugin(name)), builtin=True)
            for name in BUILTIN
        ]
        return builtin + sorted(_state.found.values(), key=lambda p: p.name)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("assistant")
    except PackageNotFoundError:
        return ""


def call_each(hook: str, **kwargs: Any) -> None:
    """Call one hook on every plugin, each on its own: one that raises is reported and the
    others still run."""
    _register_builtins()
    caller = getattr(pm.hook, hook, None)
    if caller is None:
        return
    for impl in caller.get_hookimpls():
        try:
            impl.function(**kwargs)
        except Exception as exc:
            log.warning("plugin %s failed in %s: %s", impl.plugin_name, hook, exc)


def model_factories() -> dict[str, ModelFactory]:
    """Model providers by name (built-in and from plugins)."""
    found: dict[str, ModelFactory] = {}
    call_each("register_models", register=lambda name, f: found.setdefault(str(name), f))
    return found


def plugin_tools() -> list[tuple[ToolSpec, ToolHandler]]:
    """Tools the plugins offer the models, with their handlers."""
    found: list[tuple[ToolSpec, ToolHandler]] = []

    def register(spec: ToolSpec, handler: ToolHandler) -> None:
        if isinstance(spec, ToolSpec) and callable(handler):
            found.append((spec, handler))
        else:
            log.warning("a plugin registered a tool that is not a ToolSpec and a function")

    call_each("register_tools", register=register)
    return found


def bridge_factories() -> dict[str, BridgeFactory]:
    """Bridges by name, from plugins."""
    found: dict[str, BridgeFactory] = {}
    call_each("register_bridges", register=lambda name, f: found.setdefault(str(name), f))
    return found


def unload_plugins() -> None:
    """Forget every entry-point plugin (for a fresh ``load_plugins``, as in tests)."""
    with _lock:
        for name in list(_state.found):
            plugin = pm.get_plugin(name)
            if isinstance(plugin, ModuleType) or plugin is not None:
                pm.unregister(plugin)
        _state.found.clear()
        _state.loaded = False
