"""Keyword task types (SPEC §5.1 step 4 context features)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.errors import InvalidInputError
from zenbrain.extract.tasktype import TASK_TYPES, classify_task


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("fix this python bug in my function", "coding"),
        ("the pull request fails with a stack trace", "coding"),
        ("write an essay draft about climate", "writing"),
        ("please proofread my email", "writing"),
        ("schedule a meeting and book the flight", "planning"),
        ("my sister's birthday dinner with family", "personal"),
        ("took my cat to the vet", "personal"),
        ("I want to learn Spanish vocabulary for the exam", "learning"),
        ("teach me about photosynthesis", "learning"),
        ("the sky is blue", "other"),
        ("", "other"),
    ],
)
def test_classify_task(text: str, task: str) -> None:
    assert classify_task(text) == task


def test_ties_go_to_the_earlier_type() -> None:
    assert classify_task("code essay") == "coding"


def test_bad_input() -> None:
    with pytest.raises(InvalidInputError):
        classify_task(b"code")  # type: ignore[arg-type]


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    assert classify_task(text) in TASK_TYPES
