"""Whether a message is written in another language than English: the learner's classifiers
and rules read English only, so such a message is kept as the user's words (searchable) but
nothing is learned from it, and the reply says so instead of "Got it.".

Told by function words, the commonest words of a language, which a message in it can hardly
avoid: "mi hermana se llama lucía" has four Spanish ones and no English one, while "I love
pastel de choclo y empanadas" has English ones too and stays English.

Usage::

    foreign("je suis allergique aux arachides")   # True
    foreign("my fav café is le petit prince")      # False
"""

from __future__ import annotations

import re

_ENGLISH_WORDS = (
    "the i i'm im my me is are was were and a an to of it its you your we our he she they "
    "have has had do does did not this that what who where when how for on with at be been "
    "am so but just about from will would can there here"
)
_OTHER_WORDS = (
    # Spanish
    "el los las y que mi mis se llama vive es está estoy soy tengo muy pero con por para "
    "una hermana hermano madre padre hijo hija también porque cuando donde quiero mañana "
    # French
    "je suis mon ma mes les et est une avec pour dans pas ne j'ai c'est qui nous vous très "
    "aux sœur frère mère père demain parce aussi elle il ils sont "
    # German
    "ich bin und der die das mein meine ist nicht mit wohne ein eine zu auf für heißt "
    "schwester bruder mutter vater morgen auch weil wir sie habe "
    # Italian
    "io sono mio il che di non ho sorella fratello madre perché anche domani "
    # Portuguese
    "eu sou minha meu não com uma tenho moro irmã irmão mãe pai amanhã também "
    # Dutch
    "ik ben mijn het een niet woon zijn heb zus broer moeder vader morgen ook"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_OTHER = frozenset(_OTHER_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def foreign(text: str) -> bool:
    """Whether ``text`` reads as another language than English: at least two function words
    of the others, and three times as many as English ones."""
    words = [w.casefold() for w in _WORD.findall(text)]
    theirs = sum(w in _OTHER and w not in _ENGLISH for w in words)
    ours = sum(w in _ENGLISH for w in words)
    return theirs >= 2 and theirs >= 3 * ours
