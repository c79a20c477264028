"""Background work done in order on one thread, off the reply path; whatever fails there is
logged, never lost in silence.

Usage::

    queue = WorkQueue("bookkeeping")
    queue.submit("cost not recorded", ledger.record, entry)
    queue.flush()                     # everything submitted so far is done
    queue.close()
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable

from assistant.errors import AssistantError

log = logging.getLogger(__name__)


class WorkQueue:
    """One worker thread; each job's failure is logged with what it means for the user."""

    def __init__(self, name: str) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=name)
        self._pending: list[concurrent.futures.Future[object]] = []
        self._submitted: dict[concurrent.futures.Future[object], float] = {}
        """When each job not yet finished was submitted (monotonic), for :meth:`backlog`."""
        self._lock = threading.Lock()

    def submit(
        self, problem: str, job: Callable[..., object], *args: object
    ) -> concurrent.futures.Future[object]:
        """Run ``job(*args)`` after what was submitted before; ``problem`` says what its
        failure means ("turn not kept"), for the log."""
        submitted = time.monotonic()
        future = self._pool.submit(_logged, problem, job, *args)
        with self._lock:
            self._pending = [f for f in self._pending if not f.done()] + [future]
            self._submitted = {f: at for f, at in self._submitted.items() if not f.done()}
            self._submitted[future] = submitted
        return future

    def backlog(self) -> tuple[int, float]:
        """Jobs submitted and not finished, and the seconds the oldest of them has waited."""
        now = time.monotonic()
        with self._lock:
            waiting = [at for f, at in self._submitted.items() if not f.done()]
        return len(waiting), (now - min(waiting)) if waiting else 0.0

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the work submitted so far."""
        with self._lock:
            pending = list(self._pending)
        if pending:
            concurrent.futures.wait(pending, timeout=timeout)

    def flush(self) -> None:
        """Wait until everything submitted so far is done."""
        self._pool.submit(lambda: None).result()

    def close(self) -> None:
        """Finish the work submitted and stop the thread."""
        self._pool.shutdown(wait=True)


def _logged(problem: str, job: Callable[..., object], *args: object) -> object:
    """Run ``job``; its failure is logged before anyone waiting hears it is done. A known
    failure (a busy index, a model down) is a warning: the same error is met again, with its
    message, when the work is needed. Anything else is a bug: logged with its traceback."""
    try:
        return job(*args)
    except AssistantError as exc:
        log.warning("%s: %s", problem, exc)
        raise
    except Exception as exc:
        log.error("%s: %s", problem, exc, exc_info=exc)
        raise
