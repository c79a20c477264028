"""The sample plugin distribution, installed once per module into a temp site folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent / "sample_plugin"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed sample distribution (and a plugin that fails)."""
    source = tmp_path_factory.mktemp("source") / "sample_plugin"
    shutil.copytree(SAMPLE, source)
    target = tmp_path_factory.mktemp("site")
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
    assert (target / "assistant_sample_plugin-1.2.0.dist-info" / "entry_points.txt").is_file()
    return target
