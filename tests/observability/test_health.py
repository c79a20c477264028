"""Health: one set of checks behind ``GET /health`` and ``assistant doctor``; a failing model
turns it ``degraded``; live and ready answer; the two never disagree."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

from assistant import Assistant
from assistant.conversation.reply import InboundMessage
from assistant.errors import ModelServerError
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel
from assistant.observability.health import DEGRADED, HEALTHY, assess, health_checks
from assistant.store.ledger import CostEntry
from tests.observability.conftest import Serve, get_json
from tests.plugins.serving import cli, finish, serve_environ, start


def failing(at: float, model: str = "flaky") -> CostEntry:
    return CostEntry(model, "fake", "simple", 10, 0, 0.0, 0.0, 40.0, ok=False, error="down", at=at)


def test_a_fresh_home_is_healthy(hashed: Assistant) -> None:
    health = assess(health_checks(hashed, [EchoModel()]))
    assert health.status == HEALTHY, health.as_dict()
    names = [c.name for c in health.checks]
    assert names == ["index", "records", "models", "bridges", "watcher", "consolidation", "backup"]


def test_a_model_whose_latest_call_failed_degrades_health_until_it_answers(
    hashed: Assistant,
) -> None:
    now = 1_800_000_000.0
    hashed.ledger.record(failing(now - 60))
    models = next(c for c in health_checks(hashed, [EchoModel()], now=now) if c.name == "models")
    assert models.status == DEGRADED and "flaky: 1 of 1 calls failed" in models.detail
    assert assess(health_checks(hashed, [EchoModel()], now=now)).status == DEGRADED
    later = now + 16 * 60  # out of the window: forgotten
    assert assess(health_checks(hashed, [EchoModel()], now=later)).status == HEALTHY
    hashed.ledger.record(CostEntry("flaky", "fake", "simple", 10, 5, 0.0, 0.0, 30.0, at=now))
    assert assess(health_checks(hashed, [EchoModel()], now=now + 1)).status == HEALTHY


def test_a_model_failure_in_serve_turns_health_degraded(serve: Serve) -> None:
    model = EchoModel(ModelInfo("flaky", "fake", "f", "cheap"), fail=ModelServerError("down"))
    service = serve(model)
    code, health = get_json(service, "/health")
    assert code == 200 and health["status"] == HEALTHY, health
    for _ in service.responder.respond(InboundMessage("tell me about the garden")):
        pass
    service.responder.flush()
    deadline = time.monotonic() + 10  # health is computed again every 5 s
    while time.monotonic() < deadline and health["status"] == HEALTHY:
        time.sleep(0.25)
        code, health = get_json(service, "/health")
    assert code == 200 and health["status"] == DEGRADED, health
    models = next(c for c in health["checks"] if c["name"] == "models")
    assert models["status"] == DEGRADED and "flaky" in models["detail"]
    assert get_json(service, "/health/live") == (200, {"status": "alive"})
    assert get_json(service, "/health/ready") == (200, {"status": "ready"})


def test_doctor_and_health_agree_on_a_running_serve(env: dict[str, str]) -> None:
    values = serve_environ(env, "[observability]\nport = 0\n", "", {})
    process = start(values)
    try:
        status = json.loads(cli(values, "serve", "--check", "--json").stdout)
        assert status["http"].startswith("127.0.0.1:"), status
        with urllib.request.urlopen(f"http://{status['http']}/health", timeout=10) as answer:
            endpoint = json.loads(answer.read())
        doctor = cli(values, "doctor", "--json")
        said = json.loads(doctor.stdout)
        runtime = [
            c for c in said["checks"] if c["name"] in {c["name"] for c in endpoint["checks"]}
        ]
        assert runtime == endpoint["checks"]
        assert said["status"] == endpoint["status"] == HEALTHY
        watcher = next(c for c in endpoint["checks"] if c["name"] == "watcher")
        assert watcher["detail"] == "watching the vault"
        shown = cli(values, "doctor")
        assert "✓ watcher: watching the vault" in shown.stdout and "health: healthy" in shown.stdout
    finally:
        finish(process)


def test_serve_answers_metrics_without_any_bridge(env: dict[str, str]) -> None:
    values = serve_environ(env, "[observability]\nport = 0\n", "", {})
    process = start(values, says="no bridges")
    try:
        address = json.loads(cli(values, "serve", "--check", "--json").stdout)["http"]
        with urllib.request.urlopen(f"http://{address}/metrics", timeout=10) as answer:
            body = answer.read().decode()
        assert "assistant_uptime_seconds" in body and "assistant_memories" in body
    finally:
        finish(process)
    logged = (Path(env["ASSISTANT_HOME"]) / "logs" / "assistant.log").read_text()
    assert '"event": "endpoints_started"' in logged
