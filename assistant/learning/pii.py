"""Sensitive data in text: detected, flagged, and secrets redacted unless the user insists."""

from __future__ import annotations

import re
from dataclasses import dataclass

SECRET_KINDS = frozenset({"card", "api_key", "password"})

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("api_key", re.compile(
        r"\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}"
        r"|xox[abpr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})\b"
    )),
    ("password", re.compile(
        r"\b(?:password|passcode|passwd|pin|wifi key)\b(?:\s+(?:is|was|=|:))+\s*[\"']?(\S{3,})",
        re.IGNORECASE,
    )),
    ("national_id", re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\b[A-Z]{2}\d{6}[A-D]\b")),
    ("card", re.compile(r"\b(?:\d[ -]?){13,19}\b")),
    ("phone", re.compile(r"(?<![\w-])\+?\d[\d ()-]{7,}\d(?![\w-])")),
]  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One piece of sensitive data: its kind and where it is."""

    kind: str
    start: int
    end: int


def find_pii(text: str) -> list[Finding]:
    """Sensitive spans, most specific kind first, never overlapping."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span(1) if kind == "password" else match.span()
            if kind == "card" and not luhn(match.group()):
                continue
            if kind == "phone" and sum(c.isdigit() for c in match.group()) < 9:
                continue
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            found.append(Finding(kind, start, end))
    return sorted(found, key=lambda f: f.start)


def luhn(candidate: str) -> bool:
    """Whether the digits of ``candidate`` pass the Luhn check (13 to 19 digits)."""
    digits = [int(c) for c in candidate if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def redact(text: str, findings: list[Finding], kinds: frozenset[str] = SECRET_KINDS) -> str:
    """``text`` with the findings of ``kinds`` replaced by ``[redacted KIND]``."""
    out = text
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        if finding.kind in kinds:
            out = out[: finding.start] + f"[redacted {finding.kind}]" + out[finding.end :]
    return out
