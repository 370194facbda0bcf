"""Sleep, foundation level: abstraction with provenance, idempotence, incremental versions,
and forgetting that archives (never deletes) while protecting emotional memories (SPEC §7)."""

from __future__ import annotations

from helpers import day

from zenbrain import Layer

LUNA = ["My cat Luna loves tuna", "Luna knocked over my plant", "Took Luna to the vet for her vaccination"]


def _luna(brain):
    return [brain.remember(t, user_id="u1", at=day(i)) for i, t in enumerate(LUNA)]


def test_three_episodes_become_one_semantic_summary_with_sources(brain):
    episodes = _luna(brain)
    report = brain.sleep("u1", now=day(3))
    assert report.status == "ok" and len(report.semantic_created) == 1
    summary = brain.get(report.semantic_created[0])
    assert summary.layer is Layer.SEMANTIC and "Luna" in summary.text
    assert summary.text == ("Luna (pet): My cat Luna loves tuna; Luna knocked over my plant; "
                            "Took Luna to the vet for her vaccination")
    assert set(summary.sources) == {e.id for e in episodes}
    for e in episodes:
        assert brain.get(e.id).consolidated_into == summary.id
    links = brain._store.rows("SELECT src, dst FROM memory_links WHERE type = 'derived_from'")
    assert {(r["src"], r["dst"]) for r in links} == {(summary.id, e.id) for e in episodes}


def test_second_sleep_is_a_noop(brain):
    _luna(brain)
    brain.sleep("u1", now=day(3))
    before = brain.stats("u1")
    again = brain.sleep("u1", now=day(3))
    assert again.status == "noop"
    after = brain.stats("u1")
    assert (before["active"], before["archived"], before["mean_stability_days"]) == (
        after["active"], after["archived"], after["mean_stability_days"])


def test_fourth_episode_makes_version_two(brain):
    episodes = _luna(brain)
    first = brain.sleep("u1", now=day(3)).semantic_created[0]
    fourth = brain.remember("Luna slept on my keyboard all afternoon", user_id="u1", at=day(4))
    report = brain.sleep("u1", now=day(5))
    (v2_id,) = report.semantic_updated
    v2 = brain.get(v2_id)
    assert v2.version == 2 and v2.supersedes == first
    assert set(v2.sources) == {e.id for e in episodes} | {fourth.id}
    assert not brain.get(first).is_current
    current = [m for m in brain._store.select_memories(
        "user_id = 'u1' AND layer = 'semantic' AND is_current = 1")]
    assert [m.id for m in current] == [v2_id]


def test_decayed_neutral_episode_is_archived_emotional_one_kept(forgetful_brain):
    scary = forgetful_brain.remember("I was terrified when the car crashed on the highway", user_id="u1", at=day(0))
    dull = forgetful_brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    report = forgetful_brain.sleep("u1", now=day(90))
    assert dull.id in report.archived_ids
    assert forgetful_brain.get(dull.id).archive_reason == "decay"
    kept = forgetful_brain.get(scary.id)
    assert not kept.archived and kept.priority["composite"] >= 0.5
    forgetful_brain.restore(dull.id)
    assert not forgetful_brain.get(dull.id).archived
