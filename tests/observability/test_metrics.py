"""``/metrics`` of a running serve, scraped and parsed with prometheus-client's own parser
after scripted activity: messages, model calls, errors, spend, budget, retrieval, learning,
memories, bridges' queues and failed sends; no label ever holds a memory or a sender."""

from __future__ import annotations

import time
from dataclasses import replace

from prometheus_client.parser import text_string_to_metric_families

from assistant.conversation.reply import InboundMessage
from assistant.errors import ModelServerError
from assistant.inbox import Inbox, Outbox, SendFailed
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel
from assistant.models.settings import BudgetSettings
from assistant.service import Service
from tests.observability.conftest import Serve, get

SENDER = "+15551234567"
SECRET_FACT = "My sister Anna lives in Lyon"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(service: Service) -> Samples:
    """Every sample of ``/metrics``, by name and sorted labels."""
    code, body = get(service, "/metrics")
    assert code == 200
    return {
        (s.name, tuple(sorted(s.labels.items()))): float(s.value)
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample of ``name`` with exactly ``labels`` (0 when absent)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def say(service: Service, text: str, channel: str = "cli", sender: str = "owner") -> None:
    """Send ``text`` to the service's responder and read the whole answer."""
    for _ in service.responder.respond(InboundMessage(text, channel, sender)):
        pass


def test_scripted_activity_shows_in_the_counters(serve: Serve) -> None:
    paid = EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0))
    service = serve(paid, budget=BudgetSettings(daily=2.0))
    service.responder.assistant.memories.add(SECRET_FACT)
    say(service, "where does my sister live these days?")
    say(service, "what about the weather in Lyon tomorrow morning?", "sms", SENDER)
    say(service, "/help")
    service.responder.flush()
    samples = scrape(service)
    by_channel: dict[str, float] = {}
    for (name, labels), count in samples.items():
        if name == "assistant_messages_total":
            channel = dict(labels)["channel"]
            by_channel[channel] = by_channel.get(channel, 0) + count
    assert by_channel == {"cli": 2, "sms": 1}
    assert value(samples, "assistant_messages_total", channel="cli", route="command") == 1
    calls = sum(v for (n, _), v in samples.items() if n == "assistant_model_calls_total")
    assert calls == 2
    assert value(samples, "assistant_model_call_seconds_count", model="cheap") == 2
    spent = value(samples, "assistant_spent_dollars_total", model="cheap")
    assert spent > 0
    left = value(samples, "assistant_budget_remaining_dollars", period="day")
    assert abs(left - (2.0 - spent)) < 1e-9
    assert value(samples, "assistant_retrieval_seconds_count") == 2
    assert value(samples, "assistant_reply_seconds_count", channel="cli") == 2
    assert value(samples, "assistant_memories", type="semantic", status="active") >= 1
    assert ("assistant_learning_queue_depth", ()) in samples
    assert value(samples, "assistant_watcher_up") == 1
    assert ("assistant_watcher_restarts_total", ()) in samples
    assert value(samples, "assistant_uptime_seconds") >= 0


def test_model_errors_are_counted_by_model_and_kind(serve: Serve) -> None:
    failing = EchoModel(
        ModelInfo("flaky", "fake", "f", "cheap"), fail=ModelServerError("flaky is down")
    )
    service = serve(failing)
    say(service, "tell me something about gardening please")
    samples = scrape(service)
    errors = value(samples, "assistant_model_call_errors_total", model="flaky", kind="model_server")
    assert errors >= 1
    assert errors == sum(
        v for (n, labels), v in samples.items() if n == "assistant_model_calls_total"
    )


def test_bridge_queues_and_failed_sends_are_read_when_scraped(serve: Serve) -> None:
    service = serve(EchoModel())
    db = service.responder.assistant.db
    inbox, outbox = Inbox(db, "sms"), Outbox(db, "sms", attempts=2)
    inbox.accept("m1", SENDER, "are you there?")
    inbox.accept("m2", SENDER, "hello?")
    outbox.queue(SENDER, ["first", "second"])
    first = outbox.due()[0]
    outbox.failed(first, SendFailed("carrier said no"))
    outbox.failed(replace(first, attempts=1), SendFailed("carrier said no again"))
    time.sleep(2.1)  # the counts read from the records are cached for two seconds
    samples = scrape(service)
    assert value(samples, "assistant_bridge_queue_depth", channel="sms", queue="inbox") == 2
    assert value(samples, "assistant_bridge_queue_depth", channel="sms", queue="outbox") == 1
    failures = value(samples, "assistant_delivery_failures_total", channel="sms", kind="message")
    assert failures == 2
    assert value(samples, "assistant_deliveries_given_up_total", channel="sms") == 1


def test_no_label_holds_a_memory_or_a_sender(serve: Serve) -> None:
    service = serve(EchoModel())
    service.responder.assistant.memories.add(SECRET_FACT)
    say(service, "my sister Anna lives in Lyon, remember that", "sms", SENDER)
    service.responder.flush()
    samples = scrape(service)
    words = {w.lower() for w in SECRET_FACT.split() if len(w) > 3}
    for _, labels in samples:
        for _, label in labels:
            assert SENDER not in label and "5551234567" not in label
            assert not words & set(label.lower().split()), label


def test_metrics_follow_prometheus_naming() -> None:
    """Counters end in _total, times in _seconds, money in _dollars; all under assistant_."""
    from assistant.observability.metrics import Metrics

    for family in text_string_to_metric_families(Metrics().exposition().decode()):
        assert family.name.startswith("assistant_"), family.name
        if family.type == "counter":
            assert all(s.name.endswith(("_total", "_created")) for s in family.samples)
        if family.type == "histogram":
            assert family.name.endswith("_seconds"), family.name


def test_the_dashboard_shows_what_the_running_serve_counted(serve: Serve) -> None:
    from assistant.overview import overview
    from assistant_tui.panels import render

    service = serve(EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0)))
    say(service, "tell me about the garden", "sms", SENDER)
    shown = str(render(overview(service.responder.assistant)))
    assert "Running service" in shown and "healthy" in shown, shown
    assert "messages: sms 1" in shown and "model calls: cheap 1" in shown
    assert f"http://{service.http}/metrics" in shown
