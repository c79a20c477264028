"""Conversations: one per channel and sender, each with its own session, working memory and
open question, answering one message at a time; different conversations answer at once.

A tool that needs the user's yes (forgetting) asks the conversation whose answer runs it:
through the front-end's own prompt when it has one (the terminal, the browser), otherwise as a
question at the end of the reply, settled by that conversation's next message and by no other.

Usage::

    sessions = Sessions(paths.cache_dir(home) / "session")
    conversation = sessions.of("discord", "1234")
    with conversation.lock:
        conversation.working.touch("dinner plans")
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.conversation.session import WorkingMemory
from assistant.models.chat import ToolCall

Confirm = Callable[[str], bool]
"""Asks the user a yes-or-no question; True means yes."""
ANSWER_WITHIN = 900.0
"""Seconds a question waits for its yes or no; a later answer settles nothing."""
_YES = re.compile(
    r"^(?:y|yes|yep|yeah|sure|ok|okay|confirm(?:ed)?|do it|go ahead|please do)\s*[.!]*$",
    re.IGNORECASE,
)
_NO = re.compile(r"^(?:n|no|nope|don'?t|do not|cancel|keep it)\s*[.!]*$", re.IGNORECASE)


def conversation_key(channel: str, sender: str, thread: str = "") -> str:
    """The name of a conversation: its channel and sender, and the place on the channel it
    happens in when a channel has several (a Discord DM and a server channel are two)."""
    return f"{channel}/{sender}" + (f"/{thread}" if thread else "")


@dataclass(frozen=True)
class OpenQuestion:
    """A tool call waiting for the user's yes or no."""

    question: str
    call: ToolCall
    asked_at: float


class Conversation:
    """One channel and sender: its session and working memory, and the question it was asked."""

    def __init__(self, channel: str, sender: str, working: WorkingMemory, thread: str = "") -> None:
        self.channel = channel
        self.sender = sender
        self.thread = thread
        self.key = conversation_key(channel, sender, thread)
        self.working = working
        self.lock = threading.Lock()
        """Held while a message of this conversation is answered."""
        self.question: OpenQuestion | None = None
        self.last_list: tuple[str, float] | None = None
        """The list the last message added to or took from, and when: "oh and bananas" right
        after adds to it."""

    def settle(self, text: str, at: float) -> tuple[OpenQuestion, bool] | None:
        """The open question ``text`` answers, and whether it says yes; None when it answers
        none. Any message closes the question: a yes later on is about something else."""
        question, self.question = self.question, None
        if question is None or not 0 <= at - question.asked_at <= ANSWER_WITHIN:
            return None
        if _YES.match(text.strip()):
            return question, True
        if _NO.match(text.strip()):
            return question, False
        return None


class Sessions:
    """The conversations of one process, over one working-memory cache shared by processes."""

    def __init__(self, directory: Path) -> None:
        self._working = WorkingMemory(directory)
        self._open: dict[str, Conversation] = {}
        self._lock = threading.Lock()

    def of(self, channel: str, sender: str, thread: str = "") -> Conversation:
        """The conversation of ``sender`` on ``channel`` (in ``thread``), opened on its first
        message."""
        key = conversation_key(channel, sender, thread)
        with self._lock:
            found = self._open.get(key)
            if found is None:
                found = Conversation(channel, sender, self._working.conversation(key), thread)
                self._open[key] = found
            return found

    def open(self) -> list[Conversation]:
        """The conversations that had a message in this process."""
        with self._lock:
            return list(self._open.values())

    def close(self) -> None:
        """Release the cache files."""
        self._working.close()


@dataclass
class _Asking:
    conversation: Conversation
    call: ToolCall
    at: float
    answer: bool | None = None


class Confirmations:
    """The ``confirm`` a tool runner calls, sending each question to the conversation whose
    tool call asks it.

    ``ask`` is the front-end's own prompt (None under ``serve``: the question then goes back
    in the reply). The answering thread says whose call runs with :meth:`running`.
    """

    def __init__(self, ask: Confirm | None = None) -> None:
        self.ask = ask
        self._here = threading.local()

    @contextmanager
    def running(
        self, conversation: Conversation, call: ToolCall, at: float, answer: bool | None = None
    ) -> Iterator[None]:
        """While ``call`` runs for ``conversation`` on this thread, its questions go there;
        ``answer`` is the user's yes or no when it settles an open question."""
        self._here.now = _Asking(conversation, call, at, answer)
        try:
            yield
        finally:
            self._here.now = None

    def __call__(self, question: str) -> bool:
        """Whether the user says yes to ``question`` now; False when the answer is to come."""
        asking: _Asking | None = getattr(self._here, "now", None)
        if asking is not None and asking.answer is not None:
            return asking.answer
        if self.ask is not None:
            return self.ask(question)
        if asking is not None:
            asking.conversation.question = OpenQuestion(question, asking.call, asking.at)
        return False
