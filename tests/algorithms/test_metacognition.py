"""Known values of the metacognitive monitor's metrics (SPEC §4.2.6)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import metacognition as mc
from zenbrain.errors import InvalidInputError


def test_hhi_spec_example() -> None:
    # SPEC §4.2.6 Test: returned sources (0.8, 0.2) -> HHI = 0.64 + 0.04 = 0.68 -> flag (> 0.5).
    assert mc.hhi([0.8, 0.2]) == pytest.approx(0.68)
    assert mc.hhi([0.8, 0.2]) > mc.METACOG_DEFAULT.source_hhi_flag
    # Counts are normalised first: 4 of one session, 1 of another is the same.
    assert mc.hhi({"s1": 4, "s2": 1}) == pytest.approx(0.68)
    assert mc.hhi([]) == 0.0


def test_recency_bias() -> None:
    # 3 of 4 returned results are under 7 days old, 1 of 4 active memories: 0.75 - 0.25 = 0.5.
    bias = mc.recency_bias(returned_ages_days=[1, 2, 3, 30], active_ages_days=[1, 10, 20, 30])
    assert bias == pytest.approx(0.5)
    assert bias > mc.METACOG_DEFAULT.recency_flag


def test_confirmation_bias() -> None:
    assert mc.confirmation_bias(accept_supporting=0.9, accept_contradicting=0.6) == pytest.approx(
        0.3
    )
    assert mc.confirmation_bias(accept_supporting=0.2, accept_contradicting=0.6) == 0.0


def test_calibration() -> None:
    # Both predictions fall in bin [0.9, 1.0): |0.9 - 0.5| = 0.4.
    assert mc.expected_calibration_error([0.9, 0.9], [1, 0]) == pytest.approx(0.4)
    # Two bins: (0.2 vs 0) and (0.8 vs 1), half the data each: 0.5*0.2 + 0.5*0.2 = 0.2.
    assert mc.expected_calibration_error([0.2, 0.8], [0, 1]) == pytest.approx(0.2)
    # 1.0 goes in the last bin.
    assert mc.expected_calibration_error([1.0], [1]) == 0.0
    assert mc.brier([0.5], [1]) == pytest.approx(0.25)
    assert mc.brier([1.0, 0.0], [1, 0]) == 0.0
    assert mc.brier([], []) == 0.0


def test_urgency() -> None:
    # SPEC §4.2.6: min(1, 0.3*#keywords + 0.2*[len < 50]).
    assert mc.urgency("urgent: deadline today") == pytest.approx(1.0)  # 0.9 + 0.2 -> 1
    assert mc.urgency("hi") == pytest.approx(0.2)
    long_text = "Please send the report right away, the whole team is waiting for it now."
    assert len(long_text) >= 50
    assert mc.urgency(long_text) == pytest.approx(0.3)
    # Keywords match whole words only ("todays" is not "today").
    assert mc.urgency("x" * 60 + " todays") == 0.0


def test_mmr() -> None:
    # With lambda = 0.7, a near-duplicate of the top item drops below a diverse one.
    rel = {"a": 1.0, "a2": 0.95, "b": 0.8}

    def sim(x: str, y: str) -> float:
        return 1.0 if x[0] == y[0] else 0.0

    assert mc.mmr(["a", "a2", "b"], relevance=rel, similarity=sim) == ["a", "b", "a2"]
    assert mc.mmr(["a", "a2", "b"], relevance=rel, similarity=sim, lam=1.0) == ["a", "a2", "b"]
    assert mc.mmr(["a", "a2", "b"], relevance=rel, similarity=sim, k=1) == ["a"]


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        mc.brier([0.5], [1, 0])
    with pytest.raises(InvalidInputError):
        mc.expected_calibration_error([0.5], [1], bins=0)
    with pytest.raises(InvalidInputError):
        mc.hhi([-1.0])


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    data=st.lists(st.tuples(st.floats(0, 1), st.sampled_from([0.0, 1.0])), max_size=50),
)
def test_calibration_metrics_bounded(data: list[tuple[float, float]]) -> None:
    preds = [p for p, _ in data]
    outcomes = [o for _, o in data]
    assert 0.0 <= mc.expected_calibration_error(preds, outcomes) <= 1.0
    assert 0.0 <= mc.brier(preds, outcomes) <= 1.0


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(counts=st.lists(st.floats(0, 100), min_size=1, max_size=10))
def test_hhi_bounded(counts: list[float]) -> None:
    h = mc.hhi(counts)
    positive = sum(1 for c in counts if c > 0)
    if positive:
        assert 1.0 / positive - 1e-9 <= h <= 1.0 + 1e-9
    else:
        assert h == 0.0
