"""The browser's search box language: free text, filter words and the sort order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.memory_types import MemoryType, Status
from assistant_tui.query import DEFAULT_STATUSES, Sort, parse, with_word

NOW = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)


def test_plain_text_has_no_filters_and_ranks_by_relevance() -> None:
    q = parse("where does anna live", NOW)
    assert q.text == "where does anna live"
    assert q.where.statuses == DEFAULT_STATUSES and not q.filters and not q.problems
    assert q.order is Sort.RELEVANCE
    assert parse("", NOW).order is Sort.RECENT  # a listing: newest first


def test_every_filter_word() -> None:
    q = parse(
        "anna type:epi #family tag:Work is:forgotten is:important after:2026-03 "
        "before:2026-06-15 imp:>=7 sort:imp",
        NOW,
    )
    assert q.text == "anna"
    assert q.where.types == (MemoryType.EPISODIC,)
    assert q.where.tags == ("family", "Work")
    assert q.where.statuses == (Status.ARCHIVED,) and q.where.important is True
    assert q.where.since == datetime(2026, 3, 1, tzinfo=UTC)
    assert q.where.until is not None and q.where.until < datetime(2026, 6, 15, tzinfo=UTC)
    assert q.where.until > datetime(2026, 6, 14, 23, 59, tzinfo=UTC)
    assert (q.where.min_importance, q.where.max_importance) == (7, None)
    assert q.sort is Sort.IMPORTANCE and q.order is Sort.IMPORTANCE
    assert not q.problems and len(q.filters) == 9


@pytest.mark.parametrize(
    ("word", "low", "high"),
    [
        ("imp:7", 7, None),
        ("imp:<3", None, 3 - 1e-9),
        ("imp:3-6", 3, 6),
        ("imp:6..3", 3, 6),
        ("imp:=5", 5, 5),
        ("imp:<=2", None, 2),
    ],
)
def test_importance_ranges(word: str, low: float | None, high: float | None) -> None:
    where = parse(word, NOW).where
    assert (where.min_importance, where.max_importance) == (low, high)


def test_relative_dates_count_back_from_now() -> None:
    assert parse("after:7d", NOW).where.since == NOW - timedelta(days=7)
    assert parse("after:2w", NOW).where.since == NOW - timedelta(days=14)
    assert parse("since:today", NOW).where.since == NOW.replace(hour=0, minute=0)
    assert parse("after:yesterday", NOW).where.since == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse("after:2025", NOW).where.since == datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "word",
    [
        "type:fish",
        "is:sleepy",
        "after:soon",
        "before:2026-13",
        "imp:11",
        "imp:lots",
        "sort:random",
        "type:e",
    ],  # "e" could be episodic or emotional
)
def test_a_bad_value_is_a_problem_and_is_ignored(word: str) -> None:
    q = parse(f"anna {word}", NOW)
    assert q.text == "anna" and len(q.problems) == 1 and not q.filters
    assert q.where == parse("anna", NOW).where


def test_half_typed_and_unknown_words_are_harmless() -> None:
    q = parse("type: https://example.com note:this #", NOW)
    assert not q.problems and not q.filters
    assert q.text == "https://example.com note:this #"


def test_id_and_status_words() -> None:
    assert parse("id:01ABC", NOW).memory_id == "01ABC"
    assert parse("is:all", NOW).where.statuses == tuple(Status)
    assert parse("is:replaced is:active", NOW).where.statuses == (Status.SUPERSEDED, Status.ACTIVE)


def test_with_word_sets_replaces_and_removes() -> None:
    assert with_word("anna", "sort", "recent") == "anna sort:recent "
    assert with_word("anna sort:recent ", "sort", "used") == "anna sort:used "
    assert with_word("anna sort:used", "sort", None) == "anna "
    assert with_word("", "sort", None) == ""
