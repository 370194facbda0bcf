"""Known values of the reconsolidation prediction error and modes (SPEC §4.2.2)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import reconsolidation as rc
from zenbrain.algorithms import stability as sp
from zenbrain.errors import InvalidInputError

OLD = "Bob prefers coffee in the morning"
NEW = "Bob prefers strong coffee in the morning"


def test_content_words() -> None:
    assert rc.content_words(OLD) == {"bob", "prefers", "coffee", "morning"}
    assert rc.content_words(NEW) == {"bob", "prefers", "strong", "coffee", "morning"}
    # Negations are content: they change the meaning.
    assert "never" in rc.content_words("I never drink tea")


def test_bob_coffee_spec_example() -> None:
    # SPEC §4.2.2 Test: d_J = 1 - 4/5 = 0.2, so the mode is selective_edit.
    pe = rc.prediction_error(old_text=OLD, new_text=NEW)
    assert pe == pytest.approx(0.2)
    assert rc.mode_for(pe) == "selective_edit"
    # Recalled 1 min earlier (labile, n = 1, c = 0.75): theta = 0.144 <= 0.2, version 2 is created.
    lock = sp.lock_score(recall_count=1, confidence=0.75, age_days=0)
    labile = sp.update_threshold(lock=lock, rigidity=1.0, labile=True)
    assert pe >= labile
    # Without the recall: lock 0.225, theta = 0.568 -> blocked.
    lock0 = sp.lock_score(recall_count=0, confidence=0.75, age_days=0)
    assert pe < sp.update_threshold(lock=lock0, rigidity=1.0)


def test_antonym_conflict() -> None:
    # {always, drink, tea} vs {never, drink, tea}: d_J = 1 - 2/4 = 0.5, plus 0.2 contra = 0.7.
    pe = rc.prediction_error(old_text="I always drink tea", new_text="I never drink tea")
    assert pe == pytest.approx(0.7)
    assert rc.mode_for(pe) == "new_episode"
    assert rc.has_antonym_conflict("Bob is tall", "Bob isn\u2019t tall")
    assert rc.has_antonym_conflict("Ann loves jazz", "Ann hates jazz")
    # Both sides in both texts is not a conflict.
    assert not rc.has_antonym_conflict("yes or no", "no or yes")
    assert not rc.has_antonym_conflict(OLD, NEW)


def test_slot_conflict_and_cap() -> None:
    # A functional-slot conflict adds 0.2; PE never exceeds 1.
    assert rc.prediction_error(old_text=OLD, new_text=NEW, slot_conflict=True) == pytest.approx(0.4)
    assert rc.prediction_error(old_text="cats", new_text="dogs", slot_conflict=True) == 1.0


def test_modes() -> None:
    # SPEC §4.2.2 table: < 0.1 confirmed, 0.1-0.3 selective_edit, 0.3-0.7 integration, >= 0.7 new.
    assert rc.prediction_error(old_text=OLD, new_text=OLD) == 0.0
    assert rc.mode_for(0.0) == "confirmed"
    assert rc.mode_for(0.0999) == "confirmed"
    assert rc.mode_for(0.1) == "selective_edit"
    assert rc.mode_for(0.3) == "integration"
    assert rc.mode_for(0.6999) == "integration"
    assert rc.mode_for(0.7) == "new_episode"


def test_jaccard_and_merge() -> None:
    assert rc.jaccard_distance(set(), set()) == 0.0
    assert rc.jaccard_distance({"a"}, {"b"}) == 1.0
    assert rc.merge_text("Luna likes tuna.", "Luna now likes salmon") == (
        "Luna likes tuna. \u2014 update: Luna now likes salmon"
    )


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        rc.content_words(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        rc.ReconsolidationParams(confirm_below=0.5, edit_below=0.3)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(a=st.text(max_size=80), b=st.text(max_size=80), slot=st.booleans())
def test_pe_in_unit_interval_and_symmetric(a: str, b: str, slot: bool) -> None:
    pe = rc.prediction_error(old_text=a, new_text=b, slot_conflict=slot)
    assert 0.0 <= pe <= 1.0
    assert pe == rc.prediction_error(old_text=b, new_text=a, slot_conflict=slot)
