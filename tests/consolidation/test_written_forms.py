"""Hard differences read the forms people write facts in: a date in digits is the date in
words, an initialism is the words it stands for, "fav" is "favourite", and a hyphenated pair
of colours names both; a date, an initialism or a colour that really differs still vetoes."""

from __future__ import annotations

import pytest

from assistant.consolidation.differences import dates, numbers, veto


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("We got married on 17 September 2009.", "17/09/2009 - our wedding day"),
        ("Ruairi was born on 2019-04-28.", "Ruairi was born on 28 April 2019."),
        ("I'm a quality assurance engineer at Brightwell.", "job: QA engineer @ brightwell"),
        ("She grew up in Milton Keynes.", "grew up in MK"),
        ("fav biscuit: custard creams", "favourite biscuit is custard creams"),
        ("I'm blue-yellow colour-blind.", "I'm colour-blind for blue and yellow."),
    ],
)
def test_one_fact_in_two_forms_has_no_hard_difference(a: str, b: str) -> None:
    assert veto(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("We got married on 17 September 2009.", "17/10/2009 - our wedding day"),
        ("We got married on 17 September 2009.", "17/09/2011 - our wedding day"),
        ("job: QA engineer @ brightwell", "job: HR manager @ brightwell"),
        ("I'm blue-yellow colour-blind.", "I'm red-green colour-blind."),
    ],
)
def test_a_real_difference_in_those_forms_still_vetoes(a: str, b: str) -> None:
    assert veto(a, b) is not None


def test_an_ambiguous_date_in_digits_is_read_as_numbers() -> None:
    assert dates("due 04/05/2027") == frozenset()
    assert numbers("due 04/05/2027") == {"4", "5", "2027"}
    assert dates("due 14/05/2027") == {"may"} and numbers("due 14/05/2027") == {"14", "2027"}
