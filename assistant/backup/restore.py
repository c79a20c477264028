"""Restoring a backup into an empty home, then checking it.

The archive is first extracted and checked into ``<home>/.restore/`` (a staging folder on
the same disk), marked ready, then each part (``config.toml``, the records, the vault) is
renamed into place. Killed at any point (``kill -9``, a power cut), running the same restore
again finishes it: an unready staging folder is extracted afresh; a ready one carries on
with the parts not yet moved. Then the indexes are rebuilt from the vault, the health checks
run and the counts are compared with the manifest.

With ``force``, what a part replaces is never deleted: each restore moves it into a folder
of its own in the home, ``replaced-by-restore-<the restore's UTC time>`` (with ``-2``, ``-3``…
when that name is taken), chosen once and kept across a resumed restore.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.backup.archive import Passphrase, extract_archive
from assistant.backup.errors import RestoreRefused
from assistant.backup.manifest import Counts, Manifest
from assistant.backup.snapshot import CONFIG, VAULT
from assistant.errors import storage_error
from assistant.models.base import Embedder
from assistant.settings import Settings, load_settings

log = logging.getLogger(__name__)

STAGING = ".restore"
_READY = "READY"
_SOURCE = "source.json"
ASIDE = "replaced-by-restore-"
"""The start of the name of each folder in the home holding what a forced restore replaced."""
_IGNORED = {STAGING, "logs", "backups"}
"""What may be in a home that still counts as empty: the CLI opens its log first, and the
default backup folder may hold the very archive being restored."""
_DATA_CHECKS = {"home", "vault", "index", "records", "note", "temp files"}
"""The health checks a restore must pass; the others (models, embeddings) are about this
machine, not the data, and are reported without failing it."""

Step = Callable[[str], None]
"""Told each step as it starts (``extract``, ``move config.toml``, ``index``, ``check``)."""


@dataclass
class RestoreReport:
    """What a restore did and found."""

    home: Path
    vault: Path
    manifest: Manifest
    counts: Counts
    """What the restored home holds (compare with ``manifest.counts``)."""
    resumed: bool = False
    """Whether an interrupted restore was finished."""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    """Failed data checks and count mismatches: empty when the restore is verified."""
    warnings: list[str] = field(default_factory=list)
    """Failed checks about this machine (models, embeddings)."""
    set_aside: Path | None = None
    """The folder holding what the restore replaced (None: it replaced nothing)."""

    @property
    def ok(self) -> bool:
        """Whether the restored home passed every check."""
        return not self.problems


def restore_backup(
    archive: Path,
    flags: Mapping[str, Any],
    environ: Mapping[str, str],
    passphrase: Passphrase,
    *,
    force: bool = False,
    embedder: Embedder | None = None,
    on_step: Step | None = None,
    now: datetime | None = None,
) -> RestoreReport:
    """Restore ``archive`` into the home named by ``flags``/``environ`` (which must be
    empty unless ``force``: then what it held is moved into a folder of this restore's own
    in the home, named after ``now``, never deleted), rebuild its indexes and check it."""
    started = time.perf_counter()
    step = on_step or (lambda name: None)
    home = paths.home_dir(environ, flags.get("home"))
    staging = home / STAGING
    resumed = staging.exists()  # a restore killed before it finished
    if (staging / _READY).exists():
        manifest, aside = _resume(staging, archive, now)
    else:
        _refuse_unless_empty(home, force)
        step("extract")
        aside = _free_aside(home, now or datetime.now(UTC))
        manifest = _extract(archive, staging, passphrase, aside)
    settings = _target_settings(staging, flags, environ)
    target = _vault_target(settings, manifest)
    if not (staging / "moved").exists() and not force:
        _refuse_unless_empty_vault(target, staging, home)
    parts = [
        (staging / "files" / CONFIG, paths.config_file(home)),
        (staging / "files" / "records", paths.records_dir(home)),
        (staging / "files" / VAULT / _scope_part(manifest), target),
    ]
    (staging / "moved").mkdir(exist_ok=True)
    for source, destination in parts:
        step(f"move {destination.name}")
        _move_into_place(source, destination, aside / destination.name)
    for derived in (paths.index_dir(home), paths.cache_dir(home)):
        shutil.rmtree(derived, ignore_errors=True)  # rebuilt from what was restored
    step("index")
    report = _check(settings, manifest, environ, embedder, step)
    report.resumed = resumed
    report.set_aside = aside if aside.exists() else None
    shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _refuse_unless_empty(home: Path, force: bool) -> None:
    held = sorted(p.name for p in home.iterdir() if p.name not in _IGNORED) if home.is_dir() else []
    if held and not force:
        raise RestoreRefused(
            f"{home} is not empty (it holds {', '.join(held[:4])}"
            f"{'…' if len(held) > 4 else ''}); restore into an empty home with --home, or "
            "add --force to move what it holds aside"
        )


def _refuse_unless_empty_vault(target: Path, staging: Path, home: Path) -> None:
    if target.is_relative_to(home):
        return  # checked with the home
    if target.is_dir() and any(target.iterdir()):
        shutil.rmtree(staging, ignore_errors=True)
        raise RestoreRefused(
            f"the vault folder {target} is not empty; point --vault elsewhere, or add --force "
            "to move what it holds aside"
        )


def _free_aside(home: Path, now: datetime) -> Path:
    """A folder name in ``home`` for what this restore replaces, after its time ``now``
    (UTC), that nothing holds yet: a folder set aside before is never added to."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%S")
    aside, counter = home / f"{ASIDE}{stamp}", 2
    while aside.exists() or aside.is_symlink():
        aside, counter = home / f"{ASIDE}{stamp}-{counter}", counter + 1
    return aside


