"""The many-users benchmark end to end on a tiny brain (10 users × 10 memories, hash vectors):
the build, the probe in a fresh process, the section and the results file."""

from __future__ import annotations

import json

import pytest

from benchmarks.__main__ import _parser, main
from benchmarks.speed import _Replay
from zenbrain.embeddings import HashEmbedder

pytestmark = pytest.mark.slow


def test_replay_returns_pool_vectors_and_encodes_the_rest():
    inner = HashEmbedder()
    pool = {"a cached text": inner.embed(["something else entirely"])[0]}
    replay = _Replay(inner, pool)
    got = replay.embed(["a cached text", "a new text"])
    assert replay.name == inner.name and replay.dim == inner.dim
    assert (got[0] == pool["a cached text"]).all()
    assert (got[1] == inner.embed(["a new text"])[0]).all()
    assert (replay.replayed, replay.encoded) == (1, 1)


def test_registered_with_the_benchmark_runner():
    assert _parser().parse_args(["run", "users", "--quick"]).what == "users"


def test_harness_end_to_end_on_ten_users(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "users", "--quick", "--tier", "10", "--per-user", "10", "--doc", str(doc)],
              embedder=HashEmbedder())
    assert rc == 0
    (r,) = json.loads((tmp_path / "results" / "users.json").read_text())
    # every user is under `exact_scan_max`: SQLite holds their vectors, Chroma nothing of them
    assert r["users"] == 10 and r["memories"] == 100 and r["collections"] == 0
    assert r["queries"] == 10 and r["recall_cold_s"]["n"] == 10 and r["recall_warm_s"]["n"] == 10
    assert r["open"]["total_s"] > 0 and r["rss_queried_mb"] > 0 and r["chroma_files"] == 0
    assert r["floor_routes"] == {"index": 0, "exact": 10} and r["bare_warm_s"]["n"] == 10
    assert len(r["build_curve"]) == 10
    text = doc.read_text()
    assert "<!-- BEGIN users -->" in text
    assert "## Many users: one brain, thousands of tenants" in text and "| 10 | 100 |" in text


@pytest.mark.embedded_only("the copies are made in the brain's SQLite file")
def test_a_tier_above_the_sample_is_built_users_plus_sql_copies(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "users", "--quick", "--tier", "10,25", "--per-user", "4", "--sample", "10",
               "--doc", str(doc)], embedder=HashEmbedder())
    assert rc == 0
    small, r = json.loads((tmp_path / "results" / "users.json").read_text())
    assert (r["built_users"], r["cloned_users"], r["memories"]) == (10, 15, 100)
    assert r["build_reused"] and r["build_s"] == small["build_s"]  # the 10-user tier's brain
    assert r["queries"] == 25 and r["recall_cold_s"]["n"] == 25
    assert "is 10 users built plus copies" in doc.read_text()


@pytest.mark.embedded_only("the copies are made in the brain's SQLite file")
def test_copied_users_are_distinct_tenants_answering_as_their_originals(tmp_path):
    from benchmarks import users
    from zenbrain import Brain

    home, emb = tmp_path / "b", HashEmbedder()
    users.build(home, 3, per_user=10, pool_size=users.QUICK_POOL, emb=emb, cache=tmp_path)
    users.clone_users(home, 3, 8)  # copies 1 (users 3-5) and 2 (users 6-7, a partial copy)
    with Brain(home, embedder=emb) as brain:
        assert brain.users() == [users.user_id(i) for i in range(8)]
        orig, copy = users.user_id(1), users.user_id(7)
        for q in ("coffee", "my sister"):
            a = brain.recall(q, user_id=orig, k=5, read_only=True)
            b = brain.recall(q, user_id=copy, k=5, read_only=True)
            assert a and [h.memory.text for h in a] == [h.memory.text for h in b]
            assert {h.memory.id for h in a}.isdisjoint(h.memory.id for h in b)
            assert all(h.memory.user_id == copy for h in b)
        assert brain.stats(copy)["active"] == brain.stats(orig)["active"]
        assert brain.delete_user(copy) == 10 and brain.stats(orig)["active"] > 0
