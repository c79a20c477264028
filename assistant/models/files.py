"""Local model files: register a GGUF in config.toml, downloading it first when given a URL
(resumable, with a sha256 check)."""

from __future__ import annotations

import hashlib
import http.client
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from assistant import paths
from assistant.errors import (
    InvalidInputError,
    ModelResponseError,
    ModelUnavailableError,
    storage_error,
)
from assistant.models.llama_chat import check_gguf
from assistant.models.settings import model_entry
from assistant.settings import Settings

Progress = Callable[[int, int], None]
_CHUNK = 1 << 20


def models_dir(settings: Settings) -> Path:
    """Where downloaded GGUF files are kept."""
    return settings.home / "models"


def add_model(
    settings: Settings,
    source: str,
    *,
    name: str = "",
    sha256: str = "",
    on_progress: Progress | None = None,
) -> tuple[str, Path]:
    """Register a GGUF file (a path, or a URL to download) as ``[models.NAME]``.

    Returns the model's name and file. The file is checked to be a GGUF before anything is
    written to config.toml; a failed download keeps its partial file for resuming.
    """
    if re.match(r"^https?://", source):
        path = download(source, models_dir(settings), sha256=sha256, on_progress=on_progress)
    else:
        path = Path(source).expanduser().resolve()
        if sha256 and file_sha256(path) != sha256.lower():
            raise ModelResponseError(f"{path.name} does not match the expected sha256")
    problem = check_gguf(path)
    if problem:
        raise InvalidInputError(problem)
    name = name or _name_for(path)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
        raise InvalidInputError(f"{name!r} is not a usable model name (letters, digits, . _ -)")
    if any(m.name == name for m in settings.models):
        raise InvalidInputError(f"a model named {name!r} exists; pick another with --name")
    config = paths.config_file(settings.home)
    entry = model_entry(name, path)
    try:
        config.parent.mkdir(parents=True, exist_ok=True)
        with config.open("a", encoding="utf-8") as handle:
            handle.write(entry)
    except OSError as exc:
        raise storage_error(exc, config) from exc
    return name, path


def download(
    url: str, folder: Path, *, sha256: str = "", on_progress: Progress | None = None
) -> Path:
    """Fetch ``url`` into ``folder``, resuming a previous partial download."""
    filename = Path(urllib.request.url2pathname(url.split("?", 1)[0])).name or "model.gguf"
    if not filename.endswith(".gguf"):
        filename += ".gguf"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / filename
    partial = target.with_name(target.name + ".part")
    have = partial.stat().st_size if partial.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            resumed = response.status == 206
            total = int(response.headers.get("Content-Length") or 0) + (have if resumed else 0)
            done = have if resumed else 0
            with partial.open("ab" if resumed else "wb") as out:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if on_progress:
                        on_progress(done, total)
            if total and done < total:
                raise ConnectionError(f"got {done:,} of {total:,} bytes")
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # already complete
            pass
        else:
            raise ModelUnavailableError(f"download failed: HTTP {exc.code} for {url}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise ModelUnavailableError(
            f"download interrupted ({exc}); run it again to resume"
        ) from exc
    if sha256 and file_sha256(partial) != sha256.lower():
        partial.unlink()
        raise ModelResponseError(f"{filename} does not match the expected sha256; deleted it")
    partial.replace(target)
    return target


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror}") from exc
    return digest.hexdigest()


def _name_for(path: Path) -> str:
    """A name to type after ``/model``: the file's stem in letters, digits, ``-`` and ``_``
    (``SmolLM2-135M-Instruct.Q4_1.gguf`` → ``SmolLM2-135M-Instruct-Q4_1``)."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-_") or "local"
    return stem[:64].rstrip("-_")