def _extract(archive: Path, staging: Path, passphrase: Passphrase, aside: Path) -> Manifest:
    shutil.rmtree(staging, ignore_errors=True)  # an earlier try that never became ready
    try:
        paths.private_dir(staging.parent)  # the home, its owner's only
        staging.mkdir(mode=paths.PRIVATE)
        manifest = extract_archive(archive, staging / "files", passphrase)
        source = {
            "archive": str(archive.resolve()),
            "manifest": manifest.to_json().decode(),
            "aside": aside.name,
        }
        (staging / _SOURCE).write_text(json.dumps(source), encoding="utf-8")
        os.sync()  # every staged file on disk before the mark that says so
        (staging / _READY).write_text("", encoding="utf-8")
        _fsync(staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_error(exc, staging) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _resume(staging: Path, archive: Path, now: datetime | None) -> tuple[Manifest, Path]:
    """The manifest and set-aside folder of the interrupted restore staged in ``staging``,
    if it was of ``archive``."""
    source = json.loads((staging / _SOURCE).read_text(encoding="utf-8"))
    manifest = Manifest.from_json(source["manifest"].encode())
    if source["archive"] != str(archive.resolve()):
        raise RestoreRefused(
            f"an interrupted restore of {source['archive']} is unfinished here; run the "
            f"restore of that archive again to finish it, or remove {staging} to start over",
            title="Restore in progress",
        )
    log.info("finishing the interrupted restore of %s", archive)
    home = staging.parent
    if "aside" in source:
        return manifest, home / Path(source["aside"]).name
    return manifest, _free_aside(home, now or datetime.now(UTC))


def _target_settings(
    staging: Path, flags: Mapping[str, Any], environ: Mapping[str, str]
) -> Settings:
    """The restored home's settings: its flags and environment over the restored
    config.toml (still staged, or already in place)."""
    home = paths.home_dir(environ, flags.get("home"))
    for config in (staging / "files" / CONFIG, paths.config_file(home)):
        if config.is_file():
            return load_settings(flags, environ, config.read_text(encoding="utf-8"))
    return load_settings(flags, environ, None)


def _scope_part(manifest: Manifest) -> str:
    return "" if manifest.vault_scope == "vault" else "Assistant"


def _vault_target(settings: Settings, manifest: Manifest) -> Path:
    return settings.vault if manifest.vault_scope == "vault" else settings.assistant_dir


def _move_into_place(source: Path, destination: Path, aside: Path) -> None:
    """Rename a staged part into place (once: a part already moved is gone from staging).
    What held its place is moved ``aside`` (in this restore's own folder) the first time;
    after that, what is there is a part of this restore cut off by a crash, and is
    replaced."""
    if not source.exists():
        return
    try:
        if destination.exists() or destination.is_symlink():
            if not aside.exists():
                _set_aside(destination, aside)
            else:
                _remove(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, destination)
        except OSError:  # another disk (a vault kept elsewhere): copy, then drop the staging
            partial = destination.with_name(f".{destination.name}.restoring")
            _remove(partial)
            if source.is_dir():
                shutil.copytree(source, partial)
            else:
                shutil.copy2(source, partial)
            os.replace(partial, destination)
            _remove(source)
    except OSError as exc:
        raise storage_error(exc, destination) from exc


def _set_aside(destination: Path, aside: Path) -> None:
    """Move ``destination`` to ``aside``, which does not exist yet. Across disks it is
    copied under a temporary name first: ``aside`` exists only once it is whole, and only
    then is ``destination`` removed."""
    paths.private_dir(aside.parent)
    try:
        os.rename(destination, aside)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    partial = aside.with_name(f".{aside.name}.partial")
    _remove(partial)
    if destination.is_dir() and not destination.is_symlink():
        shutil.copytree(destination, partial, symlinks=True)
    else:
        shutil.copy2(destination, partial, follow_symlinks=False)
    os.replace(partial, aside)
    _remove(destination)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _check(
    settings: Settings,
    manifest: Manifest,
    environ: Mapping[str, str],
    embedder: Embedder | None,
    step: Step,
) -> RestoreReport:
    from assistant.core import Assistant
    from assistant.doctor import run_checks

    with Assistant(settings, embedder=embedder) as assistant:  # rebuilds the missing index
        assistant.refresh_pages(everything=True)
        step("check")
        checks = run_checks(assistant, environ)
        invalid = sum(1 for check in checks if check.name == "note")
        counts = _counts(assistant, invalid)
    report = RestoreReport(settings.home, settings.vault, manifest, counts)
    for check in checks:
        if not check.ok:
            kept = report.problems if check.name in _DATA_CHECKS else report.warnings
            kept.append(f"{check.name}: {check.detail}")
    want = manifest.counts
    for name in ("memories", "turns", "conversations", "reminders", "costs"):
        if getattr(counts, name) != getattr(want, name):
            report.problems.append(
                f"{name}: the backup held {getattr(want, name)}, the restored home has "
                f"{getattr(counts, name)}"
            )
    return report


def _counts(assistant: Any, invalid: int) -> Counts:
    """What the restored home holds; memories are the notes indexed plus those that could
    not be (each a failed check of its own)."""
    with assistant.db.connect() as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM turns), (SELECT count(DISTINCT session) FROM turns),"
            " (SELECT count(*) FROM reminders), (SELECT count(*) FROM costs)"
        ).fetchone()
    turns, conversations, reminders, costs = row or (0, 0, 0, 0)
    indexed = len(assistant.memories.index.all())
    return Counts(indexed + invalid, int(turns), int(conversations), int(reminders), int(costs))


def _fsync(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
