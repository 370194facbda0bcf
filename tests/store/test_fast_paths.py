"""The store's fast paths (issue 6) keep their contracts: batched inserts, no count() before a
query, and an upsert that names an id twice."""

from __future__ import annotations

import numpy as np

from zenbrain.store.chroma import ChromaIndex


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.normal(size=(n, 8)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_query_on_small_empty_and_missing_collections(tmp_path):
    index = ChromaIndex(tmp_path / "chroma", model_name="m", dim=8)
    try:
        vecs = _unit(np.random.default_rng(0), 3)
        assert index.query("nobody", vecs[0], 10) == []
        assert index.query_many("nobody", vecs, 10) == [[], [], []]
        index.upsert("u", ["a", "b", "c"], vecs, [{"layer": "episodic"}] * 3)
        hits = index.query("u", vecs[1], 10)  # more asked than stored: all three, best first
        assert [h.memory_id for h in hits][0] == "b" and len(hits) == 3
        assert [len(r) for r in index.query_many("u", vecs, 10)] == [3, 3, 3]
        assert len(index.query("u", vecs[0], 10, where={"layer": "semantic"})) == 0
    finally:
        index.close()


def test_upsert_naming_an_id_twice_keeps_the_last(tmp_path):
    index = ChromaIndex(tmp_path / "chroma", model_name="m", dim=8)
    try:
        vecs = _unit(np.random.default_rng(1), 3)
        index.upsert("u", ["a", "b", "a"], vecs, [{"v": 1}, {"v": 2}, {"v": 3}])
        assert index.ids("u") == {"a", "b"}
        hit = index.query("u", vecs[2], 1)[0]
        assert hit.memory_id == "a" and hit.similarity > 0.99
    finally:
        index.close()


def test_batched_insert_round_trips(brain):
    mems = brain.remember_many(["I moved to Lisbon in May.", "My sister Ana is a nurse."],
                               user_id="u1")
    for mem in mems:
        got = brain.get(mem.id)
        assert got == mem
        assert brain._store.vectors([mem.id])[mem.id].shape == (brain.embedder.dim,)
