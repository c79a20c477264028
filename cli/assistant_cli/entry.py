"""The ``assistant`` console script: a command a running ``assistant serve`` can answer is
sent to it before anything heavy loads (:mod:`assistant_cli.served`); every other command,
or that one when no serve answers, runs in this process."""

from __future__ import annotations

import contextlib
import os
import sys


def run() -> None:
    """Console-script entry point."""
    from assistant_cli.served import answered

    code = answered(sys.argv[1:], os.environ)
    if code is None:
        from assistant_cli.main import run as in_process

        in_process()  # exits
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away
            stream.flush()
    os._exit(code)
