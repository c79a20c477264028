"""``[observability]``: defaults on loopback, environment over the file, bad values named."""

from __future__ import annotations

import pytest

from assistant.errors import ConfigError
from assistant.settings import load_settings


def test_defaults_listen_on_loopback() -> None:
    kept = load_settings({"home": "/tmp/h"}, {}, None).observability
    assert (kept.http, kept.host, kept.port) == (True, "127.0.0.1", 9464)
    assert (kept.log_files, kept.log_file_mb, kept.log_level) == (5, 5.0, "info")


def test_the_environment_wins_over_the_file() -> None:
    config = '[observability]\nport = 9000\nhttp = true\nlog_level = "WARNING"\n'
    environ = {"ASSISTANT_OBSERVABILITY_PORT": "0", "ASSISTANT_OBSERVABILITY_HTTP": "false"}
    kept = load_settings({"home": "/tmp/h"}, environ, config).observability
    assert (kept.port, kept.http, kept.log_level) == (0, False, "warning")


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("[observability]\nport = 70000\n", "between 0 and 65535"),
        ('[observability]\nlog_level = "loud"\n', "log_level must be one of"),
        ("[observability]\nlog_files = 1\n", "2 or more"),
        ('[observability]\nport = "nine"\n', "observability.port"),
        ("[observability]\nverbose = true\n", "unknown [observability] settings: verbose"),
    ],
)
def test_a_bad_value_is_named(config: str, says: str) -> None:
    with pytest.raises(ConfigError, match=r".*") as raised:
        load_settings({"home": "/tmp/h"}, {}, config)
    assert says in raised.value.message
