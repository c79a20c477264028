"""Settings precedence: flag > ASSISTANT_* env > config.toml > defaults."""

from pathlib import Path

import pytest

from assistant.bridge_config import number
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


MODELS = """
model = "local"

[models.local]
provider = "llama"
path = "~/models/small.gguf"

[models.ollama]
provider = "openai"
base_url = "http://127.0.0.1:11434/v1"
model = "llama3.2"
tier = "local"

[models.sonnet]
provider = "anthropic"
model = "claude-sonnet-4-6"
tier = "strong"
output_price = 20

[policy]
simple = ["ollama", "cheap"]
retries = 4

[budget]
daily = 0.5
"""


def test_models_policy_and_budget(tmp_path: Path) -> None:
    s = load_settings(
        {}, {"ASSISTANT_HOME": str(tmp_path), "ASSISTANT_BUDGET_MONTHLY": "9"}, MODELS
    )
    by_name = {m.name: m for m in s.models}
    assert {"haiku", "gpt-mini", "gpt", "local", "ollama", "sonnet"} <= set(by_name)
    assert by_name["local"].tier == "local" and not by_name["local"].tools
    assert by_name["ollama"].api_key_env == "", "a loopback server needs no key"
    assert by_name["haiku"].api_key_env == "ANTHROPIC_API_KEY"
    assert (by_name["sonnet"].input_price, by_name["sonnet"].output_price) == (3.0, 20.0)
    assert s.policy.simple == ("ollama", "cheap") and s.policy.retries == 4
    assert (s.budget.daily, s.budget.monthly) == (0.5, 9.0)
    assert s.model == "local"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[models.x]\nprovider = "Gemini Pro!"\nmodel = "g"', "provider must be a provider's name"),
        ('[models.x]\nprovider = "llama"', "needs path"),
        ('[models.x]\nprovider = "openai"', "needs model"),
        ('[models.x]\nprovider = "openai"\nmodel = "m"\ntier = "huge"', "tier must be"),
        ('[models.x]\nprovider = "openai"\nmodel = "m"\ncolour = 1', "unknown [models.x]"),
        ("[policy]\nsimple = 3", "policy.simple"),
        ("[budget]\ndaily = -1", "cannot be negative"),
        ('model = "nonesuch"', "no model named"),
    ],
)
def test_bad_model_settings(tmp_path: Path, config: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_settings({}, {"ASSISTANT_HOME": str(tmp_path)}, config)


@pytest.mark.parametrize(
    ("text", "line", "fix"),
    [
        (
            'embedder = "hash"\n\n[models.SmolLM2-135M-Instruct.Q4_1]\nprovider = "llama"\n',
            3,
            'quote the name: [models."SmolLM2-135M-Instruct.Q4_1"]',
        ),
        ("[retrieval]\nweight_recency = 0.2\nwieght_flag = 0.1\n", 3, "remove it, or use one of"),
        ('lock_timeout = "soon"\n', 1, "edit line 1 of config.toml"),
        ('[budget]\ndaily = 1\n\n[policy]\nsimple = "local"\nroute = 2\n', 6, "remove it"),
        ('embedder = "hash"\nvault = /tmp/v\n', 2, "correct the TOML on that line"),
    ],
)
def test_an_error_in_config_toml_names_the_file_the_line_and_the_fix(
    tmp_path: Path, text: str, line: int, fix: str
) -> None:
    (tmp_path / "config.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        read_settings({}, {"ASSISTANT_HOME": str(tmp_path)})
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'config.toml'}, line {line}: "), message
    assert f"\nFix: {fix}" in message and raised.value.line == line


def test_a_quoted_model_name_with_dots_reads_back(tmp_path: Path) -> None:
    from assistant.models.settings import model_entry

    (tmp_path / "config.toml").write_text(model_entry("smol.q4_1", tmp_path / "m.gguf"))
    settings = read_settings({}, {"ASSISTANT_HOME": str(tmp_path)})
    smol = next(m for m in settings.models if m.name == "smol.q4_1")
    assert smol.path == str(tmp_path / "m.gguf") and smol.provider == "llama"


def test_a_bridge_setting_must_be_a_number_zero_or_more() -> None:
    assert number({"port": 8080}, "sms", "port", 0, int) == 8080
    assert number({}, "sms", "per_minute", 10.0) == 10.0
    for bad in (-1, "ten", True, None):
        with pytest.raises(ConfigError) as caught:
            number({"per_minute": bad}, "sms", "per_minute", 10.0)
        assert caught.value.key == ("bridges", "sms", "per_minute")
        assert "per_minute in [bridges.sms]" in str(caught.value)
