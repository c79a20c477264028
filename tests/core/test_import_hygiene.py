"""The core stays free of UI and bridge libraries."""

import os
import subprocess
import sys
from pathlib import Path


def test_core_imports_no_ui_library() -> None:
    """Importing the core (and opening its public API) loads no textual, rich or typer."""
    code = (
        "import sys, assistant, assistant.doctor, assistant.memories;"
        "bad = [m for m in ('textual', 'rich', 'typer', 'discord', 'twilio') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_core_import_is_light() -> None:
    """Importing the core does not import lancedb, onnxruntime or torch (they load lazily)."""
    code = (
        "import sys, assistant;"
        "print(','.join(m for m in ('lancedb', 'onnxruntime', 'torch') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_command_line_starts_without_prometheus() -> None:
    """Building the command line (and reading its logs, doctor, settings) imports no
    prometheus_client: only a running ``assistant serve`` counts anything."""
    code = (
        "import sys, assistant_cli.main, assistant.doctor, assistant.observability.logs;"
        "assistant_cli.main.build_app();"
        "print(','.join(m for m in ('prometheus_client', 'aiohttp') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_opening_a_home_imports_lancedb_only_when_the_vectors_are_read(tmp_path: Path) -> None:
    """Opening an existing home costs no lancedb import (1.3-4 s); the first search pays it,
    and finds what was written before."""
    home = tmp_path / "home"
    write = (
        "from assistant import Assistant\n"
        f"with Assistant.open({str(home)!r}) as a:\n"
        "    a.memories.add('The spare key is under the blue flowerpot')\n"
    )
    read = (
        "import sys\nfrom assistant import Assistant\n"
        f"with Assistant.open({str(home)!r}) as a:\n"
        "    print('lancedb' in sys.modules)\n"
        "    found = a.memories.search('where is the spare key', k=1)\n"
        "    print('lancedb' in sys.modules, found[0].memory.text)\n"
    )
    environ = {**os.environ, "ASSISTANT_EMBEDDER": "hash"}
    for code in (write, read):
        result = subprocess.run(
            [sys.executable, "-c", code], env=environ, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    opened, searched = result.stdout.strip().splitlines()
    assert opened == "False", "opening the home imported lancedb"
    assert searched == "True The spare key is under the blue flowerpot"
