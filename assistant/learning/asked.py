"""A request to remember something, read as the thing to remember: "can you remember that im
allergic to latex?" tells the fact "im allergic to latex", "pls remember i take my coffee
black" tells "i take my coffee black", and "note to self: bins go out on thursdays" tells
"bins go out on thursdays".

A request to recall ("can you remember my sister's birthday?", "remember when we went to
Paris?", "remember my sister is coming?": asked without "that") and a reminder ("remember to
buy milk") tell nothing and are left as written.

Usage::

    as_told("can u remember that my sisters bday is 3rd may")  # "my sisters bday is 3rd may."
"""

from __future__ import annotations

import re

_ASKING = (
    r"(?:(?:hey|hi|ok|okay|oh|and|also|btw|so)\W+)*"
    r"(?:(?:can|could|will|would)\s+(?:you|u|ya)\s+|(?:please|pls|plz)\s+)?"
    r"(?:please\s+|pls\s+|plz\s+|just\s+)?"
    r"(?:remember|note(?:\s+down)?|keep\s+in\s+mind|make\s+a\s+note|don'?t\s+forget|do\s+not\s+forget"
    r"|(?:don'?t|do\s+not)\s+let\s+me\s+forget)"
    r"(?:\s+(?:please|pls|plz|for\s+me))?"
)
_SUBJECT = (
    r"(?:i|i'm|im|i've|ive|i'd|id|my|our|we|we're|we've|weve|he|he's|hes|she|she's|shes|they|"
    r"they're|their|the)\b"
    r"|(?-i:[A-Z])\w+"
    r"|\w+(?:'s|’s|s)?\s+(?:is|are|has|have|lives|works|bday|birthday)\b"
)
"""How a statement opens: a subject, a name, or someone's thing ("sisters bday is")."""
_REQUEST = re.compile(
    rf"^\s*{_ASKING}(?:(?P<that>\s+that\s+)(?!(?:time|day|night|one|place|trip|guy|girl)\b)"
    rf"|\s*:\s*(?=\w)|,?\s+(?={_SUBJECT}))"
    r"|^\s*(?:(?:a\s+)?note\s+to\s+self|fyi\s+for\s+later|for\s+the\s+record)\s*[:,-]*\s*",
    re.IGNORECASE,
)


def as_told(text: str) -> str:
    """``text`` with each sentence that asks to remember something replaced by what it asks
    to remember, as a statement; unchanged when none does."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    changed = False
    told = []
    for part in parts:
        match = _REQUEST.match(part)
        rest = part[match.end() :].strip() if match else ""
        asked = match is not None and not match.group("that") and part.rstrip().endswith("?")
        if match is None or not rest or asked:  # "can you remember my sister's bday?"
            told.append(part)
            continue
        changed = True
        told.append(rest.rstrip(" ?") + ("" if rest.rstrip(" ?")[-1:] in ".!" else "."))
    return " ".join(told) if changed else text
