"""An allergy that turned out wrong ends only itself: "turns out im not allergic to penicillin"
after "I'm allergic to penicillin and shellfish." keeps "I'm allergic to shellfish.".

Usage::

    withdrawn_allergy(memories, "turns out im not actually allergic to penicillin")
    # Ending(replaced=None, text=…, partner="", remaining=(note, "I'm allergic to shellfish."))
"""

from __future__ import annotations

import re

from assistant.learning.dates import plain
from assistant.learning.partners import Ending
from assistant.list_requests import split_items
from assistant.memories import Memories

_NOT = re.compile(
    r"\bnot\s+(?:actually\s+|really\s+|even\s+)?allergic\s+to\s+(?P<what>[^\W\d_][\w' -]{1,40}?)"
    r"(?=\s*(?:$|[,.;!)]|after\s+all|anymore|any\s+more|at\s+all|now|either)\b|\s*$|\s*[,.;!)])",
    re.IGNORECASE,
)
"""An allergy said to be none ("not actually allergic to penicillin after all")."""
_ALLERGIC = re.compile(
    r"\ballergic\s+to\s+(?P<items>[^.!?;()]+?)(?=\s*(?:$|[.!?;()]|,\s*(?:like|it|so|but|which)\b))",
    re.IGNORECASE,
)
MAX_FACTS = 10


def withdrawn_allergy(memories: Memories, text: str) -> Ending | None:
    """What an allergy said to be none ends: the stored note of that allergy alone (replaced
    by ``text``), or, where the note names others too, that note without it (kept beside
    ``text``); None when ``text`` withdraws no allergy the store holds."""
    said = _NOT.search(plain(text))
    if said is None:
        return None
    what = said["what"].strip().lower()
    for hit in memories.search(f"allergic to {what}", MAX_FACTS, touch=False):
        note = hit.memory
        if _NOT.search(note.text):
            continue
        found = _ALLERGIC.search(plain(note.text))
        if found is None:
            continue
        items = split_items(found["items"])
        kept = [i for i in items if i.lower() != what]
        if len(kept) == len(items):
            continue
        if not kept:
            return Ending(note, text, "")
        rest = _rest(plain(note.text), found, kept)
        return Ending(None, text, "", remaining=(note, rest))
    return None


def _rest(text: str, found: re.Match[str], kept: list[str]) -> str:
    listed = kept[0] if len(kept) == 1 else f"{', '.join(kept[:-1])} and {kept[-1]}"
    return f"{text[: found.start('items')]}{listed}{text[found.end('items') :]}"
