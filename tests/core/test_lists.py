"""The user's lists: items added and taken off in plain words, without a model, kept as one
memory each (the one told earlier is taken up), and read out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Assistant
from assistant.conversation.responder import Responder
from assistant.list_requests import ListRequest, list_request, more_items, split_items, told_list
from assistant.lists import Lists, parse_items
from tests.core.chat import said_back, without_a_model


@pytest.fixture
def responder(assistant: Assistant) -> Iterator[Responder]:
    made = without_a_model(assistant)
    yield made
    made.close()


def say(responder: Responder, text: str) -> str:
    return said_back(responder, text)


def test_a_list_told_in_chat_is_edited_and_read_in_plain_words(
    assistant: Assistant, responder: Responder
) -> None:
    say(responder, "my shopping list: eggs, milk, flour")
    assert say(responder, "add cheese to my shopping list") == (
        "Added cheese. Shopping list: eggs, milk, flour, cheese."
    )
    assert say(responder, "take milk off the shopping list, got it already") == (
        "Took milk off. Shopping list: eggs, flour, cheese."
    )
    assert say(responder, "remove bananas from the shopping list") == (
        "Not on your shopping list: bananas. Shopping list: eggs, flour, cheese."
    )
    assert say(responder, "what's on my shopping list?") == "Shopping list: eggs, flour, cheese."
    lists = [m for m in assistant.memories.list() if "list" in m.text.lower()]
    assert [m.text for m in lists] == ["Shopping list: eggs, flour, cheese."]
    assert lists[0].metadata["list"] == "shopping"


def test_a_new_list_is_started_and_an_unknown_one_said_so(responder: Responder) -> None:
    assert "no packing list yet" in say(responder, "what's on my packing list")
    assert say(responder, "please add sunscreen and a hat to my packing list") == (
        "Added sunscreen, hat. Packing list: sunscreen, hat."
    )
    assert say(responder, "add the sunscreen to the packing list") == (
        "Already on it. Packing list: sunscreen, hat."
    )


def test_items_are_read_from_the_ways_a_list_is_written(assistant: Assistant) -> None:
    assert parse_items("My shopping list: eggs, milk and some bread.") == ["eggs", "milk", "bread"]
    assert parse_items("My packing list for lisbon: passport, charger.") == ["passport", "charger"]
    assert parse_items("Shopping list: (empty).") == []
    assert parse_items("I love lists") == []
    assert split_items("a loaf of bread, 2 lemons & milk") == ["loaf of bread", "2 lemons", "milk"]
    lists = Lists(assistant.memories)
    lists.add("Shopping", ["eggs"])
    change = lists.remove("shopping list", ["egg", "x" * 500])
    assert change.removed == ["eggs"] and change.missing == ["x" * 80]
    assert lists.items("shopping") == [] and lists.items("packing") is None


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "pls add eggs and milk to my shopping list",
            ListRequest("add", "shopping", ["eggs", "milk"]),
        ),
        ("remove bananas from the shopping list", ListRequest("remove", "shopping", ["bananas"])),
        (
            "remove the bread from my shopping list pls",
            ListRequest("remove", "shopping", ["bread"]),
        ),
        (
            "take milk off the Shopping list, got it already",
            ListRequest("remove", "shopping", ["milk"]),
        ),
        ("what's on my packing list?", ListRequest("show", "packing", [])),
        ("what do we need to buy?", ListRequest("show", "shopping", [])),
    ],
)
def test_a_list_request_is_read_with_its_list_and_items(text: str, asked: ListRequest) -> None:
    assert list_request(text) == asked


@pytest.mark.parametrize(
    "text",
    [
        "scrap that, forget what I said about the dentist",
        "I added eggs to my diet",
        "my shopping list: eggs, milk",
        "what's on tv tonight?",
        "",
    ],
)
def test_other_messages_ask_nothing_of_a_list(text: str) -> None:
    assert list_request(text) is None


def test_a_list_told_with_what_it_is_for_is_that_list(responder: Responder) -> None:
    say(responder, "my packing list for lisbon: passport, charger, sunscreen")
    assert say(responder, "add a hat to my packing list") == (
        "Added hat. Packing list: passport, charger, sunscreen, hat."
    )


def test_more_items_said_right_after_go_on_the_list_edited(responder: Responder) -> None:
    assert say(responder, "add milk and cheese to my packing list") == (
        "Added milk, cheese. Packing list: milk, cheese."
    )
    assert say(responder, "oh and bananas") == (
        "Added bananas. Packing list: milk, cheese, bananas."
    )
    assert say(responder, "also add teabags") == (
        "Added teabags. Packing list: milk, cheese, bananas, teabags."
    )
    assert "Added" not in say(responder, "and thanks")
    assert "Added" not in say(responder, "oh and crisps")  # not right after an edit any more
    assert say(responder, "what's on my packing list?") == (
        "Packing list: milk, cheese, bananas, teabags."
    )


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("oh and bananas", ["bananas"]),
        ("also add teabags", ["teabags"]),
        ("and some eggs too pls", ["eggs"]),
        ("+ rice", ["rice"]),
        ("oh and milk and bread", ["milk", "bread"]),
        ("and thanks", []),
        ("ok cool", []),
        ("and i'm off tomorrow", []),
        ("also that was fun", []),
        ("and what about bananas?", []),
        ("oh and by the way my sister is coming over tomorrow for dinner", []),
        ("add cheese to my shopping list", []),  # a request of its own
    ],
)
def test_what_a_follow_up_adds(text: str, items: list[str]) -> None:
    assert more_items(text) == items


def test_the_list_unnamed_is_the_shopping_list_and_scrapping_an_item_keeps_the_list(
    assistant: Assistant, responder: Responder
) -> None:
    say(responder, "add eggs, flour and milk to my shopping list")
    assert say(responder, "take milk off the list, got some") == (
        "Took milk off. Shopping list: eggs, flour."
    )
    say(responder, "add butter to the list")
    assert say(responder, "actually scrap the butter") == (
        "Took butter off. Shopping list: eggs, flour."
    )
    lists = [m.text for m in assistant.memories.list() if m.metadata.get("list")]
    assert lists == ["Shopping list: eggs, flour."]
    assert assistant.memories.list(statuses=["archived"]) == []
    assert list_request("put it on the list") is None


def test_a_list_of_two_told_in_chat_is_a_list(responder: Responder) -> None:
    say(responder, "my shopping list: eggs, milk")
    assert say(responder, "what's on my shopping list?") == "Shopping list: eggs, milk."
    say(responder, "my packing list - boots and a map")
    assert say(responder, "add a hat to my packing list") == (
        "Added hat. Packing list: boots, map, hat."
    )


def test_more_items_said_right_after_a_list_told_go_on_it(responder: Responder) -> None:
    say(responder, "my shopping list: eggs, milk, flour")
    assert say(responder, "oh and teabags") == (
        "Added teabags. Shopping list: eggs, milk, flour, teabags."
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my shopping list: eggs, milk", "shopping"),
        ("our packing list for lisbon - boots and a map", "packing for lisbon"),
        ("my shopping list: eggs", ""),
        ("my list of regrets is long", ""),
        ("packing list: passport, charger, socks", "packing"),
        ("my todo list: fix bike, call bank", "todo"),
        ("the list: eggs, milk", ""),
    ],
)
def test_a_list_told_with_its_items_is_named(text: str, name: str) -> None:
    assert told_list(text) == name


def test_a_todo_list_told_without_my_is_a_list(responder: Responder) -> None:
    say(responder, "todo list: fix bike, call bank")
    assert say(responder, "what's on my todo list?") == "Todo list: fix bike, call bank."


def test_two_lists_in_one_message_each_get_their_own_items(
    assistant: Assistant, responder: Responder
) -> None:
    say(responder, "add passport and charger to my packing list")
    reply = say(
        responder, "add eggs and flour to my shopping list and sunscreen to my packing list"
    )
    assert reply == (
        "Added eggs, flour. Shopping list: eggs, flour.\n"
        "Added sunscreen. Packing list: passport, charger, sunscreen."
    )
    say(responder, "take flour off the shopping list and charger off the packing list")
    lists = Lists(assistant.memories)
    assert lists.items("shopping") == ["eggs"]
    assert lists.items("packing") == ["passport", "sunscreen"]
    assert list_request("add milk to my shopping list to my packing list") is None


def test_items_ticked_off_with_no_list_named_and_a_list_cleared(
    assistant: Assistant, responder: Responder
) -> None:
    say(responder, "add rice and beans to my shopping list")
    say(responder, "add socks to my packing list")
    assert say(responder, "cross off rice") == "Took rice off. Shopping list: beans."
    assert "on any of your lists" in say(responder, "tick the kites off")
    assert say(responder, "clear my packing list") == "Cleared your packing list."
    assert Lists(assistant.memories).items("packing") == []
    assert Lists(assistant.memories).items("shopping") == ["beans"]


def test_a_list_written_as_bullets_with_a_note_below_keeps_both(assistant: Assistant) -> None:
    lists = Lists(assistant.memories)
    made = lists.add("shopping", ["apples"])
    assert made.memory is not None
    assistant.memories.update(
        made.memory.id,
        text="Shopping list:\n- apples\n- pears\n\nNote to self: go on Saturday morning.",
    )
    assert lists.items("shopping") == ["apples", "pears"]
    assert lists.add("shopping", ["lemons"]).items == ["apples", "pears", "lemons"]
    assert lists.remove("shopping", ["pears"]).removed == ["pears"]
    kept = next(m for m in assistant.memories.list() if m.metadata.get("list"))
    assert kept.text == (
        "Shopping list:\n- apples\n- lemons\n\nNote to self: go on Saturday morning."
    )
