"""Owners of a bridge: deny by default, an allow-list, pairing codes (single-use, 15 minutes,
first sender wins, kept across restarts), one refusal a day, a rate limit per sender."""

from __future__ import annotations

import logging

import pytest

from assistant import Assistant
from assistant.owners import (
    PAIRING_TTL,
    Admission,
    Gate,
    Owners,
    RateLimit,
    canonical,
    redact,
)
from assistant.settings import Settings

OWNER = "+15551234567"
STRANGER = "+15559876543"
T0 = 1_790_000_000.0


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_nobody_owns_a_channel_nobody_was_given(hashed: Assistant) -> None:
    owners = Owners(hashed.db, {"sms": {}})
    assert not owners.is_owner("sms", OWNER)
    assert not owners.is_owner("sms", "")
    assert owners.address("sms") is None


def test_the_allow_list_names_owners_in_any_spelling(hashed: Assistant) -> None:
    owners = Owners(hashed.db, {"sms": {"owners": ["+1 (555) 123-4567"]}, "discord": {}})
    assert owners.is_owner("sms", OWNER)
    assert not owners.is_owner("discord", OWNER), "an owner on one channel only"
    assert not owners.is_owner("sms", STRANGER)
    single = Owners(hashed.db, {"sms": {"owner": OWNER}})
    assert single.is_owner("sms", OWNER) and single.address("sms") == OWNER


def test_a_pairing_code_binds_the_first_sender_once(hashed: Assistant) -> None:
    clock = Clock()
    owners = Owners(hashed.db, {"sms": {}}, clock=clock)
    code = owners.new_code("sms")
    assert len(code.code) == 6 and code.expires == T0 + PAIRING_TTL
    assert not owners.claim("sms", STRANGER, "ABC234"), "a wrong code pairs no one"
    assert not owners.claim("discord", OWNER, code.code), "a code is for its channel"
    assert owners.claim("sms", OWNER, f"  {code.code.lower()[:3]}-{code.code.lower()[3:]} ")
    assert owners.is_owner("sms", OWNER) and owners.address("sms") == OWNER
    assert not owners.claim("sms", STRANGER, code.code), "single use"
    assert not owners.is_owner("sms", STRANGER)


def test_a_pairing_code_expires_after_fifteen_minutes(hashed: Assistant) -> None:
    clock = Clock()
    owners = Owners(hashed.db, {"sms": {}}, clock=clock)
    code = owners.new_code("sms")
    clock.now += PAIRING_TTL + 1
    assert not owners.claim("sms", OWNER, code.code)
    assert not owners.is_owner("sms", OWNER)


def test_a_pairing_outlives_the_process(settings: Settings, hashed: Assistant) -> None:
    owners = Owners(hashed.db, {"sms": {}})
    assert owners.claim("sms", OWNER, owners.new_code("sms").code)
    hashed.db.close()
    assert Owners(hashed.db, {"sms": {}}).is_owner("sms", OWNER)


def test_a_stranger_is_refused_once_a_day_and_logged_redacted(
    hashed: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    gate = Gate(Owners(hashed.db, {"sms": {"owner": OWNER}}, clock=clock))
    caplog.set_level(logging.INFO)
    secret_words = "my bank pin is 4321"
    assert gate.admit("sms", STRANGER, secret_words) is Admission.REFUSED
    assert gate.admit("sms", STRANGER, "hello?") is Admission.IGNORED
    clock.now += 23 * 3600
    assert gate.admit("sms", STRANGER, "hello??") is Admission.IGNORED
    clock.now += 2 * 3600
    assert gate.admit("sms", STRANGER, "hello???") is Admission.REFUSED
    assert gate.admit("sms", OWNER, "hi") is Admission.OWNER
    logged = caplog.text
    assert "…43" in logged and STRANGER not in logged and "9876" not in logged
    assert "4321" not in logged and "hello" not in logged


def test_a_pairing_code_through_the_gate(hashed: Assistant) -> None:
    owners = Owners(hashed.db, {"sms": {}})
    gate = Gate(owners)
    code = owners.new_code("sms").code
    assert gate.admit("sms", OWNER, code) is Admission.PAIRED
    assert gate.admit("sms", OWNER, "now what?") is Admission.OWNER


def test_each_sender_is_rate_limited_on_their_own() -> None:
    clock = Clock(0.0)
    limit = RateLimit(per_minute=6, burst=3, clock=clock)
    assert [limit.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limit.allow("b"), "another sender has their own allowance"
    clock.now += 10.0  # one more every 10 s
    assert limit.allow("a") and not limit.allow("a")


def test_the_owner_too_is_rate_limited_and_told_so_once_a_minute(hashed: Assistant) -> None:
    clock = Clock(0.0)
    limit = RateLimit(per_minute=1, burst=2, clock=clock)
    gate = Gate(Owners(hashed.db, {"sms": {"owner": OWNER}}), limit, clock=clock)
    said = [gate.admit("sms", OWNER, "hi") for _ in range(4)]
    assert said == [Admission.OWNER, Admission.OWNER, Admission.SLOW_DOWN, Admission.IGNORED]
    clock.now += 30.0  # half a token back: still over, and told already this minute
    assert gate.admit("sms", OWNER, "hi?") is Admission.IGNORED
    clock.now += 60.0
    assert gate.admit("sms", OWNER, "hi again") is Admission.OWNER
    assert gate.admit("sms", OWNER, "and again") is Admission.SLOW_DOWN, "told again, later"
    strangers = [gate.admit("sms", STRANGER, "hello") for _ in range(4)]
    assert Admission.SLOW_DOWN not in strangers, "a stranger is never told anything more"


def test_senders_are_compared_and_logged_in_one_spelling() -> None:
    assert canonical("+1 555.123-4567") == "+15551234567"
    assert redact("+1 555 123 4567") == "…67"
    assert redact("") == "…"


def test_stop_and_start(hashed: Assistant) -> None:
    owners = Owners(hashed.db, {"sms": {}})
    owners.opt_out("sms", OWNER)
    owners.opt_out("sms", OWNER)
    assert owners.opted_out("sms", "+1 555 123 4567")
    owners.opt_in("sms", OWNER)
    assert not owners.opted_out("sms", OWNER)


def test_the_serve_host_knows_listed_and_paired_owners(env: dict[str, str]) -> None:
    import os
    from pathlib import Path

    from assistant.conversation.responder import Responder
    from assistant.models.fakes import HashEmbedder
    from assistant.models.registry import ModelRegistry
    from assistant.models.settings import BudgetSettings, PolicySettings
    from assistant.service import ServeHost
    from assistant.settings import read_settings

    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[bridges.sms]\nowners = ["+1 555 123 4567"]\n')
    with Assistant(read_settings({}, os.environ), embedder=HashEmbedder()) as assistant:
        responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
        host = ServeHost(responder, {})
        try:
            assert host.is_owner("sms", OWNER)
            assert not host.is_owner("sms", STRANGER) and not host.is_owner("discord", OWNER)
            owners = Owners(assistant.db, assistant.settings.bridges)
            assert owners.claim("discord", "4242", owners.new_code("discord").code)
            assert host.is_owner("discord", "4242")
            assert host.answer("hello", channel="sms", sender=STRANGER) == ""
        finally:
            responder.close()
