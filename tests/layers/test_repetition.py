"""Repetition of content-free text earns nothing (issue 13): `repeat_updates` and the write path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import day

from zenbrain.layers.dynamics import repeat_updates, review_updates
from zenbrain.models import Kind, Layer, Memory


def _mem(**kw) -> Memory:
    base = dict(id="mem_x", user_id="u", layer=Layer.SEMANTIC, kind=Kind.FACT, text="t",
                content_hash="h", created_at=day(0), event_time=day(0), updated_at=day(0),
                decay_model="fsrs", stability=10.0, last_review_at=day(0), fast_at=day(0),
                root_id="mem_x")
    base.update(kw)
    return Memory(**base)


def test_a_repeat_without_information_counts_but_teaches_nothing():
    mem = _mem()
    out = repeat_updates(mem, day(10), information=0.0)
    assert out["stability"] == 10.0 and out["last_review_at"] == day(0)
    assert out["difficulty"] == pytest.approx(mem.difficulty)
    assert out["storage_strength"] == 0.0
    assert out["conf_alpha"] == 4.0  # the statement was made again: evidence, not stability
    assert out["metadata"]["zb_repeats"] == 1


def test_a_full_information_repeat_is_the_easy_review():
    mem = _mem()
    full = review_updates(mem, day(10), grade=4)
    out = repeat_updates(mem, day(10), information=1.0)
    for key in ("stability", "difficulty", "storage_strength"):
        assert out[key] == pytest.approx(full[key])
    assert out["last_review_at"] == full["last_review_at"] == day(10)
    assert abs((out["due_at"] - full["due_at"]).total_seconds()) < 1


def test_a_partial_repeat_moves_a_share_of_the_way():
    mem = _mem()
    full = review_updates(mem, day(10), grade=4)
    out = repeat_updates(mem, day(10), information=0.25)
    assert out["stability"] == pytest.approx(10.0 + 0.25 * (full["stability"] - 10.0))
    assert out["last_review_at"] == day(0) + timedelta(days=2.5)


def test_thirty_repeats_of_small_talk_stay_weak_while_a_restated_fact_strengthens(brain):
    for n in range(30):
        talk = brain.remember("I hate Mondays", user_id="rep", at=day(2 * n))
        fact = brain.remember("I live in Lisbon", user_id="rep", at=day(2 * n))
    first_talk = brain.history(talk.id)[0]
    talk, fact = brain.get(talk.id), brain.get(fact.id)
    assert talk.metadata["zb_repeats"] == 29 and fact.metadata["zb_repeats"] == 29
    assert talk.priority["information"] == 0.0 and fact.priority["information"] >= 0.7
    assert talk.stability <= 2 * first_talk.stability
    assert fact.layer is Layer.SEMANTIC and fact.stability > 2 * 365.0
