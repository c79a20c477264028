"""Hard differences read the forms people write facts in: a date in digits is the date in
words, an initialism is the words it stands for, a short form of a name is the name ("Valpo"
/ "Valparaíso"), "on TV" names no one, "fav" is "favourite", and a hyphenated pair of colours
names both; a date, an initialism or a colour that really differs still vetoes. A
number or name on one side only is one text saying more, which the pair reader may read; a
value on both sides that differs never is."""

from __future__ import annotations

import pytest

from assistant.consolidation.differences import (
    dates,
    numbers,
    one_sided,
    periods,
    swap_spans,
    veto,
)
from assistant.consolidation.forms import worded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("We got married on 17 September 2009.", "17/09/2009 - our wedding day"),
        ("Ruairi was born on 2019-04-28.", "Ruairi was born on 28 April 2019."),
        ("I'm a quality assurance engineer at Brightwell.", "job: QA engineer @ brightwell"),
        ("She grew up in Milton Keynes.", "grew up in MK"),
        ("fav biscuit: custard creams", "favourite biscuit is custard creams"),
        ("I'm blue-yellow colour-blind.", "I'm colour-blind for blue and yellow."),
        ("Mum's birthday is 3 November.", "Ngozi (my mum) was born on the 3rd of Nov."),
        ("volunteers at the dogs' home once a month", "monthly volunteering shift at the shelter"),
        ("drives a subaru outback", "car = outback (subaru)"),
        ("Piano lesson every week.", "weekly piano lesson"),
        ("My aunt lives in Valparaíso.", "aunt's place is in Valpo"),
        ("I study in Barcelona.", "uni is in Barna, final year"),
        ("We watch the Tour de France on TV.", "We watch the Tour de France."),
        ("Bamse weighed 7.8 kg at the vet.", "vet: Bamse 7,8 kg"),  # a decimal comma
        ("Paid 1,500 for the boat trailer.", "boat trailer cost 1500"),
        ("Eye doctor on 14 January at 10:00.", "eye doctor jan 14, 10am"),  # on the hour
        ("I have type 2 diabetes.", "T2DM"),  # a digit in a word, said by the other
        ("Jonas started nursery in August.", "Jonas → nursery from august"),  # a note
        ("I'm a Type One diabetic.", "insulin-dependent (type 1)"),  # a number in words
        ("My reading glasses are +2.0.", "reading glasses: +2"),  # zeros after the point
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
        ("Sees a therapist weekly.", "Sees a therapist monthly."),
        ("Haircut once a month.", "Haircut every other week."),
        ("Takes vitamin D daily.", "Takes vitamin D once a week."),
        ("Gym twice a month.", "Gym monthly."),
        ("My aunt lives in Valparaíso.", "My aunt lives in Valdivia."),
        ("My friend Sara is a vet.", "My friend Sarah is a vet."),
        ("Marcus plays the drums.", "Mark plays the drums."),
        ("Grew up in Kochi.", "Grew up in Kozhikode."),
        ("Bamse weighed 7.8 kg.", "Bamse weighed 7,9 kg."),
        ("Paid 1,500 for it.", "Paid 1,600 for it."),
        ("Dentist at 10:00.", "Dentist at 10:30."),
        ("I'm a Type One diabetic.", "I'm a type 2 diabetic."),
        ("Reading glasses +2.0.", "Reading glasses +2.5."),
        ("Sigrid works night shifts this week.", "Sigrid works day shifts next week."),
        ("The party is on Saturday.", "The party was on Saturday."),  # a sentence's tense
    ],
)
def test_a_real_difference_in_those_forms_still_vetoes(a: str, b: str) -> None:
    assert veto(a, b) is not None


def test_an_ended_state_is_a_change_not_a_negation_said_otherwise() -> None:
    """A negation may say the same in other words and is left to the reader ("I don't eat
    pork" / "Pork is off the menu for me"); a state that ended never is."""
    assert veto("I don't eat pork.", "Pork is off the menu for me.") == "polarity"
    assert veto("member of the book club", "quit the book club") == "change"
    assert veto("I smoke.", "I don't smoke any more.") == "change"


def test_a_period_is_read_in_its_forms_and_never_a_week_ago() -> None:
    assert periods("3 days a week in the office") == {"wk"}
    assert periods("once a month") == periods("monthly") == {"mo"}
    assert periods("every other week") == {"2wk"}
    assert periods("a week ago I fell off my bike") == frozenset()
    assert numbers("once a month") == frozenset() and numbers("twice a month") == {"2x"}


def test_numbers_are_read_in_the_forms_people_write_them() -> None:
    assert numbers("7,8 kilo") == numbers("7.8 kg") == {"7.8"}
    assert numbers("1,500 kr") == {"1500"} and numbers("scores 3,4") == {"3.4"}
    assert numbers("at 10:00") == numbers("at 10am") == {"10"}
    assert numbers("at 10:30") == {"10", "30"}
    assert numbers("+2.0") == numbers("+2") == {"2"} and numbers("007") == {"7"}
    assert numbers("stage one") == {"1"} and numbers("no one came") == frozenset()
    assert numbers("HbA1c 52") == {"1", "52"} and numbers("HbA1c 52", in_words=False) == {"52"}


def test_an_ambiguous_date_in_digits_is_read_as_numbers() -> None:
    assert dates("due 04/05/2027") == frozenset()
    assert numbers("due 04/05/2027") == {"4", "5", "2027"}
    assert dates("due 14/05/2027") == {"may"} and numbers("due 14/05/2027") == {"14", "2027"}


def test_an_ambiguous_date_is_read_the_way_the_other_text_names_it() -> None:
    assert veto("tomás's bday 03-10", "Tomás's birthday is October 3.") is None
    assert veto("dentist 03/10", "dentist on March 10th") is None  # the other reading
    assert veto("dentist 03/10", "dentist on 3 March") == "number", "neither reading"
    assert veto("bday 03/10", "birthday is 3rd of october or 10th of march") is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Type 1 diabetic since I was 14.", "I'm diabetic."),
        ("I work a two-weeks-on, two-weeks-off rotation.", "Work pattern: fortnight on, off."),
        ("My shoe size is 8.", "wears a size 8 shoe (UK)"),
        ("shoe size is 8 (AU)", "wears a size 8 shoe"),
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
        ("Haircut once a month.", "Haircut once every two months."),
    ],
)
def test_a_value_on_both_sides_that_differs_is_never_one_sided(a: str, b: str) -> None:
    kind = veto(a, b)
    assert kind is not None and not one_sided(kind, a, b) and not one_sided(kind, b, a)


def test_a_date_in_digits_is_no_swap_for_the_same_date_in_words() -> None:
    assert swap_spans("My birthday is 22 May.", "bday: 22/05") == ()
    assert swap_spans("My birthday is 14 August 1956.", "bday: 14/08/1956") == ()
    assert worded("bday: 22/05/1986, party 2024-03-09").split() == (
        ["bday:", "22", "may", "1986", ",", "party", "9", "march", "2024"]
    )
    assert worded("dentist 03/05") == "dentist 03/05", "day and month cannot be told apart"
    assert swap_spans("My birthday is 22 May.", "bday: 22/06") != ()
