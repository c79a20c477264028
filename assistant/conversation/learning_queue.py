"""Learning after the reply, never before it: each turn is kept as evidence, then learned
from, on one background thread. What was learned waits as notices for the front-end; what
failed is logged.

Usage::

    learning = LearningQueue(assistant.memories, learner)
    listeners.add(learning.on_turn)
    ...
    learning.learned(wait=5)          # [Notice("(remembered: My sister's name is Anna.)"), ...]
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from assistant.conversation.reply import InboundMessage, Notice
from assistant.conversation.turns import FinishedTurn
from assistant.conversation.work_queue import WorkQueue
from assistant.learning.learner import Learned, Learner
from assistant.memories import Memories

_SAID = {
    "remembered": "(remembered: {})",
    "reinforced": "(already knew: {})",
    "corrected": "Updated: {}",
    "forgot": "Forgot: {}",
    "redacted": "I did not keep {}.",
    "ignored": "(not stored: {})",
    "instructed": "(noted for every answer: {})",
    "instructed again": "(already noted for every answer: {})",
    "reinstructed": "(noted for every answer: {})",
    "uninstructed": "(no longer noted for every answer: {})",
}


class LearningQueue:
    """Keeps and learns from finished turns in the background."""

    def __init__(self, memories: Memories, learner: Learner) -> None:
        self.memories = memories
        self.learner = learner
        self._queue = WorkQueue("learning")
        self._notices: list[Notice] = []
        self._lock = threading.Lock()
        self.project_of: Callable[[InboundMessage], str | None] = lambda message: None
        """The project a message's place works in (None: the home's own); what the
        message teaches goes there."""

    def on_turn(self, turn: FinishedTurn) -> None:
        """After the reply: keep the user's message as evidence (in the session's transcript
        note and the evidence index), then learn from it. Commands teach nothing."""
        if turn.command:
            return
        self._queue.submit(
            "turn not kept",
            self.memories.evidence.keep,
            turn.session,
            turn.message.at,
            turn.text,
            turn.answer,
        )
        said = datetime.fromtimestamp(turn.message.at, UTC)
        project = self.project_of(turn.message)
        self._queue.submit("learning failed", self._learn, turn.text, turn.session, said, project)

    def _learn(self, text: str, session: str, said: datetime, project: str | None = None) -> None:
        turn = said.isoformat(timespec="seconds")
        with self.memories.scoped(project):
            changes = self.learner.learn(text, conversation=session, turn=turn, at=said)
        for change in changes:
            self.tell(_notice(change))

    def tell(self, notice: Notice) -> None:
        """Keep ``notice`` for the next :meth:`learned`."""
        with self._lock:
            self._notices.append(notice)

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the learning under way (what a retraction may
        take back)."""
        self._queue.wait(timeout)

    def learned(self, wait: float = 0.0) -> list[Notice]:
        """What was learned since the last call, once each; waits up to ``wait`` seconds for
        learning still under way."""
        if wait > 0:
            self._queue.wait(wait)
        with self._lock:
            found, self._notices = self._notices, []
        return found

    def backlog(self) -> tuple[int, float]:
        """Jobs waiting or under way (keeping turns, learning from them), and the seconds the
        oldest has waited: how far learning lags behind the conversation."""
        return self._queue.backlog()

    def close(self) -> None:
        """Finish the learning under way."""
        self._queue.close()


def _notice(change: Learned) -> Notice:
    line = _SAID.get(change.action, "{}").format(change.text)
    return Notice(line, "warning" if change.action == "corrected" else "info")
