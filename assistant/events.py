"""Change events: the store says what changed, once, and whoever needs to know subscribes.

The generated pages (refreshed after a quiet moment) and the vault's git history (one line
per change in the next commit message) both follow the store this way, so a new writer, a new
command or a new front-end never has to remember to refresh or record anything.

Usage::

    feed = ChangeFeed()
    feed.subscribe(lambda changes: print([c.verb for c in changes]))
    feed.publish(Changed("remembered", ("01J…",), "My sister Anna lives in Lyon"))
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changed:
    """One change to the store."""

    verb: str
    """``remembered``, ``updated``, ``forgot``, ``archived``, ``restored``, ``synced``, …"""
    ids: tuple[str, ...]
    """The memories it touched (none for a conversation turn or a vault sync)."""
    text: str
    """What it was about, in a few words (a line of the history's commit message)."""


Subscriber = Callable[[Sequence[Changed]], None]


class ChangeFeed:
    """Delivers each published batch of changes to every subscriber, in the writer's thread;
    a subscriber that raises is logged and never fails the write."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` with every later batch; returns how to unsubscribe."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, changes: Sequence[Changed]) -> None:
        """Tell every subscriber about ``changes`` (nothing when empty)."""
        if not changes:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(changes)
            except Exception:  # a follower's failure never undoes or fails the write
                log.exception("a change subscriber failed")


class Journal:
    """The changes since the history's last commit, taken atomically by the committer."""

    def __init__(self) -> None:
        self._lines: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def __call__(self, changes: Sequence[Changed]) -> None:
        with self._lock:
            self._lines.extend((c.verb, c.text) for c in changes)

    def take(self) -> list[tuple[str, str]]:
        """The ``(verb, text)`` lines gathered since the last call, oldest first."""
        with self._lock:
            lines, self._lines = self._lines, []
        return lines


class Debounced:
    """Runs ``action`` once the changes have been quiet for ``delay`` seconds (in a timer
    thread), or now with :meth:`flush`."""

    def __init__(self, action: Callable[[], object], delay: float = 1.0) -> None:
        self._action = action
        self._delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, changes: Sequence[Changed]) -> None:
        with self._lock:
            if self._closed:
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._delay, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Run the pending action now, if there is one."""
        with self._lock:
            pending, self._timer = self._timer, None
        if pending is not None:
            pending.cancel()
            self._run()

    def close(self) -> None:
        """Run what is pending, then take no more."""
        self.flush()
        with self._lock:
            self._closed = True

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
        self._run()

    def _run(self) -> None:
        try:
            self._action()
        except Exception:
            log.exception("deferred work after a change failed")
