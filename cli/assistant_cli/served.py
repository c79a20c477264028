"""``search`` and ``remember`` answered by a running ``assistant serve``, warm.

Before the command line loads anything heavy, :func:`answered` looks at the arguments: a
plain ``search`` or ``remember`` (the options it knows, no ``--help`` or ``--debug``) goes
to serve's socket (:mod:`assistant.local_socket`) when one runs on the home, and the answer
is rendered by the same functions the command uses. Anything else, no serve, a stale
socket or a refusal: ``None``, and the command runs in this process as always.

Usage::

    code = answered(sys.argv[1:], os.environ)   # an exit status, or None
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Mapping, Sequence
from typing import Any

_GLOBAL_VALUES = {"--home": "home", "--vault": "vault"}
_GLOBAL_FLAGS = {"--verbose": "verbose", "-v": "verbose"}


class _Spec:
    """A command's options: those taking a value (name: key, type, repeatable), the flags
    (name: key), its one argument's key and the defaults."""

    def __init__(
        self,
        values: dict[str, tuple[str, type[Any], bool]],
        flags: dict[str, str],
        argument: str,
        defaults: dict[str, Any],
    ) -> None:
        self.values, self.flags, self.argument, self.defaults = values, flags, argument, defaults


_SPECS = {
    "search": _Spec(
        values={
            "-k": ("k", int, False),
            "--type": ("types", str, True),
            "-t": ("types", str, True),
            "--tag": ("tags", str, True),
            "--turns": ("turns", int, False),
        },
        flags={"--all": "all", "--json": "json", "--explain": "explain"},
        argument="query",
        defaults={"k": 10, "types": [], "tags": [], "turns": 3},
    ),
    "remember": _Spec(
        values={
            "--type": ("type", str, False),
            "-t": ("type", str, False),
            "--tag": ("tags", str, True),
            "--importance": ("importance", float, False),
        },
        flags={"--important": "important", "--json": "json"},
        argument="text",
        defaults={"type": None, "tags": [], "importance": None},
    ),
}


class _Call:
    """A command serve may answer: its name, arguments and the global options."""

    def __init__(
        self,
        command: str,
        args: dict[str, Any],
        home: str | None = None,
        vault: str | None = None,
        verbose: bool = False,
    ) -> None:
        self.command, self.args = command, args
        self.home, self.vault, self.verbose = home, vault, verbose


def answered(argv: Sequence[str], environ: Mapping[str, str]) -> int | None:
    """The exit status once serve answered the command in ``argv`` and the answer is
    shown; ``None`` when this process must do the work itself."""
    if not all(_utf8(arg) for arg in argv):
        return None  # the command's own process says which argument is not text
    call = _parse(list(argv))
    if call is None:
        return None
    from assistant import local_socket
    from assistant.paths import home_dir

    stdin: bytes | None = None
    if call.command == "remember" and call.args["text"] == "-":
        stdin = sys.stdin.buffer.read()
        try:
            call.args["text"] = stdin.decode("utf-8")
        except UnicodeDecodeError:
            from assistant.errors import InvalidInputError

            bad = InvalidInputError("standard input is not UTF-8 text")
            return _failed(bad.title, bad.message)
    home = home_dir(environ, call.home)
    args = {k: v for k, v in call.args.items() if k not in ("json", "explain")}
    try:
        answer = local_socket.ask(
            home,
            call.command,
            args,
            vault=call.vault,  # as given: the settings read it as the command would
            environ=environ,
        )
    except local_socket.NotPrivate as exc:
        sys.stderr.write(f"assistant: not asking assistant serve: {exc}\n")
        answer = None
    except local_socket.NoAnswer as exc:
        if call.command == "search":
            answer = None  # nothing was changed: search here
        else:
            return _failed(
                "No answer from assistant serve",
                f"{exc}; whether the memory was stored is not known "
                "(`assistant list -n 5` shows the newest)",
            )
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return 130
    if answer is None:
        if stdin is not None:  # read already: the command reads it again from here
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        if call.verbose:
            sys.stderr.write("answered in this process (no assistant serve answers here)\n")
        return None
    if call.verbose:
        sys.stderr.write(f"answered by assistant serve (process {answer.get('pid')})\n")
    if not answer.get("ok"):
        error = answer.get("error") or {}
        return _failed(str(error.get("title", "Error")), str(error.get("message", "")))
    with contextlib.suppress(BrokenPipeError):  # the reader went away (`… | head`)
        _show(call, answer["result"])
    return 0


def _utf8(arg: str) -> bool:
    """Whether ``arg`` is text (bytes that are not UTF-8 reach Python as lone surrogates)."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse(argv: list[str]) -> _Call | None:
    """The command and its arguments, when they are a plain ``search`` or ``remember``."""
    globals_: dict[str, Any] = {}
    while argv and argv[0].startswith("-"):
        token = argv.pop(0)
        name, eq, value = token.partition("=")
        if name in _GLOBAL_VALUES and (eq or argv):
            globals_[_GLOBAL_VALUES[name]] = value if eq else argv.pop(0)
        elif token in _GLOBAL_FLAGS:
            globals_[_GLOBAL_FLAGS[token]] = True
        else:
            return None  # --debug, --help, --version, anything unknown
    if not argv or argv[0] not in _SPECS:
        return None
    command = argv.pop(0)
    args = _parse_command(_SPECS[command], argv)
    if args is None:
        return None
    return _Call(command=command, args=args, **globals_)


def _parse_command(spec: _Spec, argv: list[str]) -> dict[str, Any] | None:
    args = {k: list(v) if isinstance(v, list) else v for k, v in spec.defaults.items()}
    args.update({key: False for key in spec.flags.values()})
    positional: list[str] = []
    only_arguments = False
    while argv:
        token = argv.pop(0)
        if only_arguments or token == "-" or not token.startswith("-"):
            positional.append(token)
            continue
        if token == "--":
            only_arguments = True
            continue
        name, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in spec.flags and not eq:
            args[spec.flags[name]] = True
        elif name in spec.values and (eq or argv):
            key, kind, repeated = spec.values[name]
            raw = value if eq else argv.pop(0)
            try:
                converted = kind(raw)
            except ValueError:
                return None  # the command says what is wrong with it
            if repeated:
                args[key].append(converted)
            else:
                args[key] = converted
        else:
            return None
    if len(positional) != 1:
        return None
    args[spec.argument] = positional[0]
    return args


def _failed(title: str, message: str) -> int:
    """Show an error as the command's one handler does; the exit status of an error."""
    from assistant.errors import AssistantError
    from assistant_cli import render
    from assistant_cli.status import ExitStatus

    render.error(AssistantError(message, title=title))
    return int(ExitStatus.ERROR)


def _show(call: _Call, result: dict[str, Any]) -> None:
    """Render serve's result as the command renders its own (``--json`` without Rich)."""
    from assistant_cli import json_view

    if call.command == "remember":
        if call.args["json"]:
            json_view.emit_json(result["memory"])
        else:
            print(result["memory"]["id"])
    elif call.args["json"]:
        json_view.emit_json(
            [json_view.hit_json(h) for h in result["hits"]]
            + [json_view.said_json(t) for t in result["said"]]
        )
    else:
        from assistant.wire import hit_from_wire, turn_hit_from_wire
        from assistant_cli import render

        render.hits([hit_from_wire(h) for h in result["hits"]], explain=call.args["explain"])
        render.said([turn_hit_from_wire(t) for t in result["said"]])
