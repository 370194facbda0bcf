"""Time expressions resolved against a fixed reference instant (a Thursday)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.errors import InvalidInputError
from zenbrain.extract.timeexpr import (
    TimeWindow,
    has_time_expression,
    query_window,
    resolve_event_time,
)

AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # a Thursday


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Took Luna to the vet yesterday", utc(2026, 1, 14, 12)),
        ("the day before yesterday", utc(2026, 1, 13, 12)),
        ("last Tuesday we had pizza", utc(2026, 1, 13, 12)),
        ("last Thursday", utc(2026, 1, 8, 12)),  # "last <today's weekday>" is a week back
        ("3 days ago", utc(2026, 1, 12, 12)),
        ("two weeks ago", utc(2026, 1, 1, 12)),
        ("a couple of days ago", utc(2026, 1, 13, 12)),
        ("3 hours ago", utc(2026, 1, 15, 6)),
        ("last week", utc(2026, 1, 8, 12)),
        ("last month", utc(2025, 12, 15, 12)),
        ("last year", utc(2025, 7, 1, 12)),
        ("this morning I ran", utc(2026, 1, 15, 9)),
        ("last night", utc(2026, 1, 14, 21)),
        ("on Monday I saw Anna", utc(2026, 1, 12, 12)),
        ("on Thursday", utc(2026, 1, 15, 9)),  # today, clamped to `at`
        ("today", AT),
        ("2026-01-10", utc(2026, 1, 10, 12)),
        ("2026-01-10T08:30:00+02:00", utc(2026, 1, 10, 6, 30)),
        ("March 3, 2025", utc(2025, 3, 3, 12)),
        ("3 March 2025", utc(2025, 3, 3, 12)),
        ("on the 3rd of March 2025", utc(2025, 3, 3, 12)),
        ("December 24", utc(2025, 12, 24, 12)),  # no year, past sense: the most recent one
        ("in 2023", utc(2023, 7, 1, 12)),
        ("in March 2025", utc(2025, 3, 15, 12)),
        ("tomorrow", utc(2026, 1, 16, 12)),
        ("I will call her on Monday", utc(2026, 1, 19, 12)),  # future sense: the next Monday
        ("in 3 days", utc(2026, 1, 18, 12)),
        ("next week", utc(2026, 1, 22, 12)),
    ],
)
def test_resolve_event_time(text: str, expected: datetime) -> None:
    assert resolve_event_time(text, at=AT) == expected


@pytest.mark.parametrize(
    "text", ["The printer uses A4 paper", "", "before I moved", "I may come", "see you at 10 s"]
)
def test_no_expression_gives_none(text: str) -> None:
    assert resolve_event_time(text, at=AT) is None
    assert query_window(text, at=AT) is None
    assert not has_time_expression(text)


def test_impossible_dates_are_ignored() -> None:
    assert resolve_event_time("2026-02-30", at=AT) is None
    assert resolve_event_time("99999999 years ago", at=AT) is None


def test_earliest_expression_wins() -> None:
    assert resolve_event_time("Yesterday I booked a flight for next Monday", at=AT) == utc(
        2026, 1, 14, 12
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("what did I do yesterday", utc(2026, 1, 14), utc(2026, 1, 15)),
        ("what did I do last week", utc(2026, 1, 5), utc(2026, 1, 12)),  # previous ISO week
        ("this week", utc(2026, 1, 12), utc(2026, 1, 19)),
        ("what happened last month", utc(2025, 12, 1), utc(2026, 1, 1)),
        ("what happened last year", utc(2025, 1, 1), utc(2026, 1, 1)),
        ("what did I do in 2023", utc(2023, 1, 1), utc(2024, 1, 1)),
        ("in March 2025", utc(2025, 3, 1), utc(2025, 4, 1)),
        ("on March 3, 2025", utc(2025, 3, 3), utc(2025, 3, 4)),
        ("3 days ago", utc(2026, 1, 12), utc(2026, 1, 13)),
        ("two weeks ago", utc(2025, 12, 29), utc(2026, 1, 5)),
        ("last Tuesday", utc(2026, 1, 13), utc(2026, 1, 14)),
        ("this morning", utc(2026, 1, 15, 5), utc(2026, 1, 15, 12)),
        ("last weekend", utc(2026, 1, 10), utc(2026, 1, 12)),
        ("in the past week", utc(2026, 1, 8), utc(2026, 1, 16)),  # rolling, ends with today
        ("in the last 3 days", utc(2026, 1, 12), utc(2026, 1, 16)),
        ("since March", utc(2025, 3, 1), utc(2026, 1, 16)),
        ("after 2024", utc(2025, 1, 1), utc(2026, 1, 16)),
        ("before 2024", utc(1970, 1, 1), utc(2024, 1, 1)),
    ],
)
def test_query_window(text: str, start: datetime, end: datetime) -> None:
    assert query_window(text, at=AT) == TimeWindow(start, end)


def test_window_is_half_open() -> None:
    window = query_window("yesterday", at=AT)
    assert window is not None
    assert utc(2026, 1, 14) in window
    assert utc(2026, 1, 15) not in window


def test_event_time_lies_inside_its_window() -> None:
    for text in ("yesterday", "last week", "3 days ago", "in 2023", "last Tuesday", "last month"):
        point = resolve_event_time(text, at=AT)
        window = query_window(text, at=AT)
        assert point is not None and window is not None
        assert point in window, text


def test_has_time_expression() -> None:
    assert has_time_expression("see you tomorrow")
    assert has_time_expression("back in 2019")
    assert not has_time_expression("when did I visit the vet")


def test_naive_reference_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        resolve_event_time("yesterday", at=datetime(2026, 1, 15, 9))
    with pytest.raises(ValueError):
        query_window("yesterday", at=datetime(2026, 1, 15, 9))


def test_window_rejects_empty_interval() -> None:
    with pytest.raises(InvalidInputError):
        TimeWindow(AT, AT)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    point = resolve_event_time(text, at=AT)
    window = query_window(text, at=AT)
    assert (point is None) == (window is None) == (not has_time_expression(text))


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "yesterday",
                "3 days ago",
                "last week",
                "in 2023",
                "on",
                "Monday",
                "March",
                "3,",
                "2025",
                "the",
                "vet",
                "ago",
                "last",
                "night",
                "2026-01-02",
                "tomorrow",
                "since",
                "before",
            ]
        ),
        max_size=8,
    )
)
def test_never_raises_on_time_word_salad(words: list[str]) -> None:
    text = " ".join(words)
    resolve_event_time(text, at=AT)
    query_window(text, at=AT)
