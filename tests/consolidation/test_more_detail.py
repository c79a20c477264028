"""One fact said plainly and again with more detail merges into the detailed one; another fact
of the same subject does not; and the pair reader stops a merge the judge was unsure of where
it reads two facts (real MiniLM, real pair reader, real store)."""

from __future__ import annotations

from assistant import Assistant
from assistant.consolidation import merge
from assistant.consolidation.differences import numbers, one_sided, veto
from assistant.consolidation.merge import covers
from assistant.consolidation.view import StoreView
from assistant.models.minilm import MiniLMEmbedder
from tests.consolidation.stores import NOW, clusters_read, members


def clusters(
    assistant: Assistant, texts: list[str]
) -> tuple[list[str], list[tuple[str, frozenset[str]]]]:
    """The ids of ``texts`` (the first the oldest), and each cluster found as its canonical
    memory's id and all its ids."""
    ids, found = clusters_read(assistant, texts)
    return ids, [(c.canonical.id, members(c)) for c in found]


def test_a_fact_said_again_with_more_detail_merges_into_the_detailed_one(
    assistant: Assistant,
) -> None:
    texts = [
        "I play the ukulele.",
        "User plays ukulele in a little folk band at weekends",
        "I crochet in the evenings.",
        "User crochets — mostly scarves and socks",
    ]
    ids, found = clusters(assistant, texts)
    assert sorted(found) == sorted([(ids[1], frozenset(ids[0:2])), (ids[3], frozenset(ids[2:4]))])


def test_another_fact_of_the_same_subject_stays_apart(assistant: Assistant) -> None:
    assert not covers("has a collie called biscuit", "biscuit has epilepsy and takes tablets")
    assert covers("I have type 2 diabetes.", "User is a type 2 diabetic, diagnosed 2012")
    _, found = clusters(
        assistant,
        [
            "has a collie called biscuit",
            "biscuit has epilepsy and takes tablets for it",
            "biscuit is scared of the hoover and hides under the bed",
        ],
    )
    assert found == []


def test_a_word_of_like_meaning_says_the_shorter_texts_word(minilm: MiniLMEmbedder) -> None:
    chef = ("My husband Tomás is a chef.", "Tomás works as a cook at a seafood restaurant")
    assert not covers(*chef)
    assert covers(*chef, embed=minilm.embed)  # "chef" / "cook"
    kelpie = ("has a kelpie called wombat", "wombat has epilepsy, on phenobarbital twice a day")
    assert not covers(*kelpie, embed=minilm.embed)


def test_a_number_one_side_gives_is_not_read_past_a_date_that_differs() -> None:
    """A date that differs is never read past, whether or not a number beside it is one-sided
    (the number is the first difference found)."""
    ben = ("I have a meeting with Ben on Monday.", "Meeting with Ben is on Thursday, week 41.")
    sourdough = (
        "I love baking sourdough bread.",
        "I prefer baking sourdough over learning Spanish on Fridays, noted 58.",
    )
    for a, b in (ben, sourdough):
        assert veto(a, b) == "number" and not one_sided("number", a, b)
    shoes = ("My shoe size is 8.", "wears a size 8 shoe (UK)")
    assert one_sided(veto(*shoes) or "", *shoes)


def test_a_colour_only_one_side_gives_is_detail() -> None:
    plain, brown = "We have an indie dog called Kuttan.", "Kuttan = our brown desi dog, a rescue"
    assert veto(plain, brown) == "colour" and one_sided("colour", plain, brown)
    assert not one_sided("colour", "I drive a red car", "I drive a blue car")
    assert not one_sided("colour", "my red bike, stolen May 3", "my bike, stolen May 4")


def test_the_reader_stops_a_merge_the_judge_was_unsure_of(assistant: Assistant) -> None:
    """The judge reads the two as one fact (0.77 at cosine 0.75); the reader reads a change,
    and the two stay apart. Without the reader the judge's merge stands."""
    texts = [
        "Leo ends up in our bed most nights.",
        "Leo's been sleeping the whole night in his own room for weeks",
    ]
    ids, found = clusters(assistant, texts)
    assert found == []
    alone = merge.find_clusters(
        StoreView.of(assistant.memories, NOW.timestamp()), embedder=assistant.memories.embedder
    )
    assert [members(c) for c in alone] == [frozenset(ids)]


def test_a_third_person_note_is_about_the_user() -> None:
    assert (
        veto("I don't drink coffee, only tea.", "User avoids coffee; she's a tea drinker") is None
    )
    assert veto("We live in Recreo.", "User lives in Recreo") is None
    assert veto("Marcus lives in Recreo.", "User lives in Recreo") == "name"


def test_a_day_and_month_without_a_year_is_a_date() -> None:
    assert numbers("bday: 22/05") == numbers("My birthday is 22 May.") == {"22"}
    assert veto("My birthday is 22 May.", "bday: 22/05") is None
    assert veto("Her birthday is 5/22", "Her birthday is 22 May") is None
    assert veto("My birthday is 22 May.", "bday: 22/06") == "date"
    assert numbers("open 24/7") == {"24", "7"}
    assert numbers("hubby bday 03-10") == {"3", "10"}  # 3 October or 10 March: two numbers


def test_a_year_only_one_side_gives_is_a_detail() -> None:
    a, b = "My birthday is 14 August 1956.", "Her birthday falls on Aug 14."
    assert veto(a, b) == "number" and one_sided("number", a, b)
    assert not one_sided("number", "renew passport by 2027", "renew passport by 2028")


def test_a_mother_tongue_is_no_mother() -> None:
    assert veto("Mother tongue is Malayalam.", "I speak Malayalam at home.") is None


def test_a_state_ended_on_both_sides_is_no_change() -> None:
    assert (
        veto(
            "I retired as a chemistry teacher from St. Ann's in 2019.",
            "job: ex-chem teacher, St Ann's, retd 2019",
        )
        is None
    )
    assert veto("I coach the team.", "I used to coach the team.") == "change"


def test_a_name_said_more_precisely_on_the_other_side_leaves_a_name_one_side_gives() -> None:
    """ "Viña Los Aromos" is said on one side only, "the Casablanca Valley" is "Casablanca"
    said more precisely: the pair may be read. Two names on both sides never are."""
    a = "I work as an agronomist at Viña Los Aromos in Casablanca."
    b = "User is an agronomist for a vineyard in the Casablanca Valley"
    assert veto(a, b) == "name" and one_sided("name", a, b)
    assert not one_sided("name", "Ana Silva is my dentist", "Ana Costa is my dentist")
