"""``assistant pair <channel>``: a code on stdout that makes its first sender the owner."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant.models.fakes import HashEmbedder
from assistant.owners import Owners
from assistant.settings import read_settings
from assistant_cli.main import build_app


@pytest.fixture(autouse=True)
def hashed_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")


def test_pair_prints_a_code_the_first_sender_can_use_once() -> None:
    result = CliRunner().invoke(build_app(), ["pair", "sms"])
    assert result.exit_code == 0, result.stderr
    code = result.stdout.strip()
    assert len(code) == 6 and code.isalnum()
    assert "15 minutes" in result.stderr and "[bridges.sms]" in result.stderr
    with Assistant(read_settings({}, os.environ), embedder=HashEmbedder()) as assistant:
        owners = Owners(assistant.db, assistant.settings.bridges)
        assert owners.claim("sms", "+15551234567", code)
        assert not owners.claim("sms", "+15559876543", code)
        assert owners.is_owner("sms", "+15551234567")


def test_pair_json_and_a_bad_channel_name() -> None:
    result = CliRunner().invoke(build_app(), ["pair", "discord", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["channel"] == "discord" and len(data["code"]) == 6
    bad = CliRunner().invoke(build_app(), ["pair", "../etc"])
    assert bad.exit_code == 1 and "not a bridge name" in bad.stderr
    assert "Traceback" not in bad.stderr
