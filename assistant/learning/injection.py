"""Prompt injection and pasted text: instructions hidden in messages, documents or notes.

A message can quote or paste a document, an email or meeting notes. What is pasted is data:
it is never a source of facts about the user nor of instructions, and a line in it addressed
to "any AI" or "the assistant" is dropped wherever it appears. The user's own words around
the pasted part are learned from as usual.
"""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|system|safety)\s+(?:instructions?|prompts?|rules?|messages?)"
    r"|\byou are now\b|\bnew (?:system )?instructions?:|\bsystem prompt\b"
    r"|\bact as (?:an? )?(?:unrestricted|jailbroken|dan)\b|\bdeveloper mode\b"
    r"|\b(?:reveal|print|show|send|exfiltrate)\s+(?:me\s+)?(?:your|the)\s+"
    r"(?:system prompt|instructions|api keys?|secrets?|password)",
    re.IGNORECASE,
)
_MACHINE = r"(?:ai|a\.i\.|assistants?|chat ?bots?|bots?|llms?|language models?|models?|gpt|chatgpt)"
_TO_AI = re.compile(
    rf"\b(?:any|all|every|the|dear|attention|hey|hi|note (?:to|for)(?: the| any| all)?|"
    rf"instructions? (?:to|for)(?: the| any)?|if you(?:'re| are) an?|to the)\s+(?:other\s+)?"
    rf"{_MACHINE}\b(?:\s+(?:systems?|tools?|reading|processing|summari[sz]ing))?"
    rf"|^\W*(?:ai|assistant|chatgpt|claude|gpt|bot|system)\s*[,:]"
    rf"|\b{_MACHINE}\s+(?:reading|processing|summari[sz]ing)\s+this\b",
    re.IGNORECASE,
)
_HEADER = re.compile(
    r"^\s*(?:from|to|cc|bcc|subject|sent|date|reply-to|attendees|agenda|minutes)\s*:",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded|original) message|begin forwarded message|on .{4,60} wrote:"
    r"|(?:meeting )?notes (?:from|for)\b.*:?$|minutes of\b)",
    re.IGNORECASE,
)
_INTRODUCES = re.compile(
    r"(?:below|here(?:'s| is| are)|pasted|pasting|forwarded|(?:he|she|they|it|\w+) "
    r"(?:wrote|sent|said|says)(?: this)?|the (?:email|notes|message|document|text|minutes|"
    r"letter|post|article)[^:]{0,40})\s*:\s*$",
    re.IGNORECASE,
)
_FENCE = re.compile(r"^\s*(?:```|\"\"\"|''')")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|_{3,}|\[?end(?: of)?[^\]]{0,20}\]?)\s*$", re.I)
_OWN_AGAIN = re.compile(
    r"^\W*(?:anyway|anyhow|btw|by the way|ok(?:ay)? so|so yeah|also|fyi|that was|that's from|"
    r"end of (?:the )?(?:email|notes|paste)|(?:me|my own)\s*:)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|my|me|we|our)\b", re.IGNORECASE)


def looks_like_injection(text: str) -> bool:
    """Whether ``text`` tries to instruct the assistant rather than tell it something."""
    return _INJECTION.search(text) is not None


def addressed_to_ai(text: str) -> bool:
    """Whether ``text`` speaks to an AI or assistant in general ("note to any AI: …"),
    as a document written for machines to read does; a user does not tell their own
    assistant facts that way."""
    return _TO_AI.search(text) is not None


def own_words(text: str) -> str:
    """The part of a message the user wrote themselves: quoted lines (``>``), email headers
    and what follows them, fenced blocks, text introduced as pasted ("here's the email:"),
    third-person bullet lists and lines addressed to an AI are left out."""
    kept: list[str] = []
    pasting = fenced = False
    lines = text.splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if _FENCE.match(stripped):
            fenced = not fenced
            continue
        if fenced:
            continue
        if pasting:
            previous_blank = number > 0 and not lines[number - 1].strip()
            if _SEPARATOR.match(stripped):
                pasting = False
                continue
            if previous_blank and _OWN_AGAIN.match(stripped):
                pasting = False
            else:
                continue
        if not stripped:
            kept.append("")
            continue
        if _HEADER.match(stripped) or _FORWARD.match(stripped):
            pasting = True
            continue
        if stripped.startswith(">") or addressed_to_ai(stripped):
            continue
        if _BULLET.match(stripped) and not _FIRST_PERSON.search(stripped):
            continue
        kept.append(line)
        if _INTRODUCES.search(stripped) and number + 1 < len(lines):
            pasting = True
    return "\n".join(kept).strip()
