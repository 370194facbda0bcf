"""Known values and laws of the PriorityMap composite (SPEC §4.2.4)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import priority as pr
from zenbrain.algorithms.neuromodulators import NeuroLevels
from zenbrain.errors import InvalidInputError

unit = st.floats(0, 1)


def test_amygdala_spec_example() -> None:
    # SPEC §4.2.4 Test: (0.1, 0.9, 0.1, 0.1) at the neutral state -> 0.30 -> floored to 0.5.
    vec = pr.PriorityVector(saliency=0.1, emotion=0.9, reward=0.1, goal=0.1)
    # 0.2*0.1 + 0.25*0.9 + 0.25*0.1 + 0.3*0.1 = 0.30 before the fast-path
    no_fast_path = pr.PriorityParams(amygdala_threshold=1.0)
    assert pr.composite(vec, params=no_fast_path) == (pytest.approx(0.30), False)
    value, amygdala = pr.composite(vec, neuro=NeuroLevels())
    assert value == pytest.approx(0.5)
    assert amygdala is True


def test_neutral_weights_are_the_base_weights() -> None:
    assert pr.modulated_weights(NeuroLevels()) == pytest.approx((0.2, 0.25, 0.25, 0.3))


def test_dopamine_raises_the_saliency_weight() -> None:
    # DA = 1: saliency weight 0.2*1.15 = 0.23, others unchanged, then renormalised by 1.03.
    ws, we, wr, wg = pr.modulated_weights(NeuroLevels(da=1.0))
    assert ws == pytest.approx(0.23 / 1.03)
    assert wg == pytest.approx(0.3 / 1.03)
    assert ws + we + wr + wg == pytest.approx(1.0)


def test_inputs() -> None:
    # SPEC §4.2.4: emotion = |valence| or |valence|*arousal; saliency = max(novelty, urgency).
    assert pr.emotion_input(valence=-0.8) == pytest.approx(0.8)
    assert pr.emotion_input(valence=-0.8, arousal=0.5) == pytest.approx(0.4)
    assert pr.saliency_input(novelty=0.2, urgency=0.7) == pytest.approx(0.7)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        pr.PriorityVector(saliency=1.5)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    s=unit,
    e=unit,
    r=unit,
    g=unit,
    da=unit,
    ne=unit,
    ht=unit,
    ach=unit,
)
def test_composite_in_unit_interval(
    s: float, e: float, r: float, g: float, da: float, ne: float, ht: float, ach: float
) -> None:
    value, amygdala = pr.composite(
        pr.PriorityVector(saliency=s, emotion=e, reward=r, goal=g),
        neuro=NeuroLevels(da=da, ne=ne, ht=ht, ach=ach),
    )
    assert 0.0 <= value <= 1.0
    assert amygdala == (e > 0.6)
    if amygdala:
        assert value >= 0.5


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(s=unit, e=unit, r=unit, g1=unit, g2=unit)
def test_composite_monotone_in_goal(s: float, e: float, r: float, g1: float, g2: float) -> None:
    lo, hi = sorted((g1, g2))
    v_lo, _ = pr.composite(pr.PriorityVector(saliency=s, emotion=e, reward=r, goal=lo))
    v_hi, _ = pr.composite(pr.PriorityVector(saliency=s, emotion=e, reward=r, goal=hi))
    assert v_lo <= v_hi + 1e-12
