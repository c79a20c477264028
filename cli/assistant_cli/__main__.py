"""``python -m assistant_cli`` runs the ``assistant`` command."""

from assistant_cli.entry import run

run()
