"""Option values checked without pydantic where that gives the same answer.

Typer (from 0.29) checks every option of the command that runs through a pydantic
``TypeAdapter``, which imports pydantic and builds a schema per option: about 0.1-0.2 s of
every command. The options here are plain strings, integers, floats, booleans and lists of
strings, mostly left at their defaults; such a value is returned as it is (a number only when
it lies in the option's range). Anything else (a path, a number out of range or written
differently, another type) goes to Typer's own check, built when first needed, so every
error message is Typer's. On a Typer without this layer nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,17})")
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?")


def install() -> None:
    """Use the quick check for every option Typer builds from here on (idempotent)."""
    try:
        from typer import _coercion, core
    except ImportError:  # a Typer that checks values its own way
        return
    build = getattr(core, "build_runtime_param", None)
    runtime = getattr(_coercion, "RuntimeParam", None)
    if build is None or runtime is None or getattr(build, "quick", False):
        return
    typers: Callable[[Any], Any] = build

    @dataclass(frozen=True)
    class Quick(runtime):  # type: ignore[misc, valid-type]
        """A value of the plain kind returned as it is; any other to Typer's check."""

        descriptor: Any = None
        full: list[Any] = field(default_factory=list)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            plain = _plain(self.annotation, self.parameter_info, value)
            if plain is not _NOT_PLAIN:
                return plain
            if not self.full:
                self.full.append(typers(self.descriptor))
            return self.full[0]._coerce_value(value, param=param, ctx=ctx)

    def quick(descriptor: Any) -> Any:
        if descriptor.annotation in _KINDS and descriptor.file_annotation is None:
            info = descriptor.parameter_info
            return Quick(info, descriptor.annotation, descriptor)
        return typers(descriptor)

    quick.quick = True  # type: ignore[attr-defined]
    core.build_runtime_param = quick  # type: ignore[attr-defined]


_NOT_PLAIN = object()
_KINDS = (str, bool, int, float, list[str])


def _plain(annotation: Any, info: Any, value: Any) -> Any:
    """``value`` as the option's type when that needs no judgement, else ``_NOT_PLAIN``."""
    if getattr(info, "parser", None) is not None:
        return _NOT_PLAIN
    if annotation is str:
        return value if isinstance(value, str) else _NOT_PLAIN
    if annotation is bool:
        return value if isinstance(value, bool) else _NOT_PLAIN
    if annotation == list[str]:
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        return items if all(isinstance(i, str) for i in items) else _NOT_PLAIN
    if annotation is int:
        number: Any = value if type(value) is int else None
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            number = int(value)
    elif annotation is float:
        number = float(value) if type(value) in (int, float) else None
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            number = float(value)
    else:
        return _NOT_PLAIN
    if number is None or getattr(info, "clamp", False):
        return _NOT_PLAIN
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if (low is not None and number < low) or (high is not None and number > high):
        return _NOT_PLAIN
    return number
