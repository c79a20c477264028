"""The user's people by name, as the store tells them, and the merge job reading "my husband"
and the name the store gives him as one person (real MiniLM, real pair reader, real store)."""

from __future__ import annotations

from assistant import Assistant
from assistant.consolidation.differences import bound_people
from assistant.consolidation.people import People
from tests.consolidation.stores import clusters_read, members


def test_a_relation_is_bound_only_where_it_is_the_users_own() -> None:
    assert bound_people("my wife Mairi is a midwife") == {("wife", "mairi", True)}
    assert bound_people("Ngozi (my mum) lives in Lagos") == {("mother", "ngozi", True)}
    assert bound_people("My oldest friend is Kirsty; we met at uni") == {("friend", "kirsty", True)}
    assert bound_people("Owen's wife is Bea") == {("wife", "bea", False)}
    assert bound_people("Jo and her husband Tom moved to Bend") == {("husband", "tom", False)}
    assert bound_people("wife mairi's a midwife, nights mostly") == {("wife", "mairi", True)}


def test_the_store_names_each_relation_it_gives_one_person() -> None:
    people = People.of(
        [
            "I'm married to Marcus; we've been together since 2011.",
            "bro emeka lives in houston",
            "Sent the photos to Emeka.",
            "hubby bday nov 2nd",  # "bday" is no name: no memory writes it with a capital
            "My daughter Ada starts school in September.",
            "My daughter Isla is 4.",
            "Owen's wife is Bea and their daughter is Rosa.",
            "Jo and her husband Tom moved to Bend.",
            "My mother's name is Gloria Fuentes.",
            "Pía has been my best friend since primary school.",
        ]
    )
    assert people.names == {
        "husband": "marcus",
        "wife": "marcus",
        "brother": "emeka",
        "mother": "gloria",
        "friend": "pía",
    }
    assert People.of(["21/06/2014 - the day I married Mairi"]).names["wife"] == "mairi"
    assert People.of(["Mairi and I got married in Skye."]).names["wife"] == "mairi"
    assert People.of(["Married to Joseph since 1981."]).names["husband"] == "joseph"
    assert People.of(["My friend and I got married to our jobs"]).names == {}
    assert People.of(["Mother tongue is Malayalam."]).names == {}
    # a name in quotes or brackets is the one the user goes by
    assert People.of(["Benjamín 'Benja' is my firstborn son."]).names == {"son": "benja"}
    assert People.of(["Robert (Rob) is my brother."]).names == {"brother": "rob"}
    # by the first name, a surname after it
    assert People.of(["Randi Eide has been my best friend since school."]).names == {
        "friend": "randi"
    }


def test_the_users_own_name_is_read_as_the_user() -> None:
    people = People.of(["Cata prefers to be called Cata, never Catalina.", "hey, I'm Priya, 41"])
    assert people.own == {"cata", "priya"}
    assert people.told("Cata was born on May 22nd, 1986") == "User was born on May 22nd, 1986"
    assert people.told("cata's bday is in may") == "user's bday is in may"
    assert People.of(["I'm tired, long day", "I'm Sorry about that"]).own == frozenset()


def test_a_text_that_speaks_of_a_relation_is_told_with_its_name() -> None:
    people = People.of(["I'm married to Marcus.", "my brother Emeka lives in Houston"])
    assert people.told("My husband is a chemistry teacher.") == (
        "My husband Marcus is a chemistry teacher."
    )
    assert people.told("husband dislikes cilantro") == "husband marcus dislikes cilantro"
    assert people.told("my big bro is a vet") == "my big bro emeka is a vet"
    assert people.told("big bro bday: 22/5") == "big bro emeka bday: 22/5"  # a note opens so
    # a possessive keeps its "'s" after the name
    assert people.told("hubby's bday 03/10") == "hubby marcus's bday 03/10"
    assert people.told("My husband's car is red.") == "My husband Marcus's car is red."
    for same in (
        "My husband Marcus is tall.",  # named already
        "Jo's husband is a chef.",  # someone else's
        "Jo's husband's car is red.",
        "her husband is a chef",
        "My sister is a nurse.",  # no name known
        "a brother of a friend is a chef",  # anyone's
    ):
        assert people.told(same) == same
    assert People.of([]).told("My husband is tall.") == "My husband is tall."


def test_another_form_of_a_persons_name_is_told_as_the_name() -> None:
    people = People.of(
        [
            "My husband Tomás is a chef.",
            "Tomi never misses an Everton match",
            "my brother Nico is a developer",
            "Nicolás lives in Santiago.",
            "Java is my main language at work.",
            "Tomato soup is my favourite.",
            "my sister Javiera is a dentist",
        ]
    )
    assert people.aliases == {"tomi": "tomás", "nicolás": "nico"}
    assert people.told("tomi's a chef, always on the dinner shift") == (
        "tomás's a chef, always on the dinner shift"
    )
    assert people.told("Tomi loves Everton") == "Tomás loves Everton"
    assert people.told("Java is my main language at work.") == "Java is my main language at work."
    # two people who begin alike leave the form unknown
    twins = People.of(["my son Benjamín is 9", "my brother Benjy is 30", "Benja loves Lego"])
    assert "benja" not in twins.aliases


def clusters(assistant: Assistant, texts: list[str]) -> tuple[list[str], list[frozenset[str]]]:
    ids, found = clusters_read(assistant, texts)
    return ids, [members(c) for c in found]


def test_the_merge_job_reads_a_relation_and_the_name_the_store_gives_it_as_one_person(
    assistant: Assistant,
) -> None:
    """With the marriage in the store, "my husband" and "Marcus" are one man and his job
    said twice merges; the same two facts in a store that never names him stay apart (he may
    be anyone), and so does the job of a brother the store names otherwise."""
    facts = [
        "My husband is a chemistry teacher at Roosevelt High School.",
        "marcus teachs chem at roosevelt hs",
    ]
    ids, found = clusters(assistant, ["I'm married to Marcus; together since 2011.", *facts])
    assert found == [frozenset(ids[1:3])]


def test_without_the_name_in_the_store_a_relation_and_a_name_stay_two_people(
    assistant: Assistant,
) -> None:
    """Nothing tells who "my husband" is, and "my brother Tom" is another man than
    "marcus", though the reader would take either pair for one fact."""
    ids, found = clusters(
        assistant,
        [
            "My husband is a chemistry teacher at Roosevelt High School.",
            "marcus teachs chem at roosevelt hs",
            "my brother Tom is a chemistry teacher at Roosevelt High School",
        ],
    )
    assert found == []
