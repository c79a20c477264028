"""Requests that edit or read one of the user's lists, told apart in plain words ("add cheese
to my shopping list", "take milk off the shopping list", "what's on my packing list?"), and the
way a list's name and items are written.

Chat acts on them without a model (:class:`assistant.lists.Lists`), and the reader of
corrections knows that "remove bananas from the shopping list" takes nothing back.

Usage::

    list_request("pls add eggs and milk to my shopping list")
    # ListRequest(kind="add", name="shopping", items=["eggs", "milk"])
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

MAX_ITEM = 80
"""Longest item, in characters."""
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\+|\n)\s*", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:some|a|an|the|more|a\s+few|a\s+couple\s+of)\s+", re.IGNORECASE)
_LIST_NAME = r"(?:my|the|our)\s+(?:(?P<name>[^\W\d_][\w' -]{0,30}?)\s*)?list\b"
"""A list by name ("my shopping list"), or "the list" (the shopping list)."""
_POLITELY = r"^\W*(?:(?:pls|please|plz|can\s+you|could\s+you|can\s+u|ok|and|also)\s+)*"
_ADD = re.compile(
    rf"{_POLITELY}(?:add|put|stick|throw|pop|chuck)\s+(?P<items>.+?)\s+(?:to|on|onto|in|into)"
    rf"\s+{_LIST_NAME}(?:\s+(?:pls|please|too|as well))?[\s.!?]*$",
    re.IGNORECASE,
)
_REMOVE = re.compile(
    rf"{_POLITELY}(?:take|remove|cross|tick|scratch|delete|strike|knock)\s+(?P<items>.+?)\s+"
    rf"(?:off|from|out\s+of)\s+{_LIST_NAME}(?:\s+(?:pls|please|plz|thanks|thx|ta|too))?"
    r"(?:\s*[,;.!-]\s*.*)?$",
    re.IGNORECASE,
)
_CLEAR = re.compile(
    rf"{_POLITELY}(?:clear|empty|wipe|reset|clean\s+out)\s+(?:out\s+)?{_LIST_NAME}"
    r"(?:\s+(?:pls|please|plz|thanks|thx))?[\s.!]*$",
    re.IGNORECASE,
)
"""Every item taken off a list: "clear my shopping list" (the list stays, empty)."""
_CROSS_OFF = re.compile(
    rf"{_POLITELY}(?:cross|tick|scratch|strike|knock)\s+(?:off\s+(?P<items>.+?)|(?P<items_before>.+?)"
    r"\s+off)(?:\s+(?:pls|please|plz|thanks|thx))?[\s.!]*$",
    re.IGNORECASE,
)
"""Items ticked off with no list named ("cross off rice", "tick the eggs off"): off the list
that holds them."""
_SHOW = re.compile(
    rf"{_POLITELY}(?:(?:what'?s|whats|what\s+is|show(?:\s+me)?|read(?:\s+me)?|tell\s+me)\s+"
    rf"(?:on\s+|in\s+)?{_LIST_NAME}|what\s+do\s+(?:i|we)\s+need\s+to\s+(?:buy|get)"
    r"(?:\s+at\s+the\s+shops?)?)[\s?.!]*$",
    re.IGNORECASE,
)
_MORE = re.compile(
    r"^\W*(?:(?:oh|ah|ooh|ok|oh\s+yeah|wait)[\s,]+)*(?:and|also|plus)[\s,]+(?:(?:add|put|get)\s+)?"
    r"(?P<items>[^?]+?)(?:\s+(?:too|as\s+well|pls|please|plz))*[\s.!]*$"
    r"|^\W*\+\s*(?P<plus>[^?]+?)[\s.!]*$"
    r"|^\W*(?:(?:also|pls|please)\s+)?(?:add|put|get)\s+(?P<added>[^?]+?)(?:\s+(?:too|as\s+well|"
    r"pls|please|plz))*[\s.!]*$",
    re.IGNORECASE,
)
"""More items said right after a list was edited: "oh and bananas", "also add teabags",
"+ eggs", "add milk too"."""
_NOT_ITEM = re.compile(
    r"\b(?:i|i'm|im|my|me|we|you|u|it|that|this|thanks?|thx|ty|cheers|cool|great|nice|ok|okay|"
    r"lol|haha|perfect|awesome|brilliant|yes|yeah|yep|no|nope|sure|bye|hi|hello|done|nothing|"
    r"never\s*mind|nvm|good|night|morning)\b",
    re.IGNORECASE,
)
"""Words no item is made of: "and thanks", "also good night"."""
MAX_MORE_WORDS = 8
"""Longest follow-up read as items, in words: a longer message says something else."""
_PRONOUNS = frozenset({"it", "that", "this", "them", "those", "these", "one"})
_DEFAULT = "shopping"
"""The list "what do I need to buy?" reads."""
_EDITS: tuple[tuple[Literal["add", "remove"], re.Pattern[str]], ...] = (
    ("add", _ADD),
    ("remove", _REMOVE),
)


class ListRequest(NamedTuple):
    """Items to add to or take off a list, or a list to read out."""

    kind: Literal["add", "remove", "show", "clear"]
    name: str
    """The list's name as kept (:func:`list_name`)."""
    items: list[str]


