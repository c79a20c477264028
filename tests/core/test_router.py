"""The local router: held-out accuracy with the real MiniLM, rules, and the route cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.conversation.router import (
    HASH_DIM,
    ROUTES,
    Router,
    is_smalltalk,
    load_examples,
    rule_route,
)
from assistant.models.fakes import HashEmbedder
from assistant.models.minilm import MiniLMEmbedder

HELD_OUT = Path(__file__).parents[1] / "fixtures" / "router_heldout.tsv"


@pytest.fixture(scope="module")
def weights(tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder) -> Path:
    """A folder holding the router trained once on the real MiniLM for this module."""
    folder = tmp_path_factory.mktemp("router")
    Router(minilm, folder).weights()
    return folder


def test_held_out_accuracy_is_at_least_90_percent(minilm: MiniLMEmbedder, weights: Path) -> None:
    router = Router(minilm, weights)
    examples = load_examples(HELD_OUT)
    assert len(examples) >= 200
    assert {label for label, _ in examples} == set(ROUTES)
    training = {text.lower() for _, text in load_examples()}
    assert not training & {text.lower() for _, text in examples}, "held-out means unseen"
    confusion = {a: dict.fromkeys(ROUTES, 0) for a in ROUTES}
    for label, text in examples:
        confusion[label][router.route(text).route] += 1
    accuracy = sum(confusion[r][r] for r in ROUTES) / len(examples)
    assert accuracy >= 0.90, confusion
    for route in ROUTES:  # no class is sacrificed for the average
        assert confusion[route][route] / sum(confusion[route].values()) >= 0.85, confusion


def test_trained_weights_are_cached(minilm: MiniLMEmbedder, tmp_path: Path) -> None:
    Router(minilm, tmp_path).weights()
    cached = list(tmp_path.glob("router-*.npy"))
    assert len(cached) == 1
    again = Router(minilm, tmp_path)
    assert again.weights().shape == (3, minilm.dim + 4 + HASH_DIM)


@pytest.mark.parametrize(
    "text", ["hi", "Hello!", "thanks a lot", "ok", "good night", "cheers", "got it, thanks"]
)
def test_smalltalk_is_recognised(text: str) -> None:
    assert is_smalltalk(text)


@pytest.mark.parametrize(
    "text", ["hi, what's my sister's name?", "thanks, now plan my week", "okay remind me at 5"]
)
def test_smalltalk_with_a_request_is_not_smalltalk(text: str) -> None:
    assert not is_smalltalk(text)


@pytest.mark.parametrize(
    "text",
    [
        "remind me what the capital of portugal is",
        "remind me how many grams are in a pound",
        "remember when the euro was introduced? which year",
    ],
)
def test_a_general_question_prefaced_by_remind_me_is_simple(
    text: str, minilm: MiniLMEmbedder, weights: Path
) -> None:
    assert rule_route(text) is None, "only a reminder or a fact to keep is settled by rule"
    assert Router(minilm, weights).route(text).route == "simple"


@pytest.mark.parametrize(
    "text",
    [
        "remind me what my brother's new address is",
        "snooze the bin reminder for an hour",
        "push the pharmacy reminder back to 5pm",
        'tick off "water the tomatoes"',
        "take the olive oil off the grocery list",
        "update: the plumber is now coming on monday",
        "what did we plan for dad's retirement do?",
    ],
)
def test_snoozing_list_edits_updates_and_earlier_plans_are_tool(
    text: str, minilm: MiniLMEmbedder, weights: Path
) -> None:
    assert Router(minilm, weights).route(text).route == "tool"


def test_rules_and_cache_need_no_model(tmp_path: Path) -> None:
    router = Router(HashEmbedder(), tmp_path)
    assert router.route("remind me to call mom at 6").route == "tool"
    assert router.route("please remember that I hate olives").source == "rule"
    first = router.route("Thank you!")
    assert (first.route, first.source) == ("simple", "rule")
    assert router.route("thank   YOU!").source == "cache"


def test_decisions_are_shared_through_the_disk_cache(tmp_path: Path) -> None:
    first = Router(HashEmbedder(), tmp_path / "weights", tmp_path / "routes")
    assert first.route("okay").source == "rule"
    first.close()
    second = Router(HashEmbedder(), tmp_path / "weights", tmp_path / "routes")
    assert second.route("OKAY").source == "cache"
    second.forget_cached()
    assert second.route("okay").source == "rule"
    second.close()
