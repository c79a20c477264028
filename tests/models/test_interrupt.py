"""A returning user cuts a consolidation run's model call short: real MiniLM calls inside
``interruptible`` end when the stop event is set; shielded ones and those outside run on."""

import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from assistant import Assistant
from assistant.consolidation import Consolidator
from assistant.memories import Draft
from assistant.models.interrupt import Interrupted, interruptible, run_options, shielded
from assistant.models.minilm import MiniLMEmbedder

LONG = "We talked about the garden, the new shed and the tomatoes again today. " * 4
MANY = [f"{n}. {LONG}" for n in range(3000)]  # about 70 tokens each: many seconds of model time


def test_a_stop_ends_the_call_in_flight(minilm: MiniLMEmbedder) -> None:
    minilm.embed(["warm up"])
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.perf_counter()
    with interruptible(stop), pytest.raises(Interrupted):
        minilm.embed(MANY)
    took = time.perf_counter() - started
    assert stop.is_set()
    assert took < 10  # the whole batch takes far longer; bench/consolidation_run.py times it
    assert run_options() is None  # the block is over: later calls are plain again
    assert minilm.embed(["after"]).shape == (1, 384)


def test_a_stopped_thread_still_finishes_shielded_calls(minilm: MiniLMEmbedder) -> None:
    stop = threading.Event()
    stop.set()
    expected = minilm.embed(["My sister Anna lives in Lyon.", "hello"])
    with interruptible(stop):
        with pytest.raises(Interrupted):
            minilm.embed(["My sister Anna lives in Lyon."])
        with shielded():
            assert np.allclose(minilm.embed(["My sister Anna lives in Lyon.", "hello"]), expected)
        with pytest.raises(Interrupted):  # the shield ends with its block
            minilm.embed(["hello"])


def test_other_threads_are_never_interrupted(minilm: MiniLMEmbedder) -> None:
    stop = threading.Event()
    stop.set()
    other: list[object] = []
    with interruptible(stop):
        worker = threading.Thread(target=lambda: other.append(minilm.embed(["hello"])))
        worker.start()
        worker.join()
    assert len(other) == 1 and np.asarray(other[0]).shape == (1, 384)


def test_a_run_stopped_inside_a_model_call_is_preempted_not_failed(
    assistant: Assistant,
) -> None:
    past = datetime.now(UTC) - timedelta(days=2)
    assistant.memories.add_many(
        [
            Draft(
                f"Fact number {n // 2} is about topic {n // 2}, said {n % 2 + 1} times.",
                created_at=past,
            )
            for n in range(600)
        ]
    )
    stop = threading.Event()
    result: list[object] = []
    runner = threading.Thread(target=lambda: result.append(Consolidator(assistant).run(stop=stop)))
    runner.start()
    caught = False
    while runner.is_alive() and not caught:
        frame = sys._current_frames().get(runner.ident or 0)
        while frame is not None and not caught:
            caught = frame.f_code.co_name == "token_states"
            frame = frame.f_back
        time.sleep(0.001)
    stop.set()
    runner.join(60)
    [report] = result
    assert caught, "the run ended before a model call was seen"
    assert report.status == "preempted", report.errors  # type: ignore[attr-defined]
    assert not report.errors  # type: ignore[attr-defined]
    assert assistant.runs.history()[0].status == "preempted"
    again = Consolidator(assistant).run()
    assert again.status == "done" and not again.errors