def list_request(text: str) -> ListRequest | None:
    """What ``text`` asks of one of the user's lists (the first, where it asks of several:
    :func:`list_requests`); None when it asks nothing of one (or only of "it": "put it on the
    list" says no item)."""
    found = list_requests(text)
    return found[0] if found else None


_ANOTHER = re.compile(r"(?<=\blist)\s*(?:,\s*)?(?:\band\b|&|,|;)\s+(?=\S)", re.IGNORECASE)
"""Where a request goes on to another list ("… to my shopping list and sunscreen to my
packing list")."""


def list_requests(text: str) -> list[ListRequest]:
    """What ``text`` asks of the user's lists, one request a list named: "add eggs to my
    shopping list and sunscreen to my packing list" is two; [] when it asks nothing of one.
    ``name`` is "" for items ticked off with no list named ("cross off rice")."""
    text = text.strip()
    parts = _ANOTHER.split(text) if len(re.findall(r"\blist\b", text, re.I)) > 1 else [text]
    if len(parts) > 1:
        first = _one_request(parts[0])
        if first is None:
            return []
        verb = {"add": text.split()[0], "show": "what's on"}.get(first.kind, "take")
        rest = [
            _one_request(p if p.split()[0].lower() in _VERBS else f"{verb} {p}") for p in parts[1:]
        ]
        found = [first, *(r for r in rest if r is not None)]
        return found if len(found) == len(parts) else []
    one = _one_request(text)
    return [one] if one is not None else []


_VERBS = frozenset(
    {"add", "put", "stick", "throw", "pop", "chuck", "take", "remove", "cross", "tick"}
    | {"scratch", "delete", "strike", "knock"}
)


def _one_request(text: str) -> ListRequest | None:
    """What ``text`` asks of one list."""
    for kind, pattern in _EDITS:
        if m := pattern.match(text):
            items = [i for i in split_items(m["items"]) if i.lower() not in _PRONOUNS]
            if any(re.search(r"\blist\b", i, re.IGNORECASE) for i in items) or re.search(
                r"\b(?:my|our|the|to|on|from|off)\b", m["name"] or "", re.IGNORECASE
            ):
                return None  # a list named inside the items or the name: read wrong, not acted on
            named = list_name(m["name"] or _DEFAULT)
            return ListRequest(kind, named, items) if items else None
    if m := _CLEAR.match(text):
        return ListRequest("clear", list_name(m["name"] or _DEFAULT), [])
    if m := _CROSS_OFF.match(text):
        items = split_items(m["items"] or m["items_before"])
        if items and not any(i.lower() in _PRONOUNS or _NOT_ITEM.search(i) for i in items):
            return ListRequest("remove", "", items)
    if m := _SHOW.match(text):
        return ListRequest("show", list_name(m["name"] or _DEFAULT), [])
    return None


def more_items(text: str) -> list[str]:
    """The items a message adds to the list edited just before it ("oh and bananas",
    "also add teabags"); [] when it says no more than that, or something else (a question,
    a list named, a sentence)."""
    text = text.strip()
    if len(text.split()) > MAX_MORE_WORDS or list_request(text) is not None:
        return []
    m = _MORE.match(text)
    if m is None:
        return []
    items = split_items(m["items"] or m["plus"] or m["added"])
    if not items or any(_NOT_ITEM.search(i) for i in items):
        return []  # "and i'm off tomorrow", "also that was fun", "and thanks": not an item
    return items


TOLD = re.compile(
    r"^(?:(?:my|our)\s+)?(?!(?:the|a|an|this|that|which|what|your|his|her|their)\s)"
    r"(?P<name>(?:[^\W\d_][\w'-]*\s+){0,2}?list(?:\s+for\s+[^:–-]{1,30}?)?)\s*"
    r"(?::|-|–)\s*(?P<items>\S.{1,400})$",
    re.IGNORECASE,
)
"""A list told with its items ("my shopping list: eggs, milk", "our packing list for lisbon -
boots and a map", "packing list: passport, charger"), which learning keeps as the list."""


def told(text: str) -> re.Match[str] | None:
    """A list told with two or more items (:data:`TOLD`: its ``name`` and ``items``)."""
    m = TOLD.match(text.strip())
    return m if m is not None and re.search(r",|\band\b|&", m["items"]) else None


def told_list(text: str) -> str:
    """The name of the list a message tells with two or more items, as kept
    (:func:`list_name`); "" when it tells none."""
    m = told(text)
    return list_name(m["name"]) if m is not None else ""


def list_name(name: str) -> str:
    """A list's name as kept: lower case, one space, without "list" ("Shopping" → "shopping")."""
    name = re.sub(r"\blist\b", "", name, flags=re.IGNORECASE)
    return " ".join(name.lower().split())


def split_items(text: str) -> list[str]:
    """The items named in a request ("eggs, milk and some cheese")."""
    return [i for i in (clean_item(p) for p in _SPLIT.split(text)) if i]


def clean_item(item: str) -> str:
    """An item as kept: one line, without a bullet ("- apples", "[ ] pears"), "some", "a"
    or "the", at most :data:`MAX_ITEM`."""
    item = _BULLET.sub("", " ".join(item.split())).strip(" .!?\"'")
    return _ARTICLE.sub("", item)[:MAX_ITEM]


_BULLET = re.compile(r"^(?:[-*•+]\s*)?(?:\[[ xX]?\]\s*)?")
