"""The core stays free of UI and bridge libraries."""

import subprocess
import sys


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
