"""``assistant plugins``: what is installed and loaded."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from assistant.plugins import plugins as known_plugins
from assistant_cli import render


def register(app: typer.Typer) -> None:
    """Add the plugins command to ``app``."""
    app.command("plugins")(list_plugins)


def list_plugins(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List the built-in providers and the installed plugins: loaded, or why not."""
    found = known_plugins()
    if as_json:
        render.emit_json([p.as_dict() for p in found])
        return
    table = Table("plugin", "version", "hooks", "status", box=None)
    for plugin in found:
        if plugin.error:
            status = f"[red]not loaded:[/] {escape(plugin.error)}"
        else:
            status = "[green]built in[/]" if plugin.builtin else "[green]loaded[/]"
        table.add_row(
            escape(plugin.name), escape(plugin.version), escape(", ".join(plugin.hooks)), status
        )
    render.out.print(table)
    if not any(not p.builtin for p in found):
        render.out.print(
            "[dim]No plugins installed. A plugin is a package with an entry point in the "
            "'assistant' group (see plugins/README.md).[/]"
        )
