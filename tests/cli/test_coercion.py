"""Option values checked without pydantic give Typer's own answer, value for value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _coercion, core
from typer.testing import CliRunner

from assistant_cli import coercion

RAW = [
    "5",
    "0",
    "-3",
    "05",
    "+5",
    " 5",
    "1e3",
    "2.50",
    "abc",
    "",
    "99999999999999999999",
    5,
    2.5,
    True,
]


@pytest.mark.parametrize(
    ("annotation", "info"),
    [
        (int, typer.models.OptionInfo()),
        (int, typer.models.OptionInfo(min=1)),
        (int, typer.models.OptionInfo(min=1, max=10)),
        (float, typer.models.OptionInfo()),
        (float, typer.models.OptionInfo(min=0.0, max=1.0)),
        (str, typer.models.OptionInfo()),
        (list[str], typer.models.OptionInfo()),
    ],
)
def test_the_quick_check_agrees_with_typers(annotation: Any, info: Any) -> None:
    """Every value the quick check accepts, Typer's check turns into the same value; every
    other value gets Typer's own result, error message included."""
    coercion.install()
    descriptor = _coercion.resolve_type_descriptor(annotation, info)
    quick = core.build_runtime_param(descriptor)  # type: ignore[attr-defined]
    typers = _coercion.build_runtime_param(descriptor)
    assert type(quick) is not type(typers)
    for value in RAW if annotation is not list[str] else [("a", "b"), ["c"], "d", (1,)]:
        expected = _typers_answer(typers, value)
        got = _typers_answer(quick, value)
        assert got == expected, (annotation, info, value)
        if got[0] == "ok":
            assert type(got[1]) is type(expected[1])


def _typers_answer(param: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", param._coerce_value(value, param=None, ctx=None)
    except typer.BadParameter as exc:
        return "error", exc.message


def test_a_command_still_refuses_a_bad_value(tmp_path: Path) -> None:
    """Through the whole command line: a value out of range or of the wrong kind gets the
    usual usage error (exit 2) and a good one runs."""
    from assistant_cli.main import build_app

    runner = CliRunner()
    env = {"ASSISTANT_HOME": str(tmp_path / "home"), "ASSISTANT_EMBEDDER": "hash"}
    app = build_app()
    for argv in (["history", "-n", "0"], ["history", "-n", "many"], ["costs", "--days", "1.5"]):
        result = runner.invoke(app, argv, env=env)
        assert result.exit_code == 2, (argv, result.output)
    result = runner.invoke(app, ["history", "-n", "3"], env=env)
    assert result.exit_code == 0, result.output
