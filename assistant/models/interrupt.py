"""Model calls a returning user cuts short.

A consolidation run embeds and reads pairs in batches of a few hundred milliseconds of model
time. Looking at its stop event between batches leaves a new message waiting for the batch in
flight. Inside :func:`interruptible`, every ONNX Runtime call the thread makes runs with one
``RunOptions``, and a watcher sets its ``terminate`` flag the moment the event is set: the
call in flight ends within a few milliseconds and raises :class:`Interrupted`.

Writes stay whole: the embedding of notes already written runs inside :func:`shielded`.

Usage::

    with interruptible(stop):      # stop: the run's threading.Event
        vectors = embedder.embed(texts)   # raises Interrupted once stop is set
        with shielded():
            vectors = embedder.embed(written)   # runs to the end
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

WATCH_SECONDS = 0.05
"""How long the watcher waits on the event at a time: it wakes at once when the event is
set, and at most this long after the block ends."""

_local = threading.local()


class Interrupted(Exception):
    """A model call ended early because its thread was asked to stop. Not an
    :class:`~assistant.errors.AssistantError`: nothing failed, and no job may count it as
    its own failure and go on."""


def run_options() -> Any:
    """The ``RunOptions`` for this thread's model calls: None outside :func:`interruptible`."""
    return getattr(_local, "options", None)


def interrupted(options: Any) -> bool:
    """Whether a call made with ``options`` (from :func:`run_options`) was cut short."""
    return options is not None and bool(options.terminate)


@contextmanager
def shielded() -> Iterator[None]:
    """Let this thread's model calls run to the end, even inside :func:`interruptible`: for
    the embedding of notes already written, so a stop never leaves the index behind them."""
    options = run_options()
    _local.options = None
    try:
        yield
    finally:
        _local.options = options


@contextmanager
def interruptible(stop: threading.Event) -> Iterator[None]:
    """Make this thread's model calls end as soon as ``stop`` is set (they raise
    :class:`Interrupted`). Nests: an inner block keeps the outer one's options."""
    if run_options() is not None:
        yield
        return
    try:
        import onnxruntime as ort
    except ImportError:  # no model can run either: nothing to interrupt
        yield
        return
    options = ort.RunOptions()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if stop.wait(WATCH_SECONDS):
                options.terminate = True
                return

    watcher = threading.Thread(target=watch, name="model-interrupt", daemon=True)
    _local.options = options
    watcher.start()
    try:
        yield
    finally:
        _local.options = None
        done.set()
        watcher.join()
