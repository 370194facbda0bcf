"""Known values of the neuromodulator engine (SPEC §4.2.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import neuromodulators as nm
from zenbrain.errors import InvalidInputError

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def test_novelty_event_spec_example() -> None:
    state = nm.apply_event(nm.NeuroState(), event="novelty", magnitude=1.0, at=T0)
    # SPEC §4.2.1 Test: tonic DA = 0.95*0.5 + 0.05*clamp(1.5) = 0.525;
    # tonic 5HT = 0.475 + 0.05*0.2 = 0.485.
    assert state.tonic.da == pytest.approx(0.525)
    assert state.tonic.ht == pytest.approx(0.485)
    assert state.tonic.ne == pytest.approx(0.5)
    # SPEC §4.2.1 Test: effective DA at t0 = 1.0 (clamped), 5HT = 0.485 - 0.3 = 0.185.
    now = nm.effective_levels(state, at=T0)
    assert now.da == pytest.approx(1.0)
    assert now.ht == pytest.approx(0.185)
    # SPEC §4.2.1 Test: 10 min later (two half-lives) DA = 0.525 + 0.25 = 0.775.
    later = nm.effective_levels(state, at=T0 + timedelta(minutes=10))
    assert later.da == pytest.approx(0.775)
    assert later.ht == pytest.approx(0.485 - 0.3 * 0.25)


def test_seconds_and_naive_datetimes_agree() -> None:
    t = T0.timestamp()
    by_seconds = nm.apply_event(nm.NeuroState(), event="prediction_error", magnitude=0.4, at=t)
    naive = nm.apply_event(
        nm.NeuroState(), event="prediction_error", magnitude=0.4, at=T0.replace(tzinfo=None)
    )
    assert by_seconds == naive
    # NE: effective 0.5 + 0.4 * 2^-1 after 5 minutes (one half-life), plus the tonic change.
    tonic = 0.95 * 0.5 + 0.05 * 0.9
    assert nm.effective_levels(by_seconds, at=t + 300).ne == pytest.approx(tonic + 0.2)


def test_old_bursts_are_dropped_and_future_ones_ignored() -> None:
    state = nm.apply_event(nm.NeuroState(), event="exploration", magnitude=1.0, at=T0)
    state = nm.apply_event(state, event="routine", magnitude=0.5, at=T0 + timedelta(minutes=51))
    assert len(state.phasic) == 1
    # An as-of time before a burst does not see it.
    before = nm.effective_levels(state, at=T0)
    assert before.da == pytest.approx(state.tonic.da)


def test_encoding_gain() -> None:
    # SPEC §4.2.1: g = 1 + 0.5*(ACh - 0.5) + 0.5*(NE - 0.5) in [0.5, 1.5].
    assert nm.encoding_gain(nm.NeuroLevels()) == pytest.approx(1.0)
    assert nm.encoding_gain(nm.NeuroLevels(ach=1.0, ne=1.0)) == pytest.approx(1.5)
    assert nm.encoding_gain(nm.NeuroLevels(ach=0.0, ne=0.0)) == pytest.approx(0.5)


def test_event_table() -> None:
    # SPEC §4.2.1 table [P]: the DA<->5HT opposition coefficient is -0.3.
    assert nm.EVENT_DELTAS["novelty"] == {"da": 1.0, "ht": -0.3}
    assert nm.EVENT_DELTAS["stable_focus"] == {"ht": 1.0, "da": -0.3}
    assert nm.EVENT_DELTAS["context_switch"] == {"ht": -0.3, "ach": 0.3}


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        nm.apply_event(nm.NeuroState(), event="panic", magnitude=1.0, at=T0)
    with pytest.raises(InvalidInputError):
        nm.apply_event(nm.NeuroState(), event="novelty", magnitude=-1.0, at=T0)
    with pytest.raises(InvalidInputError):
        nm.NeuroLevels(da=1.2)


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(
    events=st.lists(
        st.tuples(st.sampled_from(sorted(nm.EVENT_DELTAS)), st.floats(0, 1), st.floats(0, 600)),
        max_size=12,
    ),
    probe=st.floats(0, 7200),
)
def test_levels_stay_in_unit_interval(events: list[tuple[str, float, float]], probe: float) -> None:
    state = nm.NeuroState()
    t = 0.0
    for event, m, gap in events:
        t += gap
        state = nm.apply_event(state, event=event, magnitude=m, at=t)
    levels = nm.effective_levels(state, at=t + probe)
    for ch in nm.CHANNELS:
        assert 0.0 <= getattr(levels, ch) <= 1.0
        assert 0.0 <= getattr(state.tonic, ch) <= 1.0
    assert 0.5 <= nm.encoding_gain(levels) <= 1.5
