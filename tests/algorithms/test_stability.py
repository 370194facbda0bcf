"""Known values of the StabilityProtector (SPEC §4.2.5, §4.2.2)."""

from __future__ import annotations

import math

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import stability as sp
from zenbrain.errors import InvalidInputError


def test_new_memory_spec_example() -> None:
    # SPEC §4.2.5 Tests: n = 0, c = 0.5, age 0, not core: lock 0.15, theta = 0.5 + 0.3*0.15 = 0.545.
    lock = sp.lock_score(recall_count=0, confidence=0.5, age_days=0, is_core=False)
    assert lock == pytest.approx(0.15)
    rig = sp.rigidity(age_days=0)
    assert rig == 1.0
    assert sp.update_threshold(lock=lock, rigidity=rig) == pytest.approx(0.545)


def test_core_memory_spec_example() -> None:
    # SPEC §4.2.5 Tests: core, n = 10, c = 1, age 365: lock 1.0, rigidity 1 + 0.1*log2(366) = 1.852,
    # theta = 0.5 + 0.3*1.852 = 1.056 > 1, so PE can never update it.
    lock = sp.lock_score(recall_count=10, confidence=1.0, age_days=365, is_core=True)
    assert lock == pytest.approx(1.0)
    rig = sp.rigidity(age_days=365)
    assert rig == pytest.approx(1.852, abs=5e-4)
    theta = sp.update_threshold(lock=lock, rigidity=rig)
    # Exactly 0.5 + 0.3*1.85157 = 1.05547; SPEC's 1.056 comes from the rounded rigidity 1.852.
    assert theta == pytest.approx(0.5 + 0.3 * (1 + 0.1 * math.log2(366)))
    assert theta == pytest.approx(1.056, abs=1e-3)
    assert theta > 1.0


def test_reconsolidation_gate_spec_example() -> None:
    # SPEC §4.2.2 Test: user statement (c = 0.75) recalled once a minute ago:
    # lock = 0.3*log2(2)/log2(11) + 0.3*0.75 = 0.312; labile theta = 0.05 + 0.3*0.312 = 0.144.
    lock = sp.lock_score(recall_count=1, confidence=0.75, age_days=0)
    assert lock == pytest.approx(0.3 / math.log2(11) + 0.225)
    assert lock == pytest.approx(0.312, abs=5e-4)
    labile = sp.update_threshold(lock=lock, rigidity=sp.rigidity(age_days=0), labile=True)
    assert labile == pytest.approx(0.144, abs=5e-4)
    # Without the recall: lock = 0.225, theta = 0.5 + 0.3*0.225 = 0.5675 (SPEC rounds to 0.568).
    lock0 = sp.lock_score(recall_count=0, confidence=0.75, age_days=0)
    assert lock0 == pytest.approx(0.225)
    assert sp.update_threshold(lock=lock0, rigidity=1.0) == pytest.approx(0.5675)


def test_ne_lowers_the_gate() -> None:
    # SPEC §4.2.1: NE lowers the reconsolidation gate by 0.1*(NE - 0.5).
    assert sp.update_threshold(lock=0.0, rigidity=1.0, ne=1.0) == pytest.approx(0.45)


def test_protection() -> None:
    assert sp.is_protected(lock=0.5)
    assert sp.is_protected(lock=0.1, pinned=True)
    assert sp.is_protected(lock=0.1, is_core=True)
    assert not sp.is_protected(lock=0.49)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        sp.lock_score(recall_count=1, confidence=1.5, age_days=0)
    with pytest.raises(InvalidInputError):
        sp.StabilityParams(recall_cap=0)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    n=st.integers(0, 10_000),
    c=st.floats(0, 1),
    age=st.floats(0, 1e5),
    core=st.booleans(),
)
def test_lock_in_unit_interval(n: int, c: float, age: float, core: bool) -> None:
    lock = sp.lock_score(recall_count=n, confidence=c, age_days=age, is_core=core)
    assert 0.0 <= lock <= 1.0
    assert sp.rigidity(age_days=age) >= 1.0
