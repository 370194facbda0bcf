"""The full sleep cycle on a real brain: run records, idempotence, replay, forgetting with its
protections, restore, the dry-run preview, procedures, core promotion, spectral health."""

from __future__ import annotations

from datetime import timedelta

from consolidation_support import LUNA, snapshot
from helpers import day

from zenbrain import Layer


def test_run_is_recorded_and_report_lists_ids(brain):
    eps = [brain.remember(t, user_id="u1", at=day(i)) for i, t in enumerate(LUNA)]
    report = brain.sleep("u1", now=day(3))
    assert report.status == "ok" and len(report.run_ids) == 1
    assert set(report.merged_ids) == {e.id for e in eps}
    assert set(report.replayed_ids) >= {e.id for e in eps}
    assert report.strengthened + report.decayed == len(report.replayed_ids)
    assert report.mean_stability_before is not None and report.mean_stability_after is not None
    assert report.fiedler_after is not None
    (run,) = brain._store.rows("SELECT * FROM sleep_runs")
    assert run["status"] == "ok" and run["step"] == 7 and run["finished_at"] and run["started_at"]
    assert brain._store.scalar("SELECT COUNT(*) FROM locks") == 0


def test_second_run_changes_nothing_even_a_minute_later(brain):
    for i, t in enumerate(LUNA):
        brain.remember(t, user_id="u1", at=day(i))
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    brain.sleep("u1", now=day(3))
    before = snapshot(brain)
    runs = brain._store.scalar("SELECT COUNT(*) FROM sleep_runs")
    assert brain.sleep("u1", now=day(3)).status == "noop"
    assert brain.sleep("u1", now=day(3) + timedelta(minutes=1)).status == "noop"
    assert snapshot(brain) == before
    assert brain._store.scalar("SELECT COUNT(*) FROM sleep_runs") == runs
    # New activity makes the next run real again.
    brain.remember("Luna chased a moth at night", user_id="u1", at=day(3) + timedelta(hours=1))
    assert brain.sleep("u1", now=day(3) + timedelta(hours=2)).status == "ok"


def test_protected_memories_survive_forgetting(forgetful_brain):
    dull = forgetful_brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    pinned = forgetful_brain.remember("The router password is on the fridge", user_id="u1", at=day(0))
    forgetful_brain._store.update(pinned.id, pinned=True)
    core = forgetful_brain.remember("My name is Dana", user_id="u1", at=day(0), layer="core")
    scary = forgetful_brain.remember("I was terrified when the car crashed on the highway", user_id="u1",
                           at=day(0))
    used = forgetful_brain.remember("The dentist is on Baker Street", user_id="u1", at=day(0))
    forgetful_brain._store.update(used.id, last_recalled_at=day(88), recall_count=1)
    locked = forgetful_brain.remember("The gym locker code is 4711", user_id="u1", at=day(0))
    forgetful_brain._store.update(locked.id, recall_count=10, conf_alpha=30.0, conf_beta=1.0)
    preview = {r["memory_id"]: r for r in forgetful_brain.forgetting_preview("u1", now=day(90))}
    assert set(preview) == {dull.id} and preview[dull.id]["reason"] == "decay"
    assert not forgetful_brain.get(dull.id).archived  # the preview changes nothing
    report = forgetful_brain.sleep("u1", now=day(90))
    assert report.archived_ids == [dull.id]
    assert report.archive_reasons == {dull.id: "decay"}
    for m in (pinned, core, scary, used, locked):
        assert not forgetful_brain.get(m.id).archived, m.text


def test_by_default_a_decayed_episode_without_a_gist_is_kept(brain):
    dull = brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    assert brain.forgetting_preview("u1", now=day(90)) == []
    report = brain.sleep("u1", now=day(90))
    assert dull.id not in report.archived_ids and not brain.get(dull.id).archived


