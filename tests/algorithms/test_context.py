"""Known values of compositional context similarity (SPEC §4.1.5)."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import context as cx
from zenbrain.errors import InvalidInputError


def test_same_context_spec_example() -> None:
    # SPEC §4.1.5 Test: same context -> boost 1.3.
    a = cx.Context(time_bucket="morning", weekday=0, task_type="coding")
    assert cx.similarity(a, a) == pytest.approx(1.0)
    assert cx.boost(a, a) == pytest.approx(1.3)


def test_related_context_spec_example() -> None:
    # SPEC §4.1.5 Test: morning vs afternoon, both Mondays, coding vs learning (related):
    # sim = 0.4*0.5 + 0.2*1 + 0.4*0.5 = 0.6 -> boost 1.18.
    a = cx.context_of(datetime(2026, 1, 5, 9, 30), "coding")  # a Monday morning
    b = cx.context_of(datetime(2026, 1, 5, 14, 0), "learning")
    assert (a.time_bucket, a.weekday, b.time_bucket) == ("morning", 0, "afternoon")
    assert cx.similarity(a, b) == pytest.approx(0.6)
    assert cx.boost(a, b) == pytest.approx(1.18)


def test_components() -> None:
    # Night and morning are adjacent (the buckets wrap); weekday vs weekend gives 0.
    night_sat = cx.Context(time_bucket="night", weekday=5, task_type="writing")
    morning_mon = cx.Context(time_bucket="morning", weekday=0, task_type="other")
    # 0.4*0.5 + 0.2*0 + 0.4*0.1 = 0.24
    assert cx.similarity(night_sat, morning_mon) == pytest.approx(0.24)
    # evening vs morning is two buckets apart; Tue vs Thu both weekdays: 0 + 0.1 + 0.4*0.5
    a = cx.Context(time_bucket="evening", weekday=1, task_type="planning")
    b = cx.Context(time_bucket="morning", weekday=3, task_type="personal")
    assert cx.similarity(a, b) == pytest.approx(0.3)


def test_time_buckets() -> None:
    assert [cx.time_bucket(h) for h in (4, 5, 11, 12, 16, 17, 21, 22)] == [
        "night",
        "morning",
        "morning",
        "afternoon",
        "afternoon",
        "evening",
        "evening",
        "night",
    ]


def test_classify_task() -> None:
    assert cx.classify_task("fix the python bug in the deploy script") == "coding"
    assert cx.classify_task("took Luna to the vet") == "personal"
    assert cx.classify_task("hello there") == "other"


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        cx.Context(time_bucket="noon", weekday=0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        cx.context_of(datetime(2026, 1, 5), "gaming")


contexts = st.builds(
    cx.Context,
    time_bucket=st.sampled_from(cx.TIME_BUCKETS),
    weekday=st.integers(0, 6),
    task_type=st.sampled_from(cx.TASK_TYPES),
)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(a=contexts, b=contexts)
def test_similarity_symmetric_and_bounded(a: cx.Context, b: cx.Context) -> None:
    s = cx.similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == pytest.approx(cx.similarity(b, a))
    assert 1.0 <= cx.boost(a, b) <= 1.3 + 1e-12
