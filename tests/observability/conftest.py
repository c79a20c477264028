"""A ``serve`` running in the test's process on the hashed assistant, its endpoints on a free
loopback port (as every test's, see ``tests/conftest.py``), answering with fake models."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.conversation.responder import Responder
from assistant.models.chat import ChatModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.service import Service

Serve = Callable[..., Service]


@pytest.fixture
def serve(hashed: Assistant) -> Iterator[Serve]:
    """Start a service over ``hashed`` answering with the models given; stopped at the end."""
    running: list[tuple[Service, threading.Event, threading.Thread]] = []

    def start(*models: ChatModel, budget: BudgetSettings | None = None) -> Service:
        registry = ModelRegistry(list(models), PolicySettings(), budget or BudgetSettings())
        service = Service(Responder(hashed, registry), heartbeat=0.2)
        stop = threading.Event()
        thread = threading.Thread(target=service.run, args=(stop,), daemon=True)
        thread.start()
        assert service.ready.wait(30) and service.caught_up.wait(30), "serve did not start"
        running.append((service, stop, thread))
        return service

    yield start
    for service, stop, thread in running:
        stop.set()
        thread.join(30)
        service.responder.close()


def get(service: Service, path: str) -> tuple[int, str]:
    """``GET path`` from the service's endpoints: status and body."""
    url = f"http://{service.http}{path}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def get_json(service: Service, path: str) -> tuple[int, Any]:
    """``GET path`` as JSON."""
    code, body = get(service, path)
    return code, json.loads(body)


def status_file(home: Path) -> dict[str, Any]:
    """What the service wrote in serve.json."""
    data: dict[str, Any] = json.loads((home / "serve.json").read_text())
    return data