def test_archived_is_kept_out_of_recall_and_restorable(forgetful_brain):
    dull = forgetful_brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    forgetful_brain.remember("My bike is blue", user_id="u1", at=day(89))
    forgetful_brain.sleep("u1", now=day(90))
    mem = forgetful_brain.get(dull.id)
    assert mem.archived and mem.text == "The printer uses A4 paper"  # archived, not deleted
    assert dull.id not in {r.id for r in forgetful_brain.recall("printer paper", user_id="u1", at=day(90))}
    assert dull.id in {r.id for r in forgetful_brain.recall("printer paper", user_id="u1", at=day(90),
                                                  include_archived=True)}
    forgetful_brain.restore(dull.id, at=day(90))
    assert dull.id in {r.id for r in forgetful_brain.recall("printer paper", user_id="u1", at=day(90))}


def test_episodes_the_gist_quotes_are_archived_as_redundant_and_served_by_the_gist(brain):
    eps = [brain.remember(t, user_id="u1", at=day(i)) for i, t in enumerate(LUNA)]
    first = brain.sleep("u1", now=day(3))
    (summary,) = first.semantic_created
    gist = brain.get(summary)
    assert all(e.text in gist.text for e in eps)  # the template quotes every member verbatim
    assert first.archived_ids == []  # their own copies still serve recall
    report = brain.sleep("u1", now=day(60))
    gone = {e.id for e in eps} & set(report.archived_ids)  # replay may keep an important one
    assert len(gone) >= 2 and {report.archive_reasons[i] for i in gone} == {"redundant"}
    assert not gist.archived and all(brain.get(e.id).text == e.text for e in eps)  # kept
    top = brain.recall("Luna vet vaccination", user_id="u1", at=day(60))
    assert top[0].id == summary and set(top[0].memory.sources) == {e.id for e in eps}
    assert any(r.startswith("via-archived:") for r in top[0].reasons)


def test_a_gist_that_had_to_cut_a_member_does_not_make_it_redundant(brain):
    long_turn = "Luna " + " ".join(["purred loudly on the windowsill"] * 20)  # > 600 characters
    eps = [brain.remember(t, user_id="u1", at=day(i)) for i, t in enumerate([*LUNA, long_turn])]
    summaries = [brain.get(s) for s in brain.sleep("u1", now=day(5)).semantic_created]
    assert summaries and all(len(s.text) <= 600 for s in summaries)
    report = brain.sleep("u1", now=day(60))
    assert {eps[1].id, eps[2].id} <= set(report.archived_ids)
    assert eps[3].id not in report.archived_ids  # no summary quotes it: it stays raw


def test_repeated_procedures_merge_into_one(brain):
    # Reworded steps for one trigger (a near-identical text would be a new version instead).
    a = brain.remember("Unplug it, wait ten seconds, then plug it back in", user_id="u1",
                       at=day(0), metadata={"kind": "procedure", "trigger": "reset the router"})
    b = brain.remember("Hold the small button on the back until the lights blink", user_id="u1",
                       at=day(1), metadata={"kind": "procedure", "trigger": "Reset the router"})
    assert a.layer is Layer.PROCEDURAL and b.layer is Layer.PROCEDURAL
    report = brain.sleep("u1", now=day(2))
    (proc_id,) = report.procedural_created
    proc = brain.get(proc_id)
    assert proc.layer is Layer.PROCEDURAL and set(proc.sources) == {a.id, b.id}
    assert brain.get(a.id).archive_reason == "merged" and brain.get(a.id).consolidated_into == proc_id


def test_confirmed_stable_fact_is_promoted_to_core(brain):
    fact = brain.remember("My name is Dana", user_id="u1", at=day(0))
    assert fact.layer is Layer.SEMANTIC and fact.metadata.get("zb_core_candidate")
    for i in range(6):
        brain.feedback(fact.id, "confirmed", at=day(1) + timedelta(hours=i))
    report = brain.sleep("u1", now=day(2))
    assert report.promoted_to_core == [fact.id]
    promoted = brain.get(fact.id)
    assert promoted.layer is Layer.CORE and promoted.pinned


def test_two_disconnected_pairs_raise_the_fragmentation_alert(brain):
    brain.remember("Alice and Bob went hiking in the Alps", user_id="u1", at=day(0))
    brain.remember("Carol and Dave painted the kitchen", user_id="u1", at=day(0))
    report = brain.sleep("u1", now=day(1))
    assert report.fiedler_after == 0.0 and report.fragmentation_alert
