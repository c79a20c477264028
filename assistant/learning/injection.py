"""Prompt injection: instructions hidden in messages, pasted documents or notes."""

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


def looks_like_injection(text: str) -> bool:
    """Whether ``text`` tries to instruct the assistant rather than tell it something."""
    return _INJECTION.search(text) is not None
