"""The check that stops an answer repeating itself."""

from __future__ import annotations

from assistant.models.repetition import RepeatGuard, repeating

LOOP = "I'm glad you're having fun too! "


def test_a_sentence_said_three_times_is_a_loop() -> None:
    assert not repeating("That sounds lovely! " + LOOP * 2)
    assert repeating("That sounds lovely! " + LOOP * 3)
    assert repeating("I'm glad you're having fun too.\ni'm GLAD you're having fun too\n" + LOOP)


def test_words_repeated_back_to_back_are_a_loop() -> None:
    assert repeating("Sure, here it is: and then and then and then and then and then and then")
    assert repeating("fun " * 12)
    assert not repeating("It was very very very good.")
    assert not repeating("fun " * 11)


def test_ordinary_answers_are_not_loops() -> None:
    answers = [
        "Yes. Yes. Yes. Short answers may come back.",
        "1. Buy milk\n2. Buy eggs\n3. Buy bread\n4. Buy milk powder",
        "Anna lives in Lyon. Your sister Anna lives in Lyon, so Lyon it is.",
        "Step one: mix. Step two: bake. Step three: cool. Step four: eat.",
    ]
    for answer in answers:
        assert not repeating(answer), answer


def test_the_guard_stops_a_stream_at_the_third_copy() -> None:
    guard = RepeatGuard()
    pieces = [LOOP[i : i + 4] for i in range(0, len(LOOP), 4)] * 90
    fed = 0
    for piece in pieces:
        fed += 1
        if guard.feed(piece):
            break
    assert fed < len(pieces) // 25, "stopped within the third copy of ninety"


def test_the_guard_agrees_with_the_whole_text_check() -> None:
    texts = [
        "Hello there. " * 3,
        "Well, and then and then and then and then and then and then",
        "A long answer with " + " ".join(f"word{n}" for n in range(600)) + ". The end.",
        "One sentence here. Another one there.\nOne sentence here! A third. one SENTENCE here",
    ]
    for text in texts:
        guard = RepeatGuard()
        pieces = [text[i : i + 3] for i in range(0, len(text), 3)] + ["\n"]
        assert any(guard.feed(p) for p in pieces) == repeating(text + "\n"), text
