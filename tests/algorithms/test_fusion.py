"""Known values of weighted reciprocal-rank fusion (SPEC §4.3.6)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms.fusion import ROUTE_WEIGHTS, normalise, weighted_rrf
from zenbrain.errors import InvalidInputError


def test_two_routes_by_hand() -> None:
    # k = 60, weights vector 1.0 / keyword 0.8 (SPEC §4.3.6):
    # a: 1/61; b: (1/62 + 0.8/61)*1.2 (found by two routes); c: 0.8/62.
    scores = weighted_rrf({"vector": ["a", "b"], "keyword": ["b", "c"]}, weights=ROUTE_WEIGHTS)
    assert scores["a"] == pytest.approx(1 / 61)
    assert scores["b"] == pytest.approx((1 / 62 + 0.8 / 61) * 1.2)
    assert scores["c"] == pytest.approx(0.8 / 62)
    top = normalise(scores)
    assert top["b"] == 1.0
    assert top["a"] == pytest.approx((1 / 61) / ((1 / 62 + 0.8 / 61) * 1.2))


def test_duplicates_keep_their_best_rank() -> None:
    scores = weighted_rrf({"vector": ["a", "a", "b"]}, weights={"vector": 1.0})
    assert scores == pytest.approx({"a": 1 / 61, "b": 1 / 63})


def test_missing_weight_is_an_error() -> None:
    with pytest.raises(InvalidInputError):
        weighted_rrf({"telepathy": ["a"]}, weights=ROUTE_WEIGHTS)


def test_normalise_empty_and_zero() -> None:
    assert normalise({}) == {}
    assert normalise({"a": 0.0}) == {"a": 0.0}


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(
    vec=st.lists(st.sampled_from(list("abcdefgh")), max_size=8, unique=True),
    kw=st.lists(st.sampled_from(list("abcdefgh")), max_size=8, unique=True),
)
def test_earlier_rank_never_scores_lower(vec: list[str], kw: list[str]) -> None:
    scores = weighted_rrf({"vector": vec}, weights=ROUTE_WEIGHTS)
    values = [scores[x] for x in vec]
    assert values == sorted(values, reverse=True)
    both = weighted_rrf({"vector": vec, "keyword": kw}, weights=ROUTE_WEIGHTS)
    assert set(both) == set(vec) | set(kw)
    assert all(0.0 < v <= 1.0 for v in normalise(both).values())


def test_passage_similarity_by_hand() -> None:
    from zenbrain.algorithms.fusion import passage_similarity

    assert passage_similarity(0.30, 0.50) == pytest.approx(0.40)  # halfway to the best sentence
    assert passage_similarity(0.30, 0.20) == 0.30  # a weaker sentence never lowers the whole
    assert passage_similarity(-0.10, 0.70) == pytest.approx(0.30)
    assert passage_similarity(0.42, None) == 0.42


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(whole=st.floats(-1, 1), best=st.floats(-1, 1))
def test_passage_similarity_lies_between_whole_and_best(whole: float, best: float) -> None:
    from zenbrain.algorithms.fusion import passage_similarity

    s = passage_similarity(whole, best)
    assert min(whole, max(whole, best)) <= s <= max(whole, best)
