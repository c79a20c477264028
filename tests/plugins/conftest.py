"""The sample plugin distribution, installed once per module into a temp site folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins.sample import install_sample


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed sample distribution (and a plugin that fails)."""
    target = install_sample(tmp_path_factory.mktemp("site"))
    assert (target / "assistant_sample_plugin-1.2.0.dist-info" / "entry_points.txt").is_file()
    return target
