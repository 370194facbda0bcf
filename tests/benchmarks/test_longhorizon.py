"""The long-horizon benchmark's generator and scorer (no model, a few seconds): deterministic
data, gold turns that exist and belong to the asker, stale/current pairs for updates, the scorer
on hand-made rankings, and the harness end to end on one thinned user with the hash embedder."""

from __future__ import annotations

import json
from datetime import timedelta

from benchmarks import longhorizon as lh


def _flat(data: lh.Dataset) -> list:
    return [(u.uid, [(t.id, t.speaker, t.text, t.at, t.kind, t.slot) for t in u.turns],
             [(q.id, q.text, q.at, q.gold, q.stale) for q in u.questions]) for u in data.users]


def test_generator_is_deterministic_and_quick_is_a_prefix():
    a, b = lh.generate(7, 3), lh.generate(7, 3)
    assert _flat(a) == _flat(b)
    assert _flat(lh.generate(7, 2)) == _flat(a)[:2]
    assert _flat(lh.generate(8, 3)) != _flat(a)


def test_gold_turns_exist_belong_to_the_asker_and_come_weeks_before():
    data = lh.generate(lh.SEED, 3)
    turns = data.turns()
    assert len({t.id for u in data.users for t in u.turns}) == len(turns)  # ids unique
    for q in data.questions:
        gold = turns[q.gold]
        assert gold.user == q.user and gold.kind in ("fact", "update") and gold.slot == q.slot
        assert gold.speaker != lh.ASSISTANT and gold.at == q.fact_at
        assert timedelta(days=13) < q.at - gold.at <= timedelta(days=57)
        assert q.at >= data.branch_at  # every question after the sleep point
        assert q.text not in gold.text
    for u in data.users:  # each slot stated once (plus its update), one question per slot
        slots = [t.slot for t in u.turns if t.kind == "fact"]
        assert len(slots) == len(set(slots)) == len(u.questions)
    desc = lh.describe(data)
    assert desc["smalltalk_repeats"][0] >= 20 and desc["kinds"]["smalltalk"] > desc["kinds"]["fact"]


def test_updates_make_stale_current_pairs():
    data = lh.generate(lh.SEED, 3)
    turns = data.turns()
    updated = [q for q in data.questions if q.stale is not None]
    assert len(updated) >= 3 * 3  # about 30% of 12-14 slots per user
    for q in updated:
        cur, old = turns[q.gold], turns[q.stale]
        assert (cur.kind, old.kind) == ("update", "fact") and cur.slot == old.slot == q.slot
        assert cur.user == old.user == q.user and old.at + timedelta(days=20) < cur.at
        assert cur.text != old.text


def test_scorer_on_a_hand_made_ranking():
    assert lh.rank_of("a", [{"x"}, {"y", "a"}, {"a"}]) == 2
    assert lh.rank_of("a", [{"x"}] * 5 + [{"a"}], k=5) is None
    assert lh.latest_beats_stale("new", "old", [{"x"}, {"new"}, {"old"}])
    assert not lh.latest_beats_stale("new", "old", [{"old"}, {"new"}])
    assert lh.latest_beats_stale("new", "old", [{"old", "new"}])  # a version holding both
    assert not lh.latest_beats_stale("new", "old", [{"x"}] * 10 + [{"new"}])  # neither in top 10
    data = lh.generate(lh.SEED, 1)
    qs = data.questions
    upd = next(q for q in qs if q.stale)
    plain = next(q for q in qs if not q.stale)
    talk = next(t.id for t in data.users[0].turns if t.kind == "smalltalk")
    ranked = {upd.id: [{talk}, {upd.stale}, {"x"}, {"y"}, {"z"}, {upd.gold}],  # @10 only, stale wins
              plain.id: [{plain.gold}, {talk}, {"lena#0001"}]}  # a hit at 1 and a foreign turn
    s = lh.score(data, ranked)
    assert s["n"] == 2 and s["n_updated"] == 1
    assert s["recall@5"] == 0.5 and s["recall@10"] == 1.0
    assert s["mrr"] == (1 / 6 + 1) / 2
    assert s["latest_beats_stale"] == 0.0 and s["stale_above_current@5"] == 1.0
    assert s["smalltalk_top5"] == (1 / 5 + 1 / 3) / 2  # "lena#0001" is no turn of this data
    assert s["tenancy_violations"] == 0  # unknown ids are not counted as another user's


def test_harness_end_to_end_on_one_thin_user(tmp_path):
    from zenbrain.embeddings import HashEmbedder

    doc = tmp_path / "BENCHMARKS.md"
    summary = lh.run(users=1, density=0.15, embedder=HashEmbedder(), use_mem0=False, doc=doc,
                     command="test")
    systems = summary["systems"]
    assert set(systems) == {"flat", "bm25", "hybrid", "zenbrain", "zenbrain+sleep"}
    for s in systems.values():
        assert s["n"] == len(lh.generate(lh.SEED, 1, density=0.15).questions)
        assert 0 <= s["recall@5"] <= s["recall@10"] <= 1 and s["tenancy_violations"] == 0
    text = doc.read_text()
    assert "<!-- BEGIN longhorizon -->" in text and "| ZenBrain + sleep |" in text
    saved = json.loads((tmp_path / "results" / "longhorizon.json").read_text())
    assert len(saved["questions"]) == systems["flat"]["n"]
