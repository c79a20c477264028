"""``assistant persona``: the assistant's traits, mood with its history, quirks and needs;
``assistant persona set`` chooses a preset, custom traits or a name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from assistant.companion.traits import PRESETS
from assistant_cli import render
from assistant_cli.context import state

if TYPE_CHECKING:
    from assistant.companion.companion import Companion


def register(app: typer.Typer) -> None:
    """Add the ``persona`` group to ``app``."""
    group = typer.Typer(
        help="The assistant's persona: traits, mood, quirks and needs.",
        invoke_without_command=True,
    )
    group.callback(invoke_without_command=True)(persona)
    group.command("set")(choose)
    app.add_typer(group, name="persona")


@contextmanager
def _companion(ctx: typer.Context) -> Iterator[Companion]:
    from assistant.companion.companion import Companion

    companion = Companion(state(ctx).open())
    try:
        yield companion
    finally:
        companion.close()


def persona(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    history: int = typer.Option(20, "--history", min=0, help="Mood steps to show."),
) -> None:
    """Show the traits, the mood with its history, the quirks and the needs."""
    if ctx.invoked_subcommand is not None:
        return
    from assistant.companion.view import describe, snapshot

    with _companion(ctx) as companion:
        if as_json:
            render.emit_json(snapshot(companion, history=history))
            return
        text = describe(companion)  # names a problem with the note, once
    render.out.print(escape(text), highlight=False)


def choose(
    ctx: typer.Context,
    preset: str | None = typer.Option(None, "--preset", help=f"One of: {', '.join(PRESETS)}."),
    name: str | None = typer.Option(None, "--name", help="What the assistant calls itself."),
    openness: float | None = typer.Option(None, "--openness", min=0.0, max=1.0),
    conscientiousness: float | None = typer.Option(None, "--conscientiousness", min=0.0, max=1.0),
    extraversion: float | None = typer.Option(None, "--extraversion", min=0.0, max=1.0),
    agreeableness: float | None = typer.Option(None, "--agreeableness", min=0.0, max=1.0),
    neuroticism: float | None = typer.Option(None, "--neuroticism", min=0.0, max=1.0),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Choose a preset, custom trait values (0 to 1) or a name; written to Persona.md."""
    given = {
        "openness": openness,
        "conscientiousness": conscientiousness,
        "extraversion": extraversion,
        "agreeableness": agreeableness,
        "neuroticism": neuroticism,
    }
    traits = {k: v for k, v in given.items() if v is not None}
    if preset is None and name is None and not traits:
        raise typer.BadParameter("give --preset, --name or at least one trait value")
    with _companion(ctx) as companion:
        chosen = companion.choose(preset=preset, traits=traits, name=name)
    if as_json:
        render.emit_json(
            {"name": chosen.name, "preset": chosen.preset, "traits": chosen.traits.as_dict()}
        )
        return
    values = ", ".join(f"{k} {v:.2f}" for k, v in chosen.traits.as_dict().items())
    render.out.print(
        escape(f"{chosen.name} is now {chosen.preset.replace('_', ' ')}: {values}"),
        highlight=False,
    )
