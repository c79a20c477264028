"""Check-ins as the user meets them outside a chat: the ``[checkins]`` settings and
``assistant checkins``."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant.errors import ConfigError
from assistant.settings import load_settings
from assistant.store.checkins import CheckIn, CheckIns
from assistant_cli.main import build_app


class TestSettings:
    def test_defaults(self) -> None:
        checkins = load_settings({"home": "/tmp/h"}, {}, None).checkins
        assert checkins.enabled and checkins.per_day == 2
        assert checkins.quiet() == (22 * 60, 8 * 60)

    def test_turned_off_from_the_file_or_the_environment(self) -> None:
        from_file = load_settings({"home": "/tmp/h"}, {}, "[checkins]\nenabled = false\n")
        assert not from_file.checkins.enabled
        from_env = load_settings({"home": "/tmp/h"}, {"ASSISTANT_CHECKINS_ENABLED": "false"}, None)
        assert not from_env.checkins.enabled

    @pytest.mark.parametrize(
        "line", ['quiet_hours = "late"', 'quiet_hours = "25:00-08:00"', "per_day = -1"]
    )
    def test_bad_values_are_one_clear_error(self, line: str) -> None:
        with pytest.raises(ConfigError):
            load_settings({"home": "/tmp/h"}, {}, f"[checkins]\n{line}\n")


def test_assistant_checkins_lists_them_with_their_reasons(hashed: Assistant) -> None:
    store = CheckIns(hashed.db)
    now = time.time()
    draft = CheckIn(
        "C1", now, "event", "before:x", "Good luck today!", "your exam is today", 0.9, {}
    )
    assert store.claim(draft, now=now, gap=3600) is not None
    assert store.claim(draft, now=now + 10, gap=3600) is None  # one per key, and the gap
    hashed.close()
    runner = CliRunner()
    shown = runner.invoke(build_app(), ["checkins"])
    assert shown.exit_code == 0, shown.output
    assert "Good luck today!" in shown.output and "your exam is today" in shown.output
    assert "at most 2 a day" in shown.output
    data = json.loads(runner.invoke(build_app(), ["checkins", "--json"]).output)
    assert [c["reason"] for c in data["checkins"]] == ["your exam is today"]
    assert data["enabled"] and not data["paused"]
