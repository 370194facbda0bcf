"""Known values of spreading activation with the fan effect (SPEC §4.3.3)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms.spreading import memory_score, spread
from zenbrain.errors import InvalidInputError


def test_luna_spec_example() -> None:
    # SPEC §4.3.3 Test: Luna (A = 1) has 2 out-edges of equal weight -> each neighbour gets
    # 1*(1/2)*0.5 = 0.25.
    adj = {"Luna": {"tuna": 2.0, "vet": 2.0}}
    act = spread(adj, {"Luna": 1.0})
    assert act == pytest.approx({"Luna": 1.0, "tuna": 0.25, "vet": 0.25})


def test_fan_effect_and_second_hop() -> None:
    # Unequal weights split 3:1 -> 0.375 and 0.125; the second hop halves again.
    adj = {"a": {"b": 3.0, "c": 1.0}, "b": {"d": 1.0}}
    act = spread(adj, {"a": 1.0})
    assert act["b"] == pytest.approx(0.375)
    assert act["c"] == pytest.approx(0.125)
    assert act["d"] == pytest.approx(0.375 * 0.5)


def test_undirected_flow_returns_to_the_seed() -> None:
    # Hop 2 sends each neighbour's 0.25 back to Luna, its only neighbour: 1 + 2*0.125.
    adj = {"Luna": {"tuna": 1.0, "vet": 1.0}, "tuna": {"Luna": 1.0}, "vet": {"Luna": 1.0}}
    assert spread(adj, {"Luna": 1.0})["Luna"] == pytest.approx(1.25)
    assert spread(adj, {"Luna": 1.0}, hops=1)["Luna"] == pytest.approx(1.0)


def test_threshold_stops_weak_waves() -> None:
    # 0.15 fires (>= 0.1) and sends 0.075 to b; 0.075 < 0.1 does not fire on to c.
    adj = {"a": {"b": 1.0}, "b": {"c": 1.0}}
    act = spread(adj, {"a": 0.15})
    assert act["b"] == pytest.approx(0.075)
    assert "c" not in act
    assert spread(adj, {"a": 1.0}, hops=0) == {"a": 1.0}


def test_memory_score() -> None:
    # SPEC §4.3.3: memory score = sum of A over the memory's entities.
    assert memory_score({"Luna": 1.0, "vet": 0.25}, ["Luna", "vet", "Bob"]) == pytest.approx(1.25)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        spread({}, {"a": -1.0})
    with pytest.raises(InvalidInputError):
        spread({}, {"a": 1.0}, hops=-1)


names = st.sampled_from(list("abcdef"))


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    edges=st.dictionaries(names, st.dictionaries(names, st.floats(0, 10), max_size=4), max_size=6),
    seeds=st.dictionaries(names, st.floats(0, 1), min_size=1, max_size=3),
)
def test_activation_is_bounded(edges: dict[str, dict[str, float]], seeds: dict[str, float]) -> None:
    act = spread(edges, seeds)
    total_seed = sum(seeds.values())
    # Each hop passes on at most half of the previous wave.
    assert all(v >= 0.0 for v in act.values())
    assert sum(act.values()) <= total_seed * (1 + 0.5 + 0.25) + 1e-9
