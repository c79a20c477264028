"""``python -m assistant_cli`` runs the ``assistant`` command."""

from assistant_cli.main import run

run()
