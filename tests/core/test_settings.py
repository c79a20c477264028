"""Settings precedence: flag > ASSISTANT_* env > config.toml > defaults."""

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import load_settings, read_settings

CONFIG = """
embedder = "hash"
lock_timeout = 3
vault = "/tmp/config-vault"

[retrieval]
weight_recency = 0.3
"""


def test_defaults(tmp_path: Path) -> None:
    s = load_settings({}, {"ASSISTANT_HOME": str(tmp_path)}, None)
    assert s.home == tmp_path.resolve()
    assert s.vault == tmp_path.resolve() / "vault"
    assert s.assistant_dir == s.vault / "Assistant"
    assert s.embedder == "minilm"
    assert s.retrieval.weight_relevance == pytest.approx(0.6)


def test_config_overrides_defaults(tmp_path: Path) -> None:
    s = load_settings({}, {"ASSISTANT_HOME": str(tmp_path)}, CONFIG)
    assert s.embedder == "hash"
    assert s.lock_timeout == 3.0
    assert s.vault == Path("/tmp/config-vault")
    assert s.retrieval.weight_recency == pytest.approx(0.3)


def test_env_overrides_config_and_flag_overrides_env(tmp_path: Path) -> None:
    environ = {
        "ASSISTANT_HOME": str(tmp_path),
        "ASSISTANT_VAULT": "/tmp/env-vault",
        "ASSISTANT_LOCK_TIMEOUT": "7",
        "ASSISTANT_RETRIEVAL_WEIGHT_RECENCY": "0.5",
    }
    s = load_settings({}, environ, CONFIG)
    assert s.vault == Path("/tmp/env-vault")
    assert s.lock_timeout == 7.0
    assert s.retrieval.weight_recency == pytest.approx(0.5)
    s = load_settings({"vault": "/tmp/flag-vault", "home": str(tmp_path / "x")}, environ, CONFIG)
    assert s.vault == Path("/tmp/flag-vault")
    assert s.home == (tmp_path / "x").resolve()


def test_editor_from_environment(tmp_path: Path) -> None:
    s = load_settings({}, {"ASSISTANT_HOME": str(tmp_path), "EDITOR": "nano -w"}, None)
    assert s.editor == "nano -w"


@pytest.mark.parametrize(
    "text",
    [
        "embedder = [",  # not TOML
        'embedder = "gpt"',  # unknown backend
        "lock_timeout = 'soon'",  # not a number
        "[retrieval]\nwieght = 1",  # unknown key
        "[retrieval]\nmmr_lambda = 2",  # out of range
    ],
)
def test_invalid_config_is_a_clear_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError):
        load_settings({}, {"ASSISTANT_HOME": str(tmp_path)}, text)


def test_read_settings_reads_config_in_home(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('embedder = "hash"\n')
    assert read_settings({}, {"ASSISTANT_HOME": str(tmp_path)}).embedder == "hash"
