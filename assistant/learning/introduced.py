"""A name given right after someone new is told of: "we got a puppy! her name is luna" is
"we got a puppy called luna", "we got engaged!! his name is sam" is "I got engaged to sam".

Said apart, the name would be kept as "Her name is luna.", whose it is lost.

Usage::

    introduced("we got a puppy! her name is luna")  # "we got a puppy called luna"
"""

from __future__ import annotations

import re

_NAME = r"(?P<name>[^\W\d_][\w'’-]*)"
_GIVEN = (
    rf"(?P<gap>[^\w]+?)\s*(?:(?:his|her|its|their)\s+name(?:'s|’s|s|\s+is)|"
    rf"(?:he|she|it)(?:'s|’s|\s+is)\s+called|called|named)\s+{_NAME}"
)
_WHEN = (
    r"(?P<when>\s+(?:last\s+night|yesterday|today|this\s+(?:morning|afternoon|week)|last\s+week|"
    r"on\s+[a-z]+day))?"
)
_NEW = re.compile(
    r"\b(?P<told>(?:we|i)(?:'ve|’ve|\s+have)?\s+(?:just\s+|finally\s+|officially\s+)?"
    r"(?:(?:got|adopted|rescued|bought|welcomed|brought\s+home)\s+(?:a|an)\s+"
    r"(?!lot\b|bit\b|few\b|couple\b)[a-z]+(?:\s+(?!last\b|this\b|on\b)[a-z]+){0,2}?"
    r"|had\s+(?:a|our)\s+(?:little\s+|baby\s+)?(?:baby|girl|boy|son|daughter)(?:\s+(?:girl|boy))?))"
    + _WHEN
    + _GIVEN,
    re.IGNORECASE,
)
"""Someone or something new, then its name: "we got a puppy! her name is luna", "we had a
baby girl, she's called ada"."""
_ENGAGED = re.compile(
    r"\b(?:we|i)(?:'ve|’ve|\s+have)?\s+(?:just\s+|finally\s+|officially\s+)?got\s+engaged" + _GIVEN,
    re.IGNORECASE,
)
"""An engagement, then whom to: "we got engaged!! his name is sam"."""
_NOT_NAMES = frozenset(
    re.findall(
        r"\w+",
        "is was a an the so really very not too great cute amazing lovely perfect gorgeous "
        "beautiful adorable awesome nice tiny huge weird funny silly long hard unusual something",
    )
)
"""Words after "her name is" that are no name ("her name is so cute")."""


def introduced(text: str) -> str:
    """``text`` with a name said right after someone new joined to them; unchanged where
    it says none."""

    def called(match: re.Match[str]) -> str:
        if match["name"].lower() in _NOT_NAMES:
            return match.group(0)
        return f"{match['told']} called {match['name']}{match['when'] or ''}"

    def engaged(match: re.Match[str]) -> str:
        if match["name"].lower() in _NOT_NAMES:
            return match.group(0)
        return f"I got engaged to {match['name']}"

    return _ENGAGED.sub(engaged, _NEW.sub(called, text))
