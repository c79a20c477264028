"""Self-repair inside one message: "I'm on 40mg... no sorry, 20mg" means 20mg.

A writer who fixes a value as they type says the new one after a repair cue ("no sorry",
"sorry", "I mean", "no wait", "make that", "or rather"); the value it replaces is the last one
of the same kind before the cue (a number with the same unit or ending: "40mg" / "20mg",
"19th" / "21st", "3pm" / "4pm"). The message is read as if written right the first time, so
the old value is never learned.
"""

from __future__ import annotations

import re

_CUE = re.compile(
    r"(?<!\s)(?:\s*(?:\.{2,}|…|,|;|\s-|\s—))?\s*\b(?:no,?\s+sorry|sorry|no,?\s+wait|wait,?\s+no|"
    r"i mean|i meant|make that|or rather|no no|err+)\b[,:]?\s+(?P<new>\d[\w:.]*?)(?=[\s.,!?;)]|$)",
    re.IGNORECASE,
)
_VALUE = re.compile(r"\d[\w:.]*?(?=[\s.,!?;)(]|$)")
_ORDINAL = {"st", "nd", "rd", "th"}


def _kind(value: str) -> str:
    """What a value counts or measures: its letters after the digits ("mg", "pm"); every
    ordinal ending is one kind ("19th" / "21st")."""
    letters = re.sub(r"^[\d:.]+", "", value).lower()
    return "th" if letters in _ORDINAL else letters


def repaired(text: str) -> str:
    """``text`` with each value fixed in passing put in place of the one it replaces ("on
    fluoxetine 40mg... no sorry, 20mg." reads "on fluoxetine 20mg."); unchanged when no
    earlier value of the same kind precedes the cue."""
    while True:
        for cue in _CUE.finditer(text):
            new = cue.group("new")
            before = [
                v for v in _VALUE.finditer(text, 0, cue.start()) if _kind(v.group()) == _kind(new)
            ]
            if before:
                old = before[-1]
                text = text[: old.start()] + new + text[old.end() : cue.start()] + text[cue.end() :]
                break
        else:
            return text
