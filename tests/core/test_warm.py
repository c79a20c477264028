"""``python -m assistant.warm`` prepares the shared model cache: every classifier's weights
(and, with MiniLM, its export and the pair reader's); a part that cannot be built is reported
and left for first use, never raised."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from assistant.errors import EmbeddingError
from assistant.learning.classifier import fit, one_blas_thread
from assistant.models.base import Matrix
from assistant.models.fakes import HashEmbedder
from assistant.warm import warm


class Unloadable(HashEmbedder):
    """An embedder whose model cannot load (a cache on a full disk, a broken install)."""

    def embed(self, texts: Sequence[str]) -> Matrix:
        raise EmbeddingError("the embedding model could not be loaded")


def test_every_part_is_prepared_and_reported(tmp_path: Path) -> None:
    said: list[str] = []
    assert warm(HashEmbedder(), tmp_path, said.append) == []
    assert [line.split(":")[0].strip() for line in said] == [
        "embedding model",
        "router",
        "clauses",
        "corrections",
        "injection",
        "instructions",
        "emotions",
        "continuations",
        "keepers",
    ]
    assert all("ready in" in line for line in said)


def test_a_part_that_cannot_be_built_is_reported_and_skipped(tmp_path: Path) -> None:
    said: list[str] = []
    failed = warm(Unloadable(), tmp_path, said.append)
    assert failed and "router" in failed and "embedding model" in failed
    assert all("built on first use" in line for line in said if "not prepared" in line)
    assert not any(tmp_path.iterdir())


def test_the_command_trains_every_classifier_into_the_cache_it_is_given(tmp_path: Path) -> None:
    """In a process of its own, where no weights are in memory yet."""
    env = {
        **os.environ,
        "ASSISTANT_MODEL_CACHE": str(tmp_path / "models"),
        "ASSISTANT_HOME": str(tmp_path / "home"),
        "ASSISTANT_EMBEDDER": "hash",
    }
    done = subprocess.run(
        [sys.executable, "-m", "assistant.warm"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "router: ready" in done.stdout and done.stdout.rstrip().endswith("done")
    built = {p.name.split("-")[0] for p in (tmp_path / "models").iterdir()}
    assert built == {
        "router",
        "clauses",
        "acts",
        "injection",
        "instructions",
        "emotions",
        "continuations",
        "keep",
    }
    assert "Traceback" not in done.stderr


def _warm_in(cache: Path, home: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ASSISTANT_MODEL_CACHE": str(cache),
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_EMBEDDER": "hash",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.warm"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(runs: list[subprocess.Popen[str]]) -> list[tuple[str, str]]:
    """What each run printed; a run still going after four minutes is killed, so that no
    process or pipe outlives the test."""
    try:
        return [run.communicate(timeout=240) for run in runs]
    finally:
        for run in runs:
            run.kill()
            run.communicate()


def test_two_processes_training_into_one_cache_at_once_both_succeed(tmp_path: Path) -> None:
    """A chat started while ``assistant serve`` trains after an upgrade: each writes a file of
    its own and moves it into place, so neither reads the other's half-written weights; and a
    file left half-written (a crash, a full disk) is trained again, not raised."""
    cache = tmp_path / "models"
    runs = [_warm_in(cache, tmp_path / f"home{n}") for n in range(2)]
    for run, (out, err) in zip(runs, _finish(runs), strict=True):
        assert run.returncode == 0 and out.rstrip().endswith("done"), err
        assert "Traceback" not in err and "not prepared" not in out
    assert not [p.name for p in cache.iterdir() if ".tmp" in p.name]
    cut = [p for p in cache.iterdir() if p.name.startswith(("clauses-", "router-"))]
    assert {p.suffix for p in cut} == {".npz", ".npy"}
    for path in cut:  # cut short
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    again = _warm_in(cache, tmp_path / "home0")
    [(out, err)] = _finish([again])
    assert again.returncode == 0 and "not prepared" not in out, out
    assert "Traceback" not in err
    for path in cut:  # whole again
        loaded = np.load(path)
        if isinstance(loaded, np.lib.npyio.NpzFile):
            assert loaded.files
            loaded.close()
        else:
            assert loaded.size


def _blas_threads() -> int:
    return min(int(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas")


def test_training_holds_blas_to_one_thread_until_the_last_trainer_is_done() -> None:
    """Two trainers overlapping (a warm-up thread and a consolidation): the first to finish
    leaves the limit for the other, and the last one gives the cores back."""
    with threadpool_limits(limits=2, user_api="blas"):
        first, second = one_blas_thread(), one_blas_thread()
        first.__enter__()
        assert _blas_threads() == 1
        second.__enter__()
        first.__exit__(None, None, None)
        assert _blas_threads() == 1
        second.__exit__(None, None, None)
        assert _blas_threads() == 2
        fit(np.eye(3, dtype=np.float32), [0, 1, 1], 2, epochs=5)
        assert _blas_threads() == 2
