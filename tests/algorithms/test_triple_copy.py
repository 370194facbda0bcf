"""Known values of the fast, medium and deep copies (SPEC §4.2.3)."""

from __future__ import annotations

import math

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import triple_copy as tc
from zenbrain.errors import InvalidInputError


def test_curves_spec_examples() -> None:
    # SPEC §4.2.3 Tests: s0 = 1: F(4 h) = e^-1 = 0.368.
    assert tc.fast(s0=1.0, hours_since=4) == pytest.approx(0.368, abs=5e-4)
    # M(14 d) with S = 14 = 0.8*e^-1 = 0.294.
    assert tc.medium(s0=1.0, days_since=14, stability=14) == pytest.approx(0.294, abs=5e-4)
    # G(t_deep + 7 d) = tanh(1) = 0.762; G(30 d) = tanh(30/7) = 0.9996.
    assert tc.deep(s0=1.0, days_since_deep=7) == pytest.approx(0.762, abs=5e-4)
    assert tc.deep(s0=1.0, days_since_deep=30) == pytest.approx(0.9996, abs=5e-5)
    assert tc.deep(s0=1.0, days_since_deep=0) == 0.0
    assert tc.deep(s0=1.0, days_since_deep=-1) == 0.0


def test_paper_mean_is_not_reproduced() -> None:
    # SPEC says the paper's S(30 d) = 0.912 is the mean over s0 ~ U[0.8, 1.0]. With
    # G = min(1, s0*tanh(30/7)) the mean is 0.9*tanh(30/7) = 0.8997, not 0.912 (see module doc).
    n = 2001
    mean = sum(tc.deep(s0=0.8 + 0.2 * i / (n - 1), days_since_deep=30) for i in range(n)) / n
    assert mean == pytest.approx(0.9 * math.tanh(30 / 7))
    assert mean == pytest.approx(0.8997, abs=5e-5)


def test_sixty_day_episode_is_served_from_the_gist() -> None:
    # SPEC §4.2.3 Tests: 60 days old, deep copy made on day 1, no sleep since:
    # M = 0.8*e^(-60/14) = 0.011 (S = 14) or 0.8*e^(-60/21) = 0.046 (S = 21); G ~ s0.
    s0 = 1.0
    f = tc.fast(s0=s0, hours_since=60 * 24)
    m14 = tc.medium(s0=s0, days_since=60, stability=14)
    m21 = tc.medium(s0=s0, days_since=60, stability=21)
    g = tc.deep(s0=s0, days_since_deep=59)
    assert m14 == pytest.approx(0.011, abs=5e-4)
    assert m21 == pytest.approx(0.046, abs=5e-4)
    assert g == pytest.approx(s0, abs=1e-6)
    assert tc.serving_copy(f=f, m=m14, g=g) == "deep"
    assert tc.is_sudden_recall(f=f, m=m21, g=g) is True
    assert tc.availability(f=f, m=m14, g=g) == g


def test_cascade_order() -> None:
    assert tc.serving_copy(f=0.3, m=0.9, g=0.9) == "fast"
    assert tc.serving_copy(f=0.29, m=0.3, g=0.9) == "medium"
    assert tc.serving_copy(f=0.1, m=0.1, g=0.1) is None
    assert tc.is_sudden_recall(f=0.1, m=0.5, g=0.9) is False


def test_initial_strength() -> None:
    # SPEC §4.2.3: s0 = clamp((0.6 + 0.4*composite)*g).
    assert tc.initial_strength(composite=0.5, gain=1.0) == pytest.approx(0.8)
    assert tc.initial_strength(composite=1.0, gain=1.5) == 1.0
    assert tc.initial_strength(composite=0.0, gain=0.5) == pytest.approx(0.3)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        tc.medium(s0=1.0, days_since=1, stability=0)
    with pytest.raises(InvalidInputError):
        tc.initial_strength(composite=2.0, gain=1.0)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(s0=st.floats(0, 1), t1=st.floats(0, 1e3), t2=st.floats(0, 1e3), s=st.floats(0.1, 400))
def test_copies_bounded_and_monotone(s0: float, t1: float, t2: float, s: float) -> None:
    lo, hi = sorted((t1, t2))
    assert 0.0 <= tc.fast(s0=s0, hours_since=hi) <= tc.fast(s0=s0, hours_since=lo) <= s0
    assert (
        0.0
        <= tc.medium(s0=s0, days_since=hi, stability=s)
        <= tc.medium(s0=s0, days_since=lo, stability=s)
    )
    assert 0.0 <= tc.deep(s0=s0, days_since_deep=lo) <= tc.deep(s0=s0, days_since_deep=hi) <= 1.0
