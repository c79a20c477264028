"""Hard differences read the forms people write facts in: a date in digits is the date in
words, an initialism is the words it stands for, "fav" is "favourite", and a hyphenated pair
of colours names both; a date, an initialism or a colour that really differs still vetoes. A
number or name on one side only is one text saying more, which the pair reader may read; a
value on both sides that differs never is."""

from __future__ import annotations

import pytest

from assistant.consolidation.differences import dates, numbers, one_sided, veto


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


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Type 1 diabetic since I was 14.", "I'm diabetic."),
        ("I work a two-weeks-on, two-weeks-off rotation.", "Work pattern: fortnight on, off."),
        ("My shoe size is 8.", "wears a size 8 shoe (UK)"),
        ("I went to Kyoto.", "I went to Kyoto and Osaka."),
    ],
)
def test_a_number_or_name_on_one_side_only_is_one_sided(a: str, b: str) -> None:
    kind = veto(a, b)
    assert kind in {"number", "name"} and one_sided(kind, a, b) and one_sided(kind, b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I have 2 cats.", "I have 3 cats."),
        ("Dentist on March 3.", "Dentist on May 3."),
        ("My sister Ana Silva lives in Leeds.", "My sister Ana Costa lives in Leeds."),
        ("My sister lives in Leeds.", "My sister lives in York."),
        ("Tom plays chess on Fridays.", "Ben plays chess on Fridays."),
        ("Our dog is called Rex.", "Our dog is called Max."),
        ("Physio on Tuesday at 3pm.", "Physio on Tuesday at 3:30pm."),
        ("Meds at 8am and 8pm.", "Meds at 8am and 2pm."),
        ("I take one sugar in my tea.", "I take 2 sugars in my tea."),
        ("My flat is on the 3rd floor.", "I live on the fourth floor."),
        ("our neighbour sven has a boat", "User's neighbour Lars has a boat."),
        ("my friend has a bakery in kyoto", "My friend has a bakery in Nara."),
        ("Takes vitamin D daily.", "Takes vitamin B12 daily."),
    ],
)
def test_a_value_on_both_sides_that_differs_is_never_one_sided(a: str, b: str) -> None:
    kind = veto(a, b)
    assert kind is not None and not one_sided(kind, a, b) and not one_sided(kind, b, a)
