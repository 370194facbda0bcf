"""Known values of the two-factor edge model and Bjork storage strength (SPEC §4.1.1, §4.3.1)."""

from __future__ import annotations

import math

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import two_factor as tf
from zenbrain.errors import InvalidInputError


def test_fresh_edge_co_activated_once() -> None:
    # SPEC §4.1.1 Test: w = 1.1, sigma^2 = 0.8636 (1*(1 - 0.15/1.1)).
    edge = tf.co_activate(tf.EdgeState())
    assert edge.weight == pytest.approx(1.1)
    assert edge.variance == pytest.approx(0.8636, abs=5e-5)
    assert edge.activation_count == 1


def test_decay_step_after_one_co_activation() -> None:
    # SPEC §4.1.1 Test: I = 1.158 and w = 1.1*(1 - 0.05/1.1158) = 1.0507.
    edge = tf.co_activate(tf.EdgeState())
    assert tf.importance(edge.variance) == pytest.approx(1.158, abs=5e-4)
    decayed = tf.homeostatic_decay(edge)
    assert decayed.weight == pytest.approx(1.0507, abs=5e-5)
    assert decayed.variance == edge.variance


def test_protected_change_of_a_mature_edge() -> None:
    # SPEC §4.1.1 Test: sigma^2 = 0.05 (I = 20), delta = -2 moves by -2/11 = -0.18.
    i = tf.importance(0.05)
    assert i == pytest.approx(20.0)
    assert tf.protected_change(delta=-2.0, importance=i) == pytest.approx(-2 / 11)
    moved = tf.apply_change(tf.EdgeState(weight=1.0, variance=0.05), delta=-2.0)
    assert moved.weight == pytest.approx(1.0 - 2 / 11)


def test_lock_and_learning_rate() -> None:
    # lock = 1 - clamp(sigma^2); a mature edge (sigma^2 = 0.2, lock 0.8) learns at 0.1*(1 - 0.4).
    assert tf.lock(0.2) == pytest.approx(0.8)
    edge = tf.co_activate(tf.EdgeState(weight=2.0, variance=0.2, activation_count=5))
    assert edge.weight == pytest.approx(2.0 + 0.1 * 0.6)
    # sigma^2 <- 0.2*(1 - 0.15/1.6)
    assert edge.variance == pytest.approx(0.2 * (1 - 0.15 / 1.6))


def test_limits() -> None:
    edge = tf.EdgeState(weight=9.99, variance=0.0101, activation_count=100)
    edge = tf.co_activate(edge, tag=1.0, act=5.0)
    assert edge.weight == 10.0
    assert edge.variance == pytest.approx(0.01)
    assert tf.homeostatic_decay(tf.EdgeState(weight=0.05)).weight == 0.05


def test_storage_strength_gain_spec_example() -> None:
    # SPEC §4.3.1 Test: a review at R = 0.9 -> delta SS = 0.1 + 0.9*0.1 = 0.19.
    assert tf.storage_strength_gain(retrievability=0.9) == pytest.approx(0.19)
    assert tf.storage_strength_gain(retrievability=0.0) == pytest.approx(1.0)


def test_savings_stability() -> None:
    # S_new = S_lapse*(1 + 0.5*ln(1 + SS)); SS = e - 1 gives x1.5.
    assert tf.savings_stability(lapse_stability=2.0, storage_strength=math.e - 1) == pytest.approx(
        3.0
    )
    assert tf.savings_stability(lapse_stability=2.0, storage_strength=0.0) == pytest.approx(2.0)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        tf.EdgeState(variance=0.0)
    with pytest.raises(InvalidInputError):
        tf.TwoFactorParams(w_min=2.0, w_max=1.0)
    with pytest.raises(InvalidInputError):
        tf.co_activate(tf.EdgeState(), tag=-1.0)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    w=st.floats(0.05, 10),
    var=st.floats(0.01, 5),
    n=st.integers(0, 1000),
    tag=st.floats(0, 1),
    act=st.floats(0, 1),
)
def test_co_activation_never_weakens_or_loosens(
    w: float, var: float, n: int, tag: float, act: float
) -> None:
    before = tf.EdgeState(weight=w, variance=var, activation_count=n)
    after = tf.co_activate(before, tag=tag, act=act)
    assert before.weight <= after.weight <= 10.0
    assert 0.01 <= after.variance <= max(before.variance, 0.01)
    decayed = tf.homeostatic_decay(after)
    assert 0.05 <= decayed.weight <= after.weight
