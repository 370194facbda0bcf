"""The many-users benchmark end to end on a tiny brain (10 users × 10 memories, hash vectors):
the build, the probe in a fresh process, the section and the results file."""

from __future__ import annotations

import json

import pytest

from benchmarks import users_servers
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


def test_the_embedded_tier_stays_embedded_where_server_urls_are_set(tmp_path, monkeypatch):
    # a shell (or the --postgres test pass) naming servers must not move the embedded tier,
    # whose files the copies, the disk figures and the PostgreSQL load read
    import sqlite3

    from benchmarks import users

    monkeypatch.setenv("ZENBRAIN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nowhere")
    monkeypatch.setenv("ZENBRAIN_VECTORS_URL", "http://127.0.0.1:1")
    home = tmp_path / "b"
    users.build(home, 2, per_user=5, pool_size=users.QUICK_POOL, emb=HashEmbedder(),
                cache=tmp_path)
    with sqlite3.connect(home / "brain.db") as db:
        assert db.execute("SELECT COUNT(*) FROM memories").fetchone()[0] == 10
    probed = users._probe_subprocess(home, 2, "hash")
    assert probed["queries"] == 2 and probed["recall_cold_s"]["n"] == 2


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


_NO_SERVERS = users_servers.available()


@pytest.mark.embedded_only("loads an embedded brain into a server of its own")
@pytest.mark.skipif(_NO_SERVERS is not None, reason=_NO_SERVERS or "")
def test_a_brain_loaded_into_postgres_answers_as_the_embedded_one(tmp_path):
    from benchmarks import users
    from benchmarks.servers import postgres_server
    from zenbrain import Brain

    home, emb = tmp_path / "b", HashEmbedder()
    users.build(home, 3, per_user=10, pool_size=users.QUICK_POOL, emb=emb, cache=tmp_path)
    with postgres_server() as pg:
        loaded = users_servers.copy_to_postgres(home, pg.url)
        assert loaded["load_rows"] > 30  # memories, vectors, graph, events at least
        with Brain(home, embedder=emb) as embedded, \
                Brain(tmp_path / "pg", embedder=emb, database=pg.url) as server:
            assert server.users() == embedded.users() == [users.user_id(i) for i in range(3)]
            for uid in server.users():
                # Every record of the user (memories, vectors, graph, links) as exported; the
                # header's export time aside.
                want, got = list(embedded.export(uid))[1:], list(server.export(uid))[1:]
                assert got == want and len(got) > 10
                hits = server.recall("coffee with my sister", user_id=uid, read_only=True)
                assert hits and all(h.memory.user_id == uid for h in hits)
            # the server's brain takes new memories after the copy (identity columns continue)
            server.remember("A new memory after the copy.", user_id=users.user_id(0))
            assert server.stats(users.user_id(0))["active"] == \
                embedded.stats(users.user_id(0))["active"] + 1


@pytest.mark.embedded_only("runs servers of its own")
@pytest.mark.skipif(_NO_SERVERS is not None, reason=_NO_SERVERS or "")
def test_the_servers_tier_end_to_end_on_ten_users(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "users", "--quick", "--tier", "10", "--per-user", "5", "--servers",
               "--doc", str(doc)], embedder=HashEmbedder())
    assert rc == 0
    (r,) = json.loads((tmp_path / "results" / "users.json").read_text())
    s = r["servers"]
    assert s["memories"] == r["memories"] == 50 and s["collections"] == 0
    assert s["build"]["users"] == 10 and s["build"]["memories"] == 50
    assert s["probe"]["queries"] == 10 and s["probe"]["recall_cold_s"]["n"] == 10
    assert s["probe"]["floor_routes"] == {"index": 0, "exact": 10}
    assert s["postgres_mb"] > 0 and s["load_rows"] > 50
    text = doc.read_text()
    assert "### On the servers (PostgreSQL + Chroma server)" in text and "--servers" in text
