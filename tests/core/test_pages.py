"""Generated pages: profile, people, topics and days; edits on them flow back to memories;
links between memories and the one-hop expansion they give search."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.learner import Learner
from assistant.memory_types import MemoryType
from assistant.vault.pages import YOUR_NOTES
from tests.vault.test_watch import wait_for


def _learn(assistant: Assistant, *texts: str) -> None:
    learner = Learner(assistant.memories)
    for text in texts:
        learner.learn(text, conversation="c1", turn="t1")
    assistant.refresh_pages()


def _root(assistant: Assistant) -> Path:
    return assistant.settings.assistant_dir


def test_pages_list_and_link_the_memories(assistant: Assistant) -> None:
    _learn(
        assistant,
        "My sister's name is Anna.",
        "My sister Anna is moving to Lyon next month.",
        "I live in Berlin. I love climbing.",
    )
    root = _root(assistant)
    anna = {m.text: m for m in assistant.memories.list()}["My sister's name is Anna."]
    profile = (root / "Identity.md").read_text()
    assert profile.startswith("---\ntags:\n- assistant/profile\n")
    assert f"## Family and friends\n- My sister's name is Anna. · [[{anna.path.stem}|↗]]" in profile
    assert "## Home\n- I live in Berlin." in profile
    assert "## Preferences\n- I love climbing." in profile
    assert profile.rstrip().endswith("%% Write anything here: the assistant keeps it as it is. %%")
    person = (root / "People" / "Anna.md").read_text()
    assert person.count("· [[") == 2 and "relation: sister" in person
    topics = sorted(p.stem for p in (root / "Topics").glob("*.md"))
    assert topics == ["family", "home", "preferences"]
    assert len(list((root / "Daily").glob("*.md"))) == 1
    # Generated pages are not memories: nothing to sync, nothing invalid.
    report = assistant.memories.pending_changes()
    assert report.pending == 0 and report.invalid == []
    # Refreshing again changes nothing on disk.
    assert assistant.refresh_pages(everything=True).written == []


def test_edits_on_the_profile_change_the_memories(assistant: Assistant) -> None:
    _learn(assistant, "I live in Berlin.", "I work at Acme.", "My sister's name is Anna.")
    page = _root(assistant) / "Identity.md"
    text = page.read_text()
    text = text.replace("- I live in Berlin. ·", "- I live in Berlin-Mitte. ·")
    text = "\n".join(line for line in text.split("\n") if "I work at Acme" not in line)
    text = text.replace("## Home\n", "## Home\n- My timezone is Europe/Berlin.\n")
    text = text.replace(
        "%% Write anything here: the assistant keeps it as it is. %%", "I prefer short answers."
    )
    text = text.replace("# Identity\n", "# Identity\nA line of my own.\n")
    page.write_text(text)

    report = assistant.refresh_pages(edited=None)

    assert len(report.edits) == 3, report.edits
    texts = {m.text for m in assistant.memories.list()}
    assert "I live in Berlin-Mitte." in texts
    assert "My timezone is Europe/Berlin." in texts
    assert "I work at Acme." not in texts
    archived = assistant.memories.list(statuses=["archived"])
    assert [m.text for m in archived] == ["I work at Acme."], "removed facts are restorable"
    after = page.read_text()
    assert "My timezone is Europe/Berlin. · [[" in after, "the added fact now links to its note"
    home = after.split("## Home\n", 1)[1].split("\n\n", 1)[0]
    assert "Europe/Berlin" in home, "it stays under the heading it was added under"
    notes = after.split(YOUR_NOTES, 1)[1]
    assert "I prefer short answers." in notes and "A line of my own." in notes
    assert "A line of my own." in assistant.page_writer.profile_notes()
    # Read again: nothing more to apply, nothing added twice.
    assert assistant.refresh_pages(edited=None).edits == []
    assert sum("Europe/Berlin" in m.text for m in assistant.memories.list()) == 1


def test_user_words_on_other_pages_are_kept(assistant: Assistant) -> None:
    _learn(assistant, "My sister's name is Anna.")
    page = _root(assistant) / "People" / "Anna.md"
    page.write_text(page.read_text().replace("## Memories\n", "## Memories\n- Loves jazz\n"))
    _learn(assistant, "My sister Anna is moving to Lyon next month.")
    text = page.read_text()
    assert "- Loves jazz" in text.split(YOUR_NOTES, 1)[1]
    assert "moving to Lyon" in text.split(YOUR_NOTES, 1)[0]
    assert {plain(m.text) for m in assistant.memories.list()} == {
        "My sister's name is Anna.",
        "My sister Anna is moving to Lyon next month.",
    }, "a bullet added to a person's page is the user's note, not a new memory"


def test_a_page_edited_in_obsidian_syncs_back_live(assistant: Assistant) -> None:
    _learn(assistant, "I live in Berlin.")
    watcher = assistant.watch_vault()
    page = _root(assistant) / "Identity.md"
    page.write_text(page.read_text().replace("I live in Berlin.", "I live in Hamburg."))
    wait_for(lambda: {m.text for m in assistant.memories.list()} == {"I live in Hamburg."})
    wait_for(lambda: "I live in Hamburg. · [[" in page.read_text())
    assert watcher.alive


def test_links_give_search_a_damped_hop(assistant: Assistant) -> None:
    m = assistant.memories
    name = m.add("My sister's name is Anna.", metadata={"people": ["[[Anna]]"]})
    trip = m.add("Anna is flying to Lisbon in June.", metadata={"people": ["[[Anna]]"]})
    m.add("The boiler needs servicing every autumn.")
    hits = m.search("what is my sister called", k=5, touch=False)
    by_id = {h.memory.id: h for h in hits}
    assert hits[0].memory.id == name.id
    reached = by_id[trip.id]
    assert reached.via == name.id and reached.score <= hits[0].score * 0.5 + 1e-9
    assert ("person:Anna", "person") in {(dst, kind) for _, dst, kind in m.index.links(trip.id)}


def test_new_memories_link_to_similar_ones(assistant: Assistant) -> None:
    _learn(assistant, "I love climbing.", "I go climbing every Saturday.")
    memories = {x.text: x for x in assistant.memories.list()}
    newer = memories["I go climbing every Saturday."]
    older = memories["I love climbing."]
    assert newer.metadata["related"] == [f"[[{older.path.stem}]]"]
    assert (newer.id, older.id, "related") in assistant.memories.index.links(newer.id)


def test_unreadable_or_odd_pages_are_left_alone(assistant: Assistant) -> None:
    _learn(assistant, "I live in Berlin.", "My sister's name is Anna.")
    root = _root(assistant)
    binary = b"\xff\xd8\xff\xe0\x00\x10JFIF"
    (root / "Identity.md").write_bytes(binary)
    person = root / "People" / "Anna.md"
    person.write_text("no frontmatter, no headings\n- [[not a memory]]\n")
    _learn(assistant, "My sister Anna is moving to Lyon next month.", "I work at Acme.")
    assert (root / "Identity.md").read_bytes() == binary, "a page it cannot read is not replaced"
    text = person.read_text()
    assert "no frontmatter, no headings" in text.split(YOUR_NOTES, 1)[1]
    assert "moving to Lyon" in text
    assert len(assistant.memories.list()) == 4


def test_pets_have_their_own_section(assistant: Assistant) -> None:
    _learn(assistant, "My cat's name is Misha.", "My sister's name is Anna.")
    profile = (_root(assistant) / "Identity.md").read_text()
    family = profile.split("## Family and friends\n", 1)[1].split("\n\n", 1)[0]
    assert "Anna" in family and "Misha" not in family
    assert "## Pets\n- My cat's name is Misha. · [[" in profile
    misha = {m.text: m for m in assistant.memories.list()}["My cat's name is Misha."]
    note = (assistant.settings.vault / misha.path).read_text()
    assert "learned_as: relation:cat\n" in note and "fact:" not in note
    assert "supersedes" not in note and "status" not in note and "emotion" not in note
    page = (_root(assistant) / "People" / "Misha.md").read_text()
    assert "- assistant/pet\n" in page and "relation: cat" in page
    _learn(assistant, "My dog Rex is getting old.")
    rex = {m.text: m for m in assistant.memories.list()}["My dog Rex is getting old."]
    assert "pets" in rex.tags and "family" not in rex.tags


def test_a_page_left_without_memories_goes_unless_the_user_wrote_on_it(
    hashed: Assistant,
) -> None:
    lea = hashed.memories.add("My cousin Lea lives in Marseille.", metadata={"people": ["[[Lea]]"]})
    tom = hashed.memories.add("My brother Tom lives in Berlin.", metadata={"people": ["[[Tom]]"]})
    hashed.refresh_pages(everything=True)
    people = _root(hashed) / "People"
    page = people / "Tom.md"
    page.write_text(page.read_text().replace(YOUR_NOTES, f"{YOUR_NOTES}\nCall him on Sundays."))
    hashed.page_writer.read_edits()
    for memory in (lea, tom):
        hashed.memories.forget(memory.id)
    report = hashed.page_writer.refresh({lea.id, tom.id})
    assert report.removed == [Path("Assistant/People/Lea.md")]
    assert sorted(p.name for p in people.glob("*.md")) == ["Tom.md"]
    assert "Call him on Sundays." in page.read_text() and "Berlin" not in page.read_text()
    assert "Assistant/People/Lea.md" not in hashed.page_writer.index.all()


def test_people_named_in_lower_case_have_their_page(assistant: Assistant) -> None:
    """The name chat gives beside a relation in lower case is a person's page, capitalised,
    as one written with a capital is; a word that is no name gives none."""
    _learn(
        assistant,
        "my sister priya lives in leeds",
        "we have a dog called biscuit",
        "my brother really likes trains",
    )
    people = sorted(p.stem for p in (_root(assistant) / "People").glob("*.md"))
    assert people == ["Biscuit", "Priya"]
    page = (_root(assistant) / "People" / "Priya.md").read_text()
    assert "My sister priya lives in leeds." in page


def test_everyone_chat_names_by_what_they_are_is_in_the_profile(assistant: Assistant) -> None:
    """A sister, a partner or a pet named in a fact the rules read as no relation ("my sister
    Ana is a vet in Porto", "we have a cat called Miso") is still on the profile, once, and
    their page says what they are to the user."""
    _learn(
        assistant,
        "I just moved to Leeds with my partner Sam",
        "my sister Ana is a vet in Porto",
        "we have a cat called Miso, she is 4",
        "Ana is getting married in June",
    )
    profile = (_root(assistant) / "Identity.md").read_text()
    family = profile.split("## Family and friends\n", 1)[1].split("\n\n", 1)[0]
    pets = profile.split("## Pets\n", 1)[1].split("\n\n", 1)[0]
    assert "Ana is a vet in Porto" in family and "married" not in family
    assert "a cat called Miso" in pets and "Miso" not in family
    assert "Sam" in profile.split("## Home\n", 1)[1] and "Sam" not in family, "listed once"
    people = _root(assistant) / "People"
    assert "relation: sister" in (people / "Ana.md").read_text()
    assert "relation: partner" in (people / "Sam.md").read_text()
    miso = (people / "Miso.md").read_text()
    assert "relation: cat" in miso and "- assistant/pet\n" in miso


def test_a_renamed_person_keeps_what_was_said_under_the_old_name(assistant: Assistant) -> None:
    _learn(assistant, "my sister Ana is a vet in Porto", "my sister is called Anna not Ana")
    people = _root(assistant) / "People"
    assert sorted(p.stem for p in people.glob("*.md")) == ["Anna"]
    page = (people / "Anna.md").read_text()
    now, earlier = page.split("## Earlier\n", 1)
    assert "- My sister Anna is a vet in Porto." in now
    assert earlier.startswith("- My sister Ana is a vet in Porto. · [[")


def test_a_fact_learned_without_a_kind_is_placed_by_its_words(assistant: Assistant) -> None:
    """A fact the classifier kept has no kind and no tag: "started my new job at aldi" goes
    under Work, a dose under Health, not under Other."""
    for text in (
        "I started my new job at aldi today.",
        "I take sertraline 50mg every morning.",
        "I collect vinyl records.",
    ):
        assistant.memories.add(text, type=MemoryType.IDENTITY)
    assistant.refresh_pages()
    profile = (_root(assistant) / "Identity.md").read_text()
    sections = {part.split("\n", 1)[0]: part for part in profile.split("## ")[1:] if "\n" in part}
    assert "new job at aldi" in sections["Work"]
    assert "sertraline" in sections["Health"]
    assert "vinyl" in sections["Other"]
