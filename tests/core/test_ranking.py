"""Ranking that does not cost recall: MMR demotes near-duplicates only, reinforcement counts
memories that were used (not every search hit), recency weighs in for questions about time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant, Draft
from assistant.conversation.reply import InboundMessage, Reply
from assistant.conversation.responder import Responder
from assistant.models.chat import ModelInfo, ToolCall
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.when import about_time

NOW = datetime(2026, 9, 21, 12, 0, tzinfo=UTC)  # a fixed moment: no test reads the clock


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def texts(assistant: Assistant, query: str, k: int) -> list[str]:
    return [h.memory.text for h in assistant.memories.search(query, k, now=NOW.timestamp())]


# -- MMR ---------------------------------------------------------------------------------------

SISTER = [
    "My sister Anna lives in Lyon.",
    "My sister Anna works as a nurse in Lyon.",
    "My sister Anna has two kids, Tom and Lea.",
]


def test_distinct_facts_about_one_topic_are_all_returned(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            *SISTER,
            "Anna from the climbing gym lent me her rope.",
            "My brother Ben lives in Oslo.",
            "The Lyon office closes in August.",
        ]
    )
    found = texts(assistant, "tell me about my sister Anna", 3)
    assert sorted(found) == sorted(SISTER), "related facts are not redundant"


def test_a_paraphrase_pair_is_diversified(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            "My favourite band is Radiohead.",
            "Radiohead is my all-time favourite band.",
            "Portishead is a band I love too; I saw them live in Bristol in 2019.",
            "My sister Anna lives in Lyon.",
        ]
    )
    found = texts(assistant, "which band do I love", 2)
    assert len([t for t in found if "Radiohead" in t]) == 1, found
    assert "Portishead is a band I love too; I saw them live in Bristol in 2019." in found


def test_pronouns_and_auxiliaries_rank_nothing(assistant: Assistant) -> None:
    """Words such as "I", "my" and "do" are in nearly every memory and question: matching
    them is no reason to rank a memory first."""
    assistant.memories.add_many(
        ["I am allergic to peanuts.", "My dog is called Biscuit.", "I live in Lille."]
    )
    assert texts(assistant, "what pets do I have", 1) == ["My dog is called Biscuit."]


# -- reinforcement counts use ------------------------------------------------------------------


def test_a_search_hit_alone_is_not_a_use(assistant: Assistant) -> None:
    memories = assistant.memories
    memory = memories.add("I am allergic to peanuts.")
    for _ in range(3):
        assert memories.search("peanut allergy", 1)[0].memory.id == memory.id
        memories.recall("peanut allergy", 1)
    assert memories.usage(memory.id).access_count == 0
    assert memories.search("peanut allergy", 1)[0].breakdown.reinforcement == 0


def test_using_a_memory_reinforces_it(assistant: Assistant) -> None:
    memories = assistant.memories
    memory = memories.add("I am allergic to peanuts.")
    memories.used([memory.id], now=NOW.timestamp())
    usage = memories.usage(memory.id)
    assert usage.access_count == 1 and usage.last_access == NOW.timestamp()
    assert memories.search("peanut allergy", 1)[0].breakdown.reinforcement > 0
    memories.reinforce(memory.id, source="conversation")  # the user said it again
    assert memories.usage(memory.id).access_count == 2


def _responder(assistant: Assistant, *models: EchoModel) -> Responder:
    registry = ModelRegistry(list(models), PolicySettings(), BudgetSettings())
    return Responder(assistant, registry)


def _ask(responder: Responder, text: str) -> Reply:
    events = list(responder.respond(InboundMessage(text, at=NOW.timestamp())))
    responder.flush()
    reply = events[-1]
    assert isinstance(reply, Reply)
    return reply


def test_memories_put_into_an_answer_are_used_and_the_rest_are_not(
    assistant: Assistant,
) -> None:
    memories = assistant.memories
    cello = memories.add("I play the cello on Tuesdays.")
    bins = memories.add("The bins go out on Tuesday nights.")
    anna = memories.add("My sister Anna lives in Lyon.")
    responder = _responder(assistant)  # no model: the answer lists what it remembers
    try:
        assert bins.id in [h.memory.id for h in memories.search("what do I do on Tuesdays?")]
        reply = _ask(responder, "what do I do on Tuesdays?")
        assert [h.memory.id for h in reply.memories] == [cello.id], "found, but not shown"
        assert memories.usage(cello.id).access_count == 1
        assert memories.usage(bins.id).access_count == 0
        assert memories.usage(anna.id).access_count == 0
    finally:
        responder.close()
    model = EchoModel(ModelInfo("local", "fake", "echo", "local", tools=False))
    responder = _responder(assistant, model)
    try:
        reply = _ask(responder, "where does my sister live?")
        assert anna.id in [h.memory.id for h in reply.memories]
        assert memories.usage(anna.id).access_count == 1
    finally:
        responder.close()


def test_memories_the_model_searched_for_are_used(assistant: Assistant) -> None:
    memories = assistant.memories
    anna = memories.add("My sister Anna lives in Lyon.")
    responder = _responder(assistant)
    try:
        result = responder.tools.run(ToolCall("1", "search_memories", {"query": "sister"}))
        assert result.ok and anna.id in result.content
        assert memories.usage(anna.id).access_count == 1
    finally:
        responder.close()


def test_marking_a_memory_important_is_a_use(assistant: Assistant) -> None:
    memory = assistant.memories.add("The spare key is under the blue pot.")
    responder = _responder(assistant)
    try:
        reply = _ask(responder, f"/important {memory.id}")
        assert "Marked important" in reply.text
        assert assistant.memories.usage(memory.id).access_count == 1
    finally:
        responder.close()


# -- recency for questions about time ----------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what did I do last week?",
        "what's the latest with the kitchen?",
        "anything new recently?",
        "what did I eat yesterday",
        "who did I see this morning?",
        "when did I last call mum?",
        "what happened on 2026-09-01?",
        "what am I doing on friday?",
        "what's my job now?",
    ],
)
def test_questions_about_time_are_recognised(question: str) -> None:
    assert about_time(question)


@pytest.mark.parametrize(
    "question",
    [
        "where does my sister live?",
        "what am I allergic to",
        "which band do I love",
        "tell me about the plumber",
        "what is my last name?",
        "how old is my dog",
    ],
)
def test_other_questions_are_not_about_time(question: str) -> None:
    assert not about_time(question)


EVENINGS = [
    Draft(
        "Went to a pottery evening class with Jo and made a wonky bowl.",
        type="episodic",
        created_at=ago(150),
    ),
    Draft("Tried a salsa class after work.", type="episodic", created_at=ago(3)),
]


def test_a_question_about_recent_things_prefers_recent_memories(assistant: Assistant) -> None:
    assistant.memories.add_many(EVENINGS)
    found = texts(assistant, "what class did I go to recently?", 2)
    assert found[0] == "Tried a salsa class after work."
    found = texts(assistant, "what evening class did I do last week?", 2)
    assert found[0] == "Tried a salsa class after work."


def test_a_question_not_about_time_is_ranked_by_relevance(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            Draft("My dentist is Dr Okafor on Mill Street.", created_at=ago(200)),
            Draft("The dentist said my gums look better.", type="episodic", created_at=ago(2)),
        ]
    )
    assert texts(assistant, "who is my dentist?", 2)[0] == "My dentist is Dr Okafor on Mill Street."
    assert texts(assistant, "what did the dentist say lately?", 2)[0] == (
        "The dentist said my gums look better."
    )


def test_what_the_user_said_recently_comes_first_for_a_question_about_time(
    assistant: Assistant,
) -> None:
    evidence = assistant.memories.evidence
    evidence.keep("s1", ago(100).timestamp(), "the car's brakes are squeaking again")
    evidence.keep("s2", ago(1).timestamp(), "dropped the car at the garage, they'll look at it")
    now = NOW.timestamp()

    def said(query: str) -> list[str]:
        return [t.turn.text for t in assistant.memories.said(query, 2, now=now)]

    assert said("what's the latest with the car?")[0].startswith("dropped the car")
    assert said("what did I say about the car's brakes?")[0].startswith("the car's brakes")
