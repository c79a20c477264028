"""A finished turn, and the listeners told about it after the reply (the conversation log,
learning): the answering pipeline publishes, and never waits for what they do.

Usage::

    listeners = TurnListeners()
    listeners.add(learning.on_turn)
    listeners.publish(FinishedTurn(...))
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.conversation.reply import InboundMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FinishedTurn:
    """One exchange, answered or cut short."""

    message: InboundMessage
    text: str
    """The message as it entered: cleaned, secrets redacted unless an explicit /remember."""
    session: str
    """The id of the conversation's session."""
    answer: str
    route: str
    model: str = ""
    """The model that wrote the answer; empty for a command or a reply without a model."""
    memories: tuple[str, ...] = ()
    """Ids of the memories the answer used."""
    interrupted: bool = False
    command: bool = False
    """Answered by a slash command, an intent or a confirmation: nothing to learn from it."""
    vector: Sequence[float] | None = field(default=None, compare=False, repr=False)
    """The message's embedding when the turn computed one (None for small talk)."""
    seconds: float = 0.0
    """How long the answer took, from the message to the end of the reply."""
    retrieval_seconds: float | None = None
    """How long retrieval took (None: skipped, for small talk and commands)."""


TurnListener = Callable[[FinishedTurn], None]
"""Told about each finished turn, on the answering thread: it must return at once (hand slow
work to a queue)."""


class TurnListeners:
    """The listeners of finished turns; one that raises is logged and the others still hear."""

    def __init__(self) -> None:
        self._listeners: list[TurnListener] = []
        self._lock = threading.Lock()

    def add(self, listener: TurnListener) -> None:
        """Tell ``listener`` about every turn from now on."""
        with self._lock:
            self._listeners.append(listener)

    def publish(self, turn: FinishedTurn) -> None:
        """Tell every listener about ``turn``; never raises."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(turn)
            except Exception as exc:  # a listener's bug never fails the reply
                log.error("a turn listener failed: %s", exc, exc_info=exc)
