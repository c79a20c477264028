"""The sample plugin distribution (``tests/plugins/sample_plugin``), installed into a folder of
its own as pip installs any plugin."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLE = Path(__file__).parent / "sample_plugin"


def install_sample(target: Path) -> Path:
    """Install the sample distribution into ``target`` (a folder for ``PYTHONPATH``), built
    from a copy so that no build files land in the source tree; returns ``target``."""
    with tempfile.TemporaryDirectory(prefix="sample-plugin-") as work:
        source = Path(work) / "sample_plugin"
        shutil.copytree(SAMPLE, source)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--no-index",
                "--no-build-isolation",
                "--target",
                str(target),
                str(source),
            ],
            check=True,
            capture_output=True,
        )
    return target
