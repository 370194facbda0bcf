"""Known values of Simulation-Selection sleep replay (SPEC §4.1.3)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import sleep_math as sm
from zenbrain.errors import InvalidInputError


def test_tag_spec_example() -> None:
    # SPEC §4.1.3 Test: PE 0.8, Rw 0.5, 3 entities, valence 0.9, arousal 0.8 ->
    # 0.34*0.8 + 0.30*0.5 + 0.21*0.6 + 0.15*0.72 = 0.656 -> strengthen; S = 10 -> 18 (x1.5x1.2).
    tag = sm.tag_score(pe=0.8, reward=0.5, n_entities=3, valence=0.9, arousal=0.8)
    assert tag == pytest.approx(0.656)
    assert sm.should_strengthen(tag)
    e = sm.emotion_e(valence=0.9, arousal=0.8)
    assert e == pytest.approx(0.72)
    assert sm.replay_stability(stability=10, tag=tag, emotion_e=e) == pytest.approx(18.0)


def test_other_replay_outcomes() -> None:
    # Strengthen without the emotional bonus: 10*1.5 = 15.
    assert sm.replay_stability(stability=10, tag=0.6, emotion_e=0.5) == pytest.approx(15.0)
    # TAG <= 0.5 decays: 10*(1 - 0.05) = 9.5.
    assert sm.replay_stability(stability=10, tag=0.5, emotion_e=0.9) == pytest.approx(9.5)
    # Cap at 365 d; a stability already above the cap is kept.
    assert sm.replay_stability(stability=300, tag=0.9, emotion_e=0.9) == 365.0
    assert sm.replay_stability(stability=400, tag=0.9, emotion_e=0.9) == 400.0


def test_candidates() -> None:
    # SPEC §4.1.3: counterfactual = PE > 0.6 and reward < 0.3; PE = max(encoding, reconsolidation,
    # novelty).
    assert sm.is_counterfactual(pe=0.7, reward=0.2)
    assert not sm.is_counterfactual(pe=0.6, reward=0.2)
    assert sm.replay_pe(encoding_pe=0.2, reconsolidation_pe=0.5, novelty=0.4) == 0.5
    # N saturates at 5 entities.
    assert sm.tag_score(pe=0, reward=0, n_entities=9, valence=0, arousal=0) == pytest.approx(0.21)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        sm.replay_stability(stability=0, tag=0.9, emotion_e=0.0)
    with pytest.raises(InvalidInputError):
        sm.SleepParams(max_replays=-1)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    pe=st.floats(0, 1),
    rw=st.floats(0, 1),
    n=st.integers(0, 50),
    val=st.floats(-1, 1),
    ar=st.floats(0, 1),
    s=st.floats(0.1, 365),
)
def test_tag_bounded_and_replay_capped(
    pe: float, rw: float, n: int, val: float, ar: float, s: float
) -> None:
    tag = sm.tag_score(pe=pe, reward=rw, n_entities=n, valence=val, arousal=ar)
    assert 0.0 <= tag <= 1.0 + 1e-12
    new_s = sm.replay_stability(
        stability=s, tag=tag, emotion_e=sm.emotion_e(valence=val, arousal=ar)
    )
    assert 0.0 < new_s <= 365.0


def test_strengthen_cut_is_the_lower_of_half_and_the_pool_quantile() -> None:
    # Five TAGs 0.2, 0.3, 0.4, 0.5, 0.6: the 40th percentile sits at position 0.4*4 = 1.6,
    # i.e. 0.3 + 0.6*(0.4 - 0.3) = 0.36, below the paper's 0.5.
    assert sm.strengthen_cut([0.6, 0.2, 0.5, 0.3, 0.4]) == pytest.approx(0.36)
    # A pool whose 40th percentile is above 0.5 keeps the paper's cut.
    assert sm.strengthen_cut([0.7, 0.8, 0.9]) == 0.5
    # Empty pool, or the paper's rule asked for (quantile 1): 0.5.
    assert sm.strengthen_cut([]) == 0.5
    assert sm.strengthen_cut([0.1, 0.2], params=sm.SleepParams(strengthen_quantile=1.0)) == 0.5


def test_night_decision_overrides_the_absolute_rule() -> None:
    # TAG 0.4 is below 0.5 but the night chose to strengthen it: 10*1.5 = 15; told not to,
    # a TAG of 0.7 decays: 10*0.95 = 9.5.
    assert sm.replay_stability(stability=10, tag=0.4, emotion_e=0.0, strengthen=True) \
        == pytest.approx(15.0)
    assert sm.replay_stability(stability=10, tag=0.7, emotion_e=0.0, strengthen=False) \
        == pytest.approx(9.5)
    assert sm.should_strengthen(0.4, cut=0.36) and not sm.should_strengthen(0.36, cut=0.36)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(tags=st.lists(st.floats(0, 1), max_size=60))
def test_strengthen_cut_strengthens_every_tag_the_paper_would(tags: list[float]) -> None:
    # The night's cut never takes strengthening away from a TAG above 0.5, and at least the
    # top 60% of a pool are above it or tied with it.
    cut = sm.strengthen_cut(tags)
    assert cut <= 0.5
    if tags:
        assert sum(t >= cut for t in tags) >= 0.6 * len(tags) - 1
