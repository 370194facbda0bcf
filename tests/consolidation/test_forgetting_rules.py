"""`forgetting.decide`, pure: which memory a sleep archives, and why (SPEC §5.5 + our choices)."""

from __future__ import annotations

import math
from datetime import timedelta

from helpers import day

from zenbrain.consolidation.forgetting import ForgetParams, decide
from zenbrain.models import Kind, Layer, Memory


def _episode(**kw) -> Memory:
    base = dict(id="mem_1", root_id="mem_1", user_id="u1", layer=Layer.EPISODIC, kind=Kind.EVENT,
                text="Luna loves tuna",
                content_hash="h", created_at=day(0), event_time=day(0), updated_at=day(0),
                last_review_at=day(0), fast_at=day(0), stability=14.0, novelty=0.9)
    return Memory(**{**base, **kw})


def test_a_quoted_episode_is_redundant_once_its_own_copy_stops_serving_even_if_important():
    # M(t) = 0.8 · s0 · e^(−t/S) with s0 = 0.6, S = 14 d: 0.447 at day 1, 0.291 at day 7.
    mem = _episode(consolidated_into="mem_gist", priority={"composite": 0.9})
    assert decide(mem, day(1), quoted=True) is None  # its verbatim copy still serves (≥ 0.3)
    verdict = decide(mem, day(7), quoted=True)
    assert verdict is not None and verdict.reason == "redundant"
    assert abs(verdict.availability - 0.48 * math.exp(-0.5)) < 1e-4
    assert verdict.availability > verdict.threshold  # not decayed: archived for redundancy alone
    assert decide(mem, day(1), quoted=True, params=ForgetParams(quoted_below=1.0)) is not None


def test_an_episode_stays_when_its_gist_does_not_quote_it_or_the_rule_is_off():
    mem = _episode(consolidated_into="mem_gist")
    assert decide(mem, day(7), quoted=False) is None
    assert decide(mem, day(7), quoted=True, params=ForgetParams(archive_quoted=False)) is None


def test_pinned_or_recently_recalled_quoted_episodes_stay():
    assert decide(_episode(consolidated_into="g", pinned=True), day(7), quoted=True) is None
    recalled = _episode(consolidated_into="g", last_recalled_at=day(7) - timedelta(hours=1),
                        recall_count=1)
    assert decide(recalled, day(7), quoted=True) is None


def test_a_decayed_unconsolidated_episode_is_archived_only_when_asked():
    mem = _episode(stability=1.0)  # M(90 d) ≈ 0: far below θ
    assert decide(mem, day(90)) is None
    verdict = decide(mem, day(90), params=ForgetParams(decay_unconsolidated=True))
    assert verdict is not None and verdict.reason == "decay"


def test_a_decayed_consolidated_episode_is_archived_as_consolidated_without_a_quote():
    mem = _episode(stability=1.0, consolidated_into="g")
    verdict = decide(mem, day(90), quoted=False, gist_cosine=0.5)
    assert verdict is not None and verdict.reason == "consolidated"
