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


def test_reading_a_home_never_imports_lancedb(tmp_path: Path) -> None:
    """Opening an existing home and searching it costs no lancedb import (1.3-4 s): reads
    come from the snapshot file the last write left, and find what was written before."""
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
    assert searched == "False The spare key is under the blue flowerpot"


HEAVY = (
    "numpy",
    "pyarrow",
    "duckdb",
    "lancedb",
    "onnxruntime",
    "tokenizers",
    "torch",
    "aiohttp",
    "mcp",
    "prometheus_client",
    "cryptography",
    "textual",
)


def test_the_command_line_help_imports_nothing_heavy(tmp_path: Path) -> None:
    """Building the whole command set and printing its help (and any group's) loads no
    store, model, server or crypto library: ``assistant --help`` stays near Typer's cost."""
    code = (
        "import sys, contextlib, io\n"
        "import assistant_cli.main as main\n"
        "for argv in (['--help'], ['--version'], ['models', '--help'], ['vault', '--help']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main.build_app()(argv, prog_name='assistant')\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    environ = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_lancedb_loads_without_its_rest_client_apis(tmp_path: Path) -> None:
    """A write imports lancedb without building its REST client's API classes (over half of
    the import), and they still load when something asks for one."""
    code = (
        "import sys\n"
        "import pyarrow as pa\n"
        "from pathlib import Path\n"
        "from assistant.store.lance_table import LanceTable\n"
        "schema = pa.schema([('id', pa.string())])\n"
        f"table = LanceTable(Path({str(tmp_path)!r}), 't', schema, what='t')\n"
        "table.write(pa.table({'id': ['a', 'b']}, schema=schema), new=True)\n"
        "print(table.get().count_rows())\n"
        "print(any('urllib3_client.api' in m for m in sys.modules))\n"
        "import lance_namespace_urllib3_client as client\n"
        "print(client.TableApi.__name__, client.models.JsonArrowField.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["2", "False", "TableApi JsonArrowField"]


LIGHT = ("onnxruntime", "tokenizers", "lancedb", "numpy", "pyarrow", "pydantic")


def test_commands_that_never_embed_load_no_model_and_no_lancedb(tmp_path: Path) -> None:
    """``assistant history`` and ``assistant costs`` on an existing home load neither the
    embedding model (onnxruntime, 0.5 s and more) nor lancedb, nor numpy, pyarrow or the
    pydantic that Typer would check their options with: they read the records alone."""
    home = tmp_path / "home"
    setup = f"from assistant import Assistant\nAssistant.open({str(home)!r}).close()\n"
    made = subprocess.run(
        [sys.executable, "-c", setup],
        env={**os.environ, "ASSISTANT_EMBEDDER": "hash"},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    code = (
        "import sys, contextlib, io\n"
        "import assistant_cli.main as main\n"
        "for argv in (['history', '-n', '5'], ['costs', '--days', '7']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main.build_app()(argv, prog_name='assistant')\n"
        f"print(','.join(m for m in {LIGHT!r} if m in sys.modules))\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "ASSISTANT_EMBEDDER"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "ASSISTANT_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
