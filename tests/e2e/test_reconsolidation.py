"""Reconsolidation on the write path (SPEC §4.2.2, §5.6; §7 examples 7, 9, 10) on a real brain."""

from __future__ import annotations

import json
from datetime import timedelta

from helpers import day

from zenbrain import Layer


def _links(brain, src, type_):
    return [r for r in brain._store.links(src) if r["type"] == type_ and r["src"] == src]


def test_recall_within_the_labile_window_lets_an_edit_make_version_2(brain):
    """SPEC §7 example 9, first half: lock 0.312, labile θ 0.144 ≤ PE 0.2."""
    old = brain.remember("Bob prefers coffee in the morning", user_id="u1", at=day(0))
    brain.recall("what does Bob prefer", user_id="u1", at=day(0) + timedelta(minutes=1))
    new = brain.remember("Bob prefers strong coffee in the morning", user_id="u1",
                         at=day(0) + timedelta(minutes=2))
    assert new.version == 2 and new.supersedes == old.id and new.root_id == old.id
    kept = brain.get(old.id)
    assert kept.is_current is False and kept.superseded_by == new.id
    assert kept.text == "Bob prefers coffee in the morning"
    assert [m.id for m in brain.history(new.id)] == [old.id, new.id]
    log = brain._store.rows("SELECT * FROM reconsolidation_log WHERE memory_id = ?", (old.id,))
    assert log[0]["mode"] == "selective_edit" and abs(log[0]["pe"] - 0.2) < 1e-9
    assert abs(log[0]["threshold"] - 0.144) < 0.002
    assert json.loads(log[0]["before_json"])["text"] == old.text
    # the superseded version no longer competes; the new one is found first
    assert brain.recall("Bob coffee", user_id="u1", at=day(1))[0].memory.id == new.id


def test_without_the_recall_the_gate_blocks_and_a_refines_link_appears(brain):
    """SPEC §7 example 9, second half: lock 0.225, θ 0.5675 > 0.2."""
    old = brain.remember("Bob prefers coffee in the morning", user_id="u1", at=day(0))
    new = brain.remember("Bob prefers strong coffee in the morning", user_id="u1",
                         at=day(0) + timedelta(minutes=2))
    assert new.version == 1 and new.id != old.id
    assert brain.get(old.id).is_current and brain.get(old.id).version == 1
    assert _links(brain, new.id, "refines")[0]["dst"] == old.id


def test_core_memory_is_never_changed_by_prediction_error(brain):
    """SPEC §7 example 10."""
    core = brain.remember("My name is Dana", user_id="u1", layer="core",
                          metadata={"block": "profile"}, at=day(0))
    out = brain.observe([{"role": "user", "content": "my name is Dan"}], user_id="u1",
                        session_id="s1", at=day(1))
    kept = brain.get(core.id)
    assert kept.version == 1 and kept.is_current and not kept.archived
    episode = next(m for m in out if m.layer is Layer.EPISODIC)
    assert _links(brain, episode.id, "contradicts")[0]["dst"] == core.id
    assert episode.metadata["zb_conflict_with"] == core.id
    named = [e for e in brain._store.rows("SELECT * FROM kg_edges WHERE relation = 'named'")]
    assert all(e["valid_to"] is None for e in named)  # the core slot stays open for the debate


def test_a_repeated_fact_confirms_instead_of_duplicating(brain):
    old = brain.remember("My favorite color is blue", user_id="u1", at=day(0))
    again = brain.remember("my favorite color is BLUE!", user_id="u1", session_id="x", at=day(3))
    assert again.id == old.id and again.conf_alpha == old.conf_alpha + 1
    assert brain._store.scalar("SELECT mode FROM reconsolidation_log") == "confirmed"


def test_a_contradicted_fact_gets_a_link_a_beta_update_and_a_closed_slot(brain):
    old = brain.remember("I work at Acme Robotics", user_id="u1", at=day(0))
    new = brain.remember("I work at Globex now", user_id="u1", at=day(20))
    assert _links(brain, new.id, "contradicts")[0]["dst"] == old.id
    assert brain.get(old.id).conf_beta == old.conf_beta + 1
    top = brain.recall("where do I work", user_id="u1", at=day(21), explain=True)
    assert top[0].memory.id == new.id


def test_recall_strengthens_and_time_travel_changes_nothing(brain):
    """SPEC §7 example 7."""
    mem = brain.remember("The capital of Australia is Canberra", user_id="u1", layer="semantic",
                         at=day(0))
    (first,) = brain.recall("capital of Australia", user_id="u1", k=1, at=day(10))
    assert first.memory.id == mem.id
    after = brain.get(mem.id)
    assert after.stability > mem.stability and after.labile_until == day(10) + timedelta(hours=6)
    brain.recall("capital of Australia", user_id="u1", k=1, at=day(5))
    assert brain.get(mem.id) == after
