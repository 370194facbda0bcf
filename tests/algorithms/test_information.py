"""Information content and repeat strengthening (zenbrain.algorithms.information): known values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zenbrain.algorithms.information import InformationParams, information_content, interpolate
from zenbrain.errors import InvalidInputError


@pytest.mark.parametrize(
    ("fact", "entities", "words", "expected"),
    [
        (False, 0, 2, 0.0),  # "ugh, Mondays": nothing to learn
        (False, 0, 4, 0.0),  # four content words are free
        (True, 1, 2, 0.9),  # "I live in Lisbon": 0.7 + 0.2·1
        (True, 0, 4, 0.7),  # "I started a new job as a nurse"
        (False, 2, 7, 0.55),  # two names, 7 words: 0.2·2 + 0.05·3
        (False, 5, 20, 0.6),  # entities capped at 2, words at 4 beyond the free ones
        (True, 3, 12, 1.0),  # 0.7 + 0.4 + 0.2 = 1.3, capped at 1
    ],
)
def test_information_content_known_values(fact, entities, words, expected):
    assert information_content(durable_fact=fact, entities=entities,
                               content_words=words) == pytest.approx(expected)


def test_interpolate_known_values():
    assert interpolate(old=3.7145, reviewed=20.0, information=0.5) == pytest.approx(11.85725)
    assert interpolate(old=14.0, reviewed=40.0, information=0.0) == 14.0
    assert interpolate(old=14.0, reviewed=40.0, information=1.0) == 40.0


def test_bad_inputs_are_rejected():
    with pytest.raises(InvalidInputError):
        information_content(durable_fact=False, entities=-1, content_words=0)
    with pytest.raises(InvalidInputError):
        interpolate(old=1.0, reviewed=2.0, information=1.5)
    with pytest.raises(InvalidInputError):
        InformationParams(w_fact=2.0)


@given(st.booleans(), st.integers(0, 50), st.integers(0, 200))
def test_information_is_a_share_and_grows_with_content(fact, entities, words):
    i = information_content(durable_fact=fact, entities=entities, content_words=words)
    assert 0.0 <= i <= 1.0
    assert information_content(durable_fact=True, entities=entities, content_words=words) >= i
    assert information_content(durable_fact=fact, entities=entities + 1,
                               content_words=words + 1) >= i
