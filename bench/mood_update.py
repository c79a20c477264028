"""The mood update's cost per turn (target: it adds ≤ 2 ms to a turn).

A turn hands its finished exchange to the companion's listener, which queues the update; the
update itself (the emotion head over the embedding the turn already computed, the PAD step,
the needs) and its write to the records run after the reply on the companion's thread.
Printed: the time the listener adds to the turn, the persona's lines for the next prompt
(the note is only stat'ed unless it changed; mood and needs come from memory), the update's
own work given the embedding (what a turn would pay if it ran inline), the write, and the
floor beside them: the emotion head's matrix product alone, the least any learned update
costs. For scale, what reusing the embedding saves: embedding the message again with MiniLM.

python bench/mood_update.py [--turns 200]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
from common import ROOT, summary

from assistant import Assistant
from assistant.companion.companion import Companion
from assistant.companion.mood import step
from assistant.companion.needs import exchange_kinds
from assistant.conversation.reply import InboundMessage
from assistant.conversation.turns import FinishedTurn
from assistant.learning.labelled import load_rows
from assistant.models.minilm import MiniLMEmbedder
from assistant.settings import read_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    embedder = MiniLMEmbedder(ROOT / ".cache" / "models")
    embedder.load()
    texts = [text for _, text in load_rows("emotions.tsv")][: args.turns]
    vectors = embedder.embed(texts)
    with tempfile.TemporaryDirectory() as home:
        environ = {**os.environ, "ASSISTANT_HOME": home}
        assistant = Assistant(read_settings({}, environ), embedder=embedder)
        companion = Companion(assistant)
        companion.warm_up()
        weights = companion.emotions.classifier.weights()
        listener, work, write, floor, embed, prompt = [], [], [], [], [], []
        for text, vector in zip(texts, vectors, strict=True):
            turn = FinishedTurn(InboundMessage(text), text, "s", "ok", "complex", vector=vector)
            started = time.perf_counter()
            companion.on_turn(turn)
            listener.append(_ms(started))
            companion.flush()
            started = time.perf_counter()
            companion.instructions()
            prompt.append(_ms(started))
            started = time.perf_counter()
            heard = companion.emotions.hear(text, vector)
            step(companion.mood(), heard, companion.traits)
            companion.needs()
            exchange_kinds(text, "complex", max(heard, key=heard.__getitem__))
            work.append(_ms(started))
            row = companion.emotions.classifier.matrix([text], [vector])
            started = time.perf_counter()
            np.argmax(row @ weights.T)
            floor.append(_ms(started))
            started = time.perf_counter()
            companion.hear(text, vector)
            write.append(_ms(started) - work[-1])
        for text in texts[:50]:
            started = time.perf_counter()
            embedder.embed([text + " ."])
            embed.append(_ms(started))
        companion.close()
        assistant.close()
    added = summary("added to the turn (the listener queues the update)", listener)
    print(added + "; target ≤ 2 ms")
    print(summary("persona and mood instructions for the next prompt", prompt))
    print(summary("the update's work, given the embedding (if it ran inline)", work))
    floor.sort()
    print(
        f"floor: the emotion head's matrix product alone: p50 {floor[len(floor) // 2]:.3f} ms, "
        f"min {floor[0]:.3f} ms (n={len(floor)})"
    )
    print(summary("the records write, after the reply (approx.)", write))
    print(summary("saved by reusing the embedding: MiniLM on the message", embed))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
