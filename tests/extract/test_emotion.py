"""Lexicon-based emotional tagging (SPEC §4.3.5)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.errors import InvalidInputError
from zenbrain.extract._lexicon import LEXICON
from zenbrain.extract.emotion import Affect, emotion_intensity, tag


def test_lexicon_size_and_ranges() -> None:
    assert 280 <= len(LEXICON) <= 400
    for word, (valence, arousal) in LEXICON.items():
        assert word == word.lower()
        assert -1.0 <= valence <= 1.0
        assert 0.0 <= arousal <= 1.0


def test_spec_acceptance_pair() -> None:
    """SPEC §7 example 8: the crash is emotional, the printer is neutral."""
    crash = tag("I was terrified when the car crashed on the highway")
    assert crash.valence < 0
    assert emotion_intensity(crash) > 0.6
    assert tag("The printer uses A4 paper") == Affect(0.0, 0.0)
    assert emotion_intensity(tag("The printer uses A4 paper")) == 0.0


def test_neutral_text() -> None:
    assert tag("") == Affect(0.0, 0.0)
    assert tag("The meeting is at room 4") == Affect(0.0, 0.0)


def test_polarity() -> None:
    assert tag("I am happy").valence > 0
    assert tag("I am sad").valence < 0


def test_intensifier_strengthens() -> None:
    plain, strong = tag("I am happy"), tag("I am extremely happy")
    assert strong.valence > plain.valence
    assert emotion_intensity(strong) > emotion_intensity(plain)
    assert emotion_intensity(tag("I am slightly happy")) < emotion_intensity(plain)


@pytest.mark.parametrize("text", ["I am not happy", "I'm never happy", "I wasn't happy at all"])
def test_negation_flips(text: str) -> None:
    assert tag(text).valence < 0


def test_negation_reaches_three_tokens() -> None:
    assert tag("not at all happy").valence < 0
    assert tag("not one of the two was happy").valence > 0  # too far back to count


def test_inflections_are_folded() -> None:
    assert tag("she worried").valence == pytest.approx(tag("she worry").valence)
    assert tag("we celebrated").valence > 0
    assert tag("it was crashing").valence < 0


def test_intensity_formula() -> None:
    assert emotion_intensity(Affect(-0.8, 0.5)) == pytest.approx(0.4)
    assert emotion_intensity(Affect(0.3, 0.0)) == pytest.approx(0.3)
    assert emotion_intensity(Affect(0.0, 0.0)) == 0.0


def test_affect_validates() -> None:
    with pytest.raises(InvalidInputError):
        Affect(1.5, 0.1)
    with pytest.raises(InvalidInputError):
        Affect(0.1, -0.1)
    with pytest.raises(InvalidInputError):
        tag(None)  # type: ignore[arg-type]


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(st.text(max_size=300))
def test_in_range_on_arbitrary_text(text: str) -> None:
    affect = tag(text)
    assert -1.0 <= affect.valence <= 1.0
    assert 0.0 <= affect.arousal <= 1.0
    assert 0.0 <= emotion_intensity(affect) <= 1.0
    assert tag(text) == affect


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *sorted(LEXICON)[:40],
                "not",
                "very",
                "extremely",
                "never",
                "didn't",
                "the",
                "slightly",
            ]
        ),
        max_size=12,
    )
)
def test_in_range_on_word_salad(words: list[str]) -> None:
    affect = tag(" ".join(words))
    assert -1.0 <= affect.valence <= 1.0
    assert 0.0 <= affect.arousal <= 1.0
