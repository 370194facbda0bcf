"""Known values and laws of the vmPFC-coupled FSRS-4.5 model (SPEC §4.1.2)."""

from __future__ import annotations

import math

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import fsrs
from zenbrain.errors import InvalidInputError


def test_retrievability_spec_examples() -> None:
    # SPEC §4.1.2 Tests: S = 2 d, t = 2 d -> R = 0.9 (exact: (1 + 19/81)^-0.5 = 9/10).
    assert fsrs.retrievability(elapsed_days=2, stability=2) == pytest.approx(0.9)
    # SPEC §4.1.2 Tests: S = 1, t = 9 -> R = 0.567 ((28/9)^-0.5 = 0.56695).
    assert fsrs.retrievability(elapsed_days=9, stability=1) == pytest.approx(0.567, abs=5e-4)


def test_retrievability_edges() -> None:
    # An as-of time before the review counts as t = 0; core memories (S = inf) never fade.
    assert fsrs.retrievability(elapsed_days=-3, stability=2) == 1.0
    assert fsrs.retrievability(elapsed_days=100, stability=math.inf) == 1.0


def test_interval_at_target_equals_stability() -> None:
    # SPEC §4.1.2: "For r = 0.9 this gives I = S".
    assert fsrs.interval_days(stability=7.5) == pytest.approx(7.5)
    # (S/FACTOR)*(0.8^-2 - 1) with S = 1: (81/19)*0.5625 = 2.39803.
    assert fsrs.interval_days(stability=1, retention=0.8) == pytest.approx(81 / 19 * 0.5625)


def test_first_encoding() -> None:
    # SPEC §4.1.2: encoding uses G = 3, so S0 = 3.7145 d and D0 = 5.1618.
    assert fsrs.initial_stability() == pytest.approx(3.7145)
    assert fsrs.initial_difficulty() == pytest.approx(5.1618)
    # D0(4) = w4 - w5 = 5.1618 - 1.2298 = 3.932; S0(1) = w0 = 0.4872.
    assert fsrs.initial_difficulty(4) == pytest.approx(3.932)
    assert fsrs.initial_stability(1) == pytest.approx(0.4872)


def test_good_review_and_lapse_spec_examples() -> None:
    # SPEC §4.1.2 Tests: Good review with D = 5, S = 2, R = 0.9 -> S' = 8.25 d
    # (2*(1 + e^1.6474*6*2^-0.1367*(e^0.10461 - 1)) = 8.2514).
    good = fsrs.next_stability(difficulty=5, stability=2, retrievability=0.9, grade=3)
    assert good == pytest.approx(8.25, abs=5e-3)
    # SPEC §4.1.2 Tests: lapse from the same state -> S' = 0.93 d
    # (2.1072*5^-0.0793*(3^0.3246 - 1)*e^(1.587*0.1) = 0.9316).
    lapse = fsrs.next_stability(difficulty=5, stability=2, retrievability=0.9, grade=1)
    assert lapse == pytest.approx(0.93, abs=5e-3)


def test_hard_and_easy_scale_the_growth() -> None:
    # h = w15 for Hard, b = w16 for Easy multiply the growth term (SPEC §4.1.2).
    w = fsrs.FSRS_DEFAULT.w
    growth = 8.2514 / 2 - 1  # from the Good example above
    hard = fsrs.next_stability(difficulty=5, stability=2, retrievability=0.9, grade=2)
    easy = fsrs.next_stability(difficulty=5, stability=2, retrievability=0.9, grade=4)
    assert hard == pytest.approx(2 * (1 + growth * w[15]), abs=1e-3)
    assert easy == pytest.approx(2 * (1 + growth * w[16]), abs=1e-3)


def test_again_difficulty_spec_example() -> None:
    # SPEC §4.1.2 Tests: Again from D = 5 -> D' = 6.744 (0.031*5.1618 + 0.969*(5 + 2*0.8975)).
    assert fsrs.next_difficulty(difficulty=5, grade=1) == pytest.approx(6.744, abs=5e-4)
    # Difficulty stays inside [1, 10].
    assert fsrs.next_difficulty(difficulty=10, grade=1) == 10.0
    assert fsrs.next_difficulty(difficulty=1, grade=4) == 1.0


def test_vmpfc_multiplier_spec_examples() -> None:
    # SPEC §4.1.2 Tests: PE = 0 -> m = 1.272; PE = 0.5 -> 1.0; PE = 1 -> 0.728
    # (1 + (0.5 - sigmoid(-3))*0.6 = 1.2715).
    assert fsrs.vmpfc_multiplier(prediction_error=0.0) == pytest.approx(1.272, abs=5e-4)
    assert fsrs.vmpfc_multiplier(prediction_error=0.5) == pytest.approx(1.0)
    assert fsrs.vmpfc_multiplier(prediction_error=1.0) == pytest.approx(0.728, abs=5e-4)


def test_due_in_days_and_pe_from_cosine() -> None:
    # due = m(PE)*I(0.9, S'); with S' = 10 and PE = 0.5 that is 10 days.
    assert fsrs.due_in_days(stability=10, prediction_error=0.5) == pytest.approx(10.0)
    assert fsrs.prediction_error_from_cosine(cosine=0.25) == pytest.approx(0.75)
    assert fsrs.prediction_error_from_cosine(cosine=-0.5) == 1.0


def test_invalid_input() -> None:
    with pytest.raises(InvalidInputError):
        fsrs.next_stability(difficulty=5, stability=2, retrievability=0.9, grade=5)
    with pytest.raises(InvalidInputError):
        fsrs.retrievability(elapsed_days=1, stability=0)
    with pytest.raises(InvalidInputError):
        fsrs.FSRSParams(w=(1.0, 2.0))
    with pytest.raises(ValueError):  # InvalidInputError is also a ValueError
        fsrs.FSRSParams(decay=0.5)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    t1=st.floats(0, 1e4),
    t2=st.floats(0, 1e4),
    s=st.floats(0.01, 1e4),
)
def test_retrievability_in_unit_interval_and_non_increasing(t1: float, t2: float, s: float) -> None:
    lo, hi = sorted((t1, t2))
    r_lo = fsrs.retrievability(elapsed_days=lo, stability=s)
    r_hi = fsrs.retrievability(elapsed_days=hi, stability=s)
    assert 0.0 <= r_hi <= r_lo <= 1.0


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    d=st.floats(1, 10),
    s=st.floats(0.1, 365),
    r=st.floats(0.01, 1.0),
    grade=st.integers(2, 4),
)
def test_success_never_shrinks_and_lapse_never_grows(
    d: float, s: float, r: float, grade: int
) -> None:
    assert fsrs.next_stability(difficulty=d, stability=s, retrievability=r, grade=grade) >= s
    assert fsrs.next_stability(difficulty=d, stability=s, retrievability=r, grade=1) <= s
