"""Known values of exponential forgetting and episodic recall stability (SPEC §4.3.1-4.3.2)."""

from __future__ import annotations

import math

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import ebbinghaus as eb
from zenbrain.errors import InvalidInputError


def test_retention() -> None:
    # R = exp(-t/S) (SPEC §4.3.2): t = S gives e^-1 = 0.3679; t = 0 gives 1.
    assert eb.retention(elapsed_days=14, stability=14) == pytest.approx(math.exp(-1))
    assert eb.retention(elapsed_days=0, stability=5) == 1.0
    assert eb.retention(elapsed_days=-2, stability=5) == 1.0


def test_emotional_multiplier() -> None:
    # SPEC §4.3.2: x(1 + 2*emotion), capped at x3 [P].
    assert eb.emotional_multiplier(emotion=0.0) == 1.0
    assert eb.emotional_multiplier(emotion=0.5) == pytest.approx(2.0)
    assert eb.emotional_multiplier(emotion=0.9) == pytest.approx(2.8)
    assert eb.emotional_multiplier(emotion=1.0) == 3.0
    # The x3 cap binds once the gain is steeper than SPEC's default.
    steep = eb.EbbinghausParams(emotion_gain=4.0)
    assert eb.emotional_multiplier(emotion=0.9, params=steep) == 3.0


def test_episodic_recall_stability() -> None:
    # SPEC §4.3.1: S <- min(365, S*(1 + 1.5*(1 - R))); S = 10, R = 0.9 -> 10*1.15 = 11.5.
    assert eb.episodic_recall_stability(stability=10, retrievability=0.9) == pytest.approx(11.5)
    # R = 0 gives x2.5 (the paper's flat factor), cut at the 365-day cap.
    assert eb.episodic_recall_stability(stability=10, retrievability=0.0) == pytest.approx(25.0)
    assert eb.episodic_recall_stability(stability=300, retrievability=0.0) == 365.0
    # A stability above the cap is not cut down by a recall.
    assert eb.episodic_recall_stability(stability=400, retrievability=0.5) == 400.0


def test_lapse_and_archive_threshold() -> None:
    # SPEC §4.3.1: on a lapse S <- 0.5*S [P].
    assert eb.lapse_stability(stability=14) == pytest.approx(7.0)
    # SPEC §4.3.2 and §4.2.1: theta = 0.1*(1.5 - 5HT); neutral 5HT gives 0.1, full 5HT 0.05.
    assert eb.archive_threshold(ht=0.5) == pytest.approx(0.1)
    assert eb.archive_threshold(ht=1.0) == pytest.approx(0.05)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        eb.retention(elapsed_days=1, stability=-1)
    with pytest.raises(InvalidInputError):
        eb.EbbinghausParams(max_emotion_multiplier=0.5)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(t1=st.floats(-10, 1e4), t2=st.floats(-10, 1e4), s=st.floats(0.01, 1e4))
def test_retention_in_unit_interval_and_non_increasing(t1: float, t2: float, s: float) -> None:
    lo, hi = sorted((t1, t2))
    assert (
        0.0
        <= eb.retention(elapsed_days=hi, stability=s)
        <= eb.retention(elapsed_days=lo, stability=s)
        <= 1.0
    )
