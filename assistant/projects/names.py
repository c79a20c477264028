"""Project names: what a folder in the vault, a command argument and a link may all hold.

A project's name is its folder's name (``Assistant/Projects/<Name>/``), so a name is checked
once, here, for every place it goes: letters and digits of any script, spaces, and
``- _ ' & ( ) + , .`` inside (never first or last: a leading dot hides the folder, a
trailing one is dropped by Windows). Slashes, emoji and the characters Obsidian refuses in
a file name are refused with a reason; names are compared without regard to case, so two
projects never differ only in case.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import InvalidInputError

MAX_NAME = 64
"""The longest project name, in characters."""
_ALLOWED_PUNCTUATION = frozenset(" -_'&()+,.")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
NONE_WORDS = frozenset({"none", "off", "-", "global"})
"""What ``/project`` and ``assistant project use`` take to mean "no project"."""


def check_name(raw: str) -> str:
    """``raw`` as a project name (spaces squeezed, Unicode composed), or
    :class:`InvalidInputError` saying what is wrong with it."""
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw)).strip()
    if not name:
        raise InvalidInputError("a project needs a name")
    if len(name) > MAX_NAME:
        raise InvalidInputError(
            f"a project name has at most {MAX_NAME} characters (this one has {len(name)})"
        )
    if "/" in name or "\\" in name:
        raise InvalidInputError(
            f"{name!r}: a project name cannot hold a slash (it names one folder)"
        )
    if name[0] in _ALLOWED_PUNCTUATION or name[-1] in _ALLOWED_PUNCTUATION:
        raise InvalidInputError(
            f"{name!r}: a project name must begin and end with a letter or a digit"
        )
    bad = sorted({c for c in name if not _allowed(c)})
    if bad:
        shown = " ".join(bad)
        raise InvalidInputError(
            f"{name!r}: a project name can hold letters, digits, spaces and - _ ' & ( ) + , . "
            f"but not {shown}"
        )
    if name.split(".")[0].upper() in _RESERVED or name.casefold() in NONE_WORDS:
        raise InvalidInputError(f"{name!r} is a reserved word; choose another project name")
    return name


def name_key(name: str) -> str:
    """How names are compared: without regard to case or Unicode form."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def _allowed(char: str) -> bool:
    return char in _ALLOWED_PUNCTUATION or unicodedata.category(char)[0] in ("L", "N", "M")
