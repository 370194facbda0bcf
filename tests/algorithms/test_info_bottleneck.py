"""Known values of the context-adaptive Information-Bottleneck budget (SPEC §4.1.7)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import info_bottleneck as ib
from zenbrain.errors import InvalidInputError


def test_spec_example() -> None:
    # SPEC §4.1.7 Test: cost 0.3, gain 0.5, personal (0.4) -> 0.2 < 0.3 -> do not retain.
    cost = ib.cost(chars=0, entities=0, novelty=1.0)  # 0.3*novelty = 0.3
    gain = ib.gain(recall_count=5, confidence=1.0, days_since_last_access=90)  # 0.2 + 0.3 + 0
    assert cost == pytest.approx(0.3)
    assert gain == pytest.approx(0.5)
    assert ib.beta_for("personal") == 0.4
    assert not ib.should_retain(beta_ctx=ib.beta_for("personal"), gain=gain, cost=cost)
    # The same episode in a work context: 0.8*0.5 = 0.4 > 0.3 -> retain.
    assert ib.should_retain(beta_ctx=ib.beta_for("work"), gain=gain, cost=cost)


def test_cost_and_gain_saturate() -> None:
    assert ib.cost(chars=10_000, entities=40, novelty=1.0) == pytest.approx(1.0)
    # 0.4*0.5 + 0.3*0.25 + 0.3*0 = 0.275
    assert ib.cost(chars=2500, entities=5, novelty=0.0) == pytest.approx(0.275)
    assert ib.gain(recall_count=20, confidence=1.0, days_since_last_access=0) == pytest.approx(1.0)
    # 0.4*0.1 + 0.3*0.5 + 0.3*(1 - 45/90) = 0.34
    assert ib.gain(recall_count=1, confidence=0.5, days_since_last_access=45) == pytest.approx(0.34)


def test_token_budget_and_defaults() -> None:
    # SPEC §4.1.7: 1500 tokens x (0.5 + beta_ctx) [D]; default beta 0.5.
    assert ib.token_budget(0.5) == 1500
    assert ib.token_budget(0.8) == 1950
    assert ib.token_budget(0.3) == 1200
    assert ib.beta_for(None) == 0.5
    assert ib.beta_for("gardening") == 0.5
    assert ib.beta_for("learning") == 0.6
    assert ib.beta_for("creative") == 0.3


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        ib.cost(chars=-1, entities=0, novelty=0)
    with pytest.raises(InvalidInputError):
        ib.token_budget(1.5)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    chars=st.floats(0, 1e6),
    ents=st.integers(0, 1000),
    nov=st.floats(0, 1),
    n=st.integers(0, 1000),
    c=st.floats(0, 1),
    days=st.floats(-10, 1e4),
)
def test_cost_and_gain_in_unit_interval(
    chars: float, ents: int, nov: float, n: int, c: float, days: float
) -> None:
    assert 0.0 <= ib.cost(chars=chars, entities=ents, novelty=nov) <= 1.0 + 1e-12
    assert 0.0 <= ib.gain(recall_count=n, confidence=c, days_since_last_access=days) <= 1.0 + 1e-12
