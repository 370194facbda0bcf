"""Known values of the Fiedler value of the entity graph (SPEC §4.1.6)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import spectral as sg
from zenbrain.errors import InvalidInputError


def test_spec_examples() -> None:
    # SPEC §4.1.6 Tests: path of 3 nodes with unit weights -> 1; triangle -> 3;
    # two isolated nodes -> 0 (fragmented).
    assert sg.fiedler([("a", "b", 1.0), ("b", "c", 1.0)]) == pytest.approx(1.0)
    assert sg.fiedler([("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0)]) == pytest.approx(3.0)
    isolated = sg.fiedler([], nodes=["a", "b"])
    assert isolated == 0.0
    assert sg.is_fragmented(isolated)
    assert not sg.is_fragmented(1.0)


def test_parallel_and_opposite_edges_are_summed() -> None:
    # Two nodes joined with total weight w have L eigenvalues 0 and 2w: here w = 1 + 1 + 0.5.
    edges = [("a", "b", 1.0), ("b", "a", 1.0), ("a", "b", 0.5), ("a", "a", 4.0)]
    assert sg.fiedler(edges) == pytest.approx(5.0)


def test_disconnected_and_tiny_graphs() -> None:
    assert sg.fiedler([("a", "b", 1.0), ("c", "d", 1.0)]) == 0.0
    assert sg.fiedler([]) == 0.0
    assert sg.fiedler([("a", "b", 1.0)], nodes=["z"]) == 0.0


def test_node_cap_keeps_highest_degree() -> None:
    # A star a-{b,c,d} plus an isolated e: with max_nodes = 4 the isolated node is dropped,
    # leaving the star K_{1,3} whose lambda_2 is 1.
    edges = [("a", "b", 1.0), ("a", "c", 1.0), ("a", "d", 1.0)]
    assert sg.fiedler(edges, nodes=["e"]) == 0.0
    assert sg.fiedler(edges, nodes=["e"], max_nodes=4) == pytest.approx(1.0)


def test_report_helpers() -> None:
    assert sg.consolidation_successful(before=1.0, after=1.0)
    assert not sg.consolidation_successful(before=1.0, after=0.9)
    assert sg.sharp_drop(before=1.0, after=0.79)
    assert not sg.sharp_drop(before=1.0, after=0.8)
    assert not sg.sharp_drop(before=0.0, after=0.0)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        sg.fiedler([("a", "b", -1.0)])
    with pytest.raises(InvalidInputError):
        sg.fiedler([], max_nodes=1)


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef"), st.floats(0.01, 5)),
        max_size=15,
    )
)
def test_adding_an_edge_never_lowers_lambda2(edges: list[tuple[str, str, float]]) -> None:
    base = sg.fiedler(edges)
    assert base >= 0.0
    if edges:
        u, v, _ = edges[0]
        assert sg.fiedler([*edges, (u, v, 1.0)]) >= base - 1e-9
