"""What to keep in mind before eating, drinking or taking something: for a question such as
"can i eat satay?" or "is it ok for me to have a glass of wine", the user's facts about food,
drink and health (an allergy, an intolerance, a diet, a medication, a condition), answered
even without a model, which cannot tell that satay is made with peanuts but can say that the
user is allergic to them.

Usage::

    cautions("can i eat satay?", identity_facts)   # [Memory("I'm allergic to peanuts.")]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.memory_types import Memory

MAX_CAUTIONS = 6
_CONSUMING = re.compile(
    r"^\W*(?:(?:so|ok|okay|hey|quick q(?:uestion)?|btw)\W+)*"
    r"(?:(?:can|could|may|should|shall)\s+i|is\s+it\s+(?:ok|okay|safe|fine|alright|bad)"
    r"(?:\s+for\s+me)?\s+to|am\s+i\s+(?:ok|okay|allowed|able)\s+to|would\s+it\s+be\s+(?:ok|okay|"
    r"safe|fine)(?:\s+for\s+me)?\s+to|do\s+you\s+think\s+i\s+(?:can|could|should))\s+"
    r"(?:still\s+|safely\s+|really\s+)?(?:eat|have|drink|take|try|order|get|grab|use|share)\b"
    r"|\b(?:safe|ok|okay|fine|good|bad)\s+for\s+me\s+to\s+(?:eat|have|drink|take|try)\b"
    r"|\b(?:is|are)\s+\w+(?:\s+\w+){0,2}\s+(?:safe|ok|okay)\s+for\s+me\b",
    re.IGNORECASE,
)
"""A question whether the user may eat, drink or take something."""
_HEALTH = re.compile(
    r"\b(?:allerg\w*|intoleran\w*|coeliac|celiac|diabet\w*|vegan|vegetarian|pescatarian|halal|"
    r"kosher|dairy|gluten|lactose|nuts?|peanuts?|shellfish|sesame|sugar|alcohol|sober|"
    r"teetotal|drink(?:ing)?|pregnan\w*|breastfeeding|medication|meds|pills?|tablets?|"
    r"\d+\s?mg|insulin|epipen|anaphyla\w*|diet|keto|fasting|caffeine|coffee|migraines?|"
    r"kidney|liver|blood\s+(?:pressure|thinners?)|warfarin|ibs|crohn'?s|reflux|gout)\b",
    re.IGNORECASE,
)
"""What a fact about food, drink and health names."""


def consuming(question: str) -> bool:
    """Whether ``question`` asks whether the user may eat, drink or take something."""
    return _CONSUMING.search(question) is not None


def cautions(question: str, facts: Sequence[Memory]) -> list[Memory]:
    """The facts among ``facts`` to keep in mind before what ``question`` asks about: those
    about food, drink and health, the most important first; none when the question asks no
    such thing."""
    if not consuming(question):
        return []
    found = [m for m in facts if _HEALTH.search(m.text)]
    return sorted(found, key=lambda m: -m.importance)[:MAX_CAUTIONS]
