"""Sensitive data in text: detected, flagged, and secrets redacted unless the user insists.

Secrets (cards, bank accounts, passports, API keys, passwords and PINs) are redacted where a
message enters, before anything keeps it; the other kinds (emails, phone numbers, national ids)
are only flagged. A ``[redacted KIND]`` marker is itself found as that kind, so redacting twice
changes nothing and redacted text still says what it held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECRET_KINDS = frozenset({"card", "bank_account", "passport", "api_key", "password", "national_id"})

_MARKER = re.compile(rf"\[redacted ({'|'.join(sorted(SECRET_KINDS))})\]")

# What people call a secret they type: "my bank password: …", "the wifi password for my home
# network is …", "PIN: …", "my api key is …".
_LABEL = (
    r"(?:pass(?:word|code|phrase)|passwd|pwd|pw|pword|p/w|wi-?fi (?:key|code)|security code|cvv|cvc"
    r"|api[ _-]?key|access key|secret key|(?:auth|access|api) token)"
)
_PIN = (
    r"(?:pin(?: code| number)?|pin-code|(?:door|gate|alarm|entry|building|lock|keypad|safe|"
    r"garage|lockbox|key ?safe|key ?box|bike lock)\s+(?:code|combination|combo|pin)"
    r"|combination|combo)"
)
"""A PIN, or the code of a door, gate, alarm or safe ("the door code is 4471")."""
# Between the label and "is": only "for/to/of/on/at/in/with" and a few words ("for my home
# network"), so "the password reset link is broken" says nothing about a password.
_QUALIFIER = r"(?:\s+(?:for|to|of|on|at|in|with)(?:\s+[\w'’.-]+){1,5}?)?"
_IS = (
    r"(?:\s*[:=]|\s+(?:is|was|will be)\b|\s+->|'s\b|’s\b)"
    r"(?:\s+(?:now|still|just|actually|set to)\b)?"
)
_VALUE = (
    r"\s*(\"[^\"\n]{3,80}\"|'[^'\n]{3,80}'|“[^”\n]{3,80}”|‘[^’\n]{3,80}’"
    r"|\S{3,}?(?=[.,;:!?)]*(?:\s|$)))"
)
_ORDINARY_WORDS = """
    a an the my your our his her their its it this that what which how why where here there
    in on at to of for by from with not no too very so still same wrong right correct incorrect
    expired changed saved stored written somewhere long short strong weak secure safe easy hard
    simple ok okay fine broken reset forgotten lost stolen missing required needed different
    unknown below above attached gone invalid valid empty blank case-sensitive sensitive
    something nothing always never also only just really probably definitely"""
_NOT_A_SECRET = frozenset(_ORDINARY_WORDS.split())
"""Words that follow "my password is" when no password does ("… is too short")."""

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (
        "api_key",
        re.compile(
            r"\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}"
            r"|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}"
            r"|[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}|xox[abpr]-[A-Za-z0-9-]{10,}"
            r"|AIza[0-9A-Za-z_-]{35})(?![\w-])"
        ),
    ),
    ("password", re.compile(rf"\b{_PIN}{_QUALIFIER}{_IS}\s*(\d{{4,12}})\b", re.IGNORECASE)),
    ("password", re.compile(rf"\b{_LABEL}{_QUALIFIER}{_IS}{_VALUE}", re.IGNORECASE)),
    # "the pass is purplemonkey77" (a value with a digit: "my bus pass is valid" is no secret)
    ("password", re.compile(rf"\bpass{_QUALIFIER}{_IS}\s*(?=\S*\d){_VALUE}", re.IGNORECASE)),
    ("password", re.compile(r"\b(?:cvv2?|cvc2?|csc|security code)\s*[:=#]?\s*(\d{3,4})\b", re.I)),
    # "gmail login is dana.k@gmail.com / Tr0ub4dor&3": what follows the slash
    (
        "password",
        re.compile(
            r"\b(?:log-?in|sign-?in|credentials|user(?:name)?)\b(?:\s+(?:is|are|details|info|for"
            r"\s+\S+))*\s*[:=]?\s*\S+\s*/\s*(\S{3,})",
            re.IGNORECASE,
        ),
    ),
    (
        "passport",
        re.compile(
            r"\bpassport(?:\s+(?:number|no\.?|num|#))?(?:\s*[:#=]|\s+(?:is|was))?\s*"
            r"([A-Z0-9]{6,9})\b",
            re.IGNORECASE,
        ),
    ),
    ("bank_account", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")),
    # "my nhs number is 943 476 5919", "NI number: QQ 12 34 56 C", "ssn 078-05-1120"
    (
        "national_id",
        re.compile(
            r"\b(?:nhs|national\s+insurance|ni|social\s+security|ssn|sin|medicare|health\s+card|"
            r"tax\s+file|tfn|bsn|personnummer|national\s+id|id\s+card)\s*(?:number|no\.?|num|#)?"
            r"(?:\s*[:=#]|\s+(?:is|was))?\s*([A-Z0-9](?:[ -]?[A-Z0-9]){6,14})\b",
            re.IGNORECASE,
        ),
    ),
    ("national_id", re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\b[A-Z]{2}\d{6}[A-D]\b")),
    ("card", re.compile(r"\b\d(?:[ -]?\d){12,18}\b")),
    ("phone", re.compile(r"(?<![\w-])\+?\d[\d ()-]{7,}\d(?![\w-])")),
]


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

    def take(kind: str, start: int, end: int) -> None:
        if not any(start < b and a < end for a, b in taken):
            taken.append((start, end))
            found.append(Finding(kind, start, end))

    for match in _MARKER.finditer(text):
        take(match.group(1), *match.span())
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if _plausible(kind, match):
                take(kind, *(match.span(1) if match.re.groups else match.span()))
    return sorted(found, key=lambda f: f.start)


def _plausible(kind: str, match: re.Match[str]) -> bool:
    """Whether a pattern's match is the kind it looks like (checksums, digits, real values)."""
    value: str = match.group(1) if match.re.groups else match.group()
    if kind == "national_id":
        return sum(c.isdigit() for c in value) >= 6
    if kind == "password":
        return value.lower().strip("\"'“”‘’") not in _NOT_A_SECRET
    if kind in ("passport", "api_key"):
        return any(c.isdigit() for c in value)
    if kind == "bank_account":
        return iban_valid(value)
    if kind == "card":
        return luhn(value)
    if kind == "phone":
        return sum(c.isdigit() for c in value) >= 9
    return True


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


def iban_valid(candidate: str) -> bool:
    """Whether ``candidate`` (spaces allowed) is an IBAN with a valid mod-97 check."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def redact(text: str, findings: list[Finding], kinds: frozenset[str] = SECRET_KINDS) -> str:
    """``text`` with the findings of ``kinds`` replaced by ``[redacted KIND]``."""
    out = text
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        if finding.kind in kinds:
            out = out[: finding.start] + f"[redacted {finding.kind}]" + out[finding.end :]
    return out


def redact_secrets(text: str) -> str:
    """``text`` with every secret in it replaced by ``[redacted KIND]`` (the same text when it
    holds none): what may be kept of a message anywhere but an explicit ``/remember``."""
    return redact(text, find_pii(text))
