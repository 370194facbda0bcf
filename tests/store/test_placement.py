"""Where a user's vectors live (zenbrain/store/placement.py, issue 14): a user with at most
`exact_scan_max` memories lives in SQLite alone, writes and all; crossing the threshold builds
their Chroma collection in full from SQLite; repair, deletion and reconsolidation follow the rule.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

import numpy as np
from helpers import NEWS_QUERIES, day, news_answers, weekly_news

from zenbrain.config import load_config
from zenbrain.store import placement

TEXTS = weekly_news(8)


def _ids(brain, user: str) -> set[str]:
    return {r["id"] for r in brain._store.rows("SELECT id FROM memories WHERE user_id = ?",
                                                (user,))}


def test_a_small_user_writes_no_collection_and_recalls_from_sqlite(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home)
    mems = brain.remember_many(TEXTS[:12], user_id="u", at=day(1))
    brain.forget(mems[0].id, at=day(2))
    assert not brain._index.opened and not (home / "chroma").exists()
    assert brain.stats("u")["index_pending"] == 0  # settled: the vectors are in SQLite
    assert len(brain._store.user_vectors("u", brain.embedder.dim)[0]) == 12
    hit = brain.recall("who adopted a kitten?", user_id="u", at=day(3), read_only=True)[0]
    assert hit.memory.text == "Last week my sister adopted a grey kitten."
    assert not brain._index.opened
    brain._index.get()  # opening the index (and its repair) creates nothing for them either
    assert not brain._index.has_collection("u") and placement.indexed_users(brain._store) == []


def test_crossing_the_threshold_builds_the_collection_in_full(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=5)
    brain = open_brain(home, config=config)
    first = brain.remember_many(TEXTS[:4], user_id="u", at=day(1))
    brain.forget(first[0].id, at=day(1) + timedelta(hours=1))  # archived: still in the index
    # A collection left by an older layout (every user indexed) holding a vector SQLite no
    # longer has: the build must not keep it.
    index = brain._index.get()
    index.upsert("u", ["mem_stale"], np.ones((1, brain.embedder.dim), np.float32) / 20,
                 [{"archived": False}])
    brain.remember_many(TEXTS[4:5], user_id="u", at=day(2))  # 5 memories: not above 5 yet
    assert not placement.in_index(brain._store, "u")
    assert brain._index.ids("u") == {"mem_stale"}  # untouched, and never read
    brain.remember_many(TEXTS[5:20], user_id="u", at=day(3))
    assert placement.in_index(brain._store, "u")
    assert brain._index.ids("u") == _ids(brain, "u")  # every vector, the stale one gone
    got = brain._index._collection("u", create=False).get(ids=[first[0].id],
                                                           include=["metadatas"])
    assert got["metadatas"][0]["archived"] is True
    assert brain.stats("u")["index_pending"] == 0
    by_index = news_answers(brain, "u")  # 20 memories > 5: recall asks the collection
    brain.close()
    scanned = open_brain(home)  # default threshold: the same brain by exact scan
    assert news_answers(scanned, "u") == by_index
    assert not scanned._index.opened


def test_the_exact_neighbour_query_returns_what_the_collection_does(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home, config=load_config(home, exact_scan_max=0))
    brain.remember_many(TEXTS, user_id="u", at=day(1))
    queries = brain.embedder.embed(NEWS_QUERIES + TEXTS[:3])
    exact = placement.exact_neighbours(brain._store, "u", queries, 8)
    indexed = brain._index.query_many("u", queries, 8)
    assert [[h.memory_id for h in row] for row in exact] == \
        [[h.memory_id for h in row] for row in indexed]
    for e_row, i_row in zip(exact, indexed, strict=True):
        assert np.allclose([h.similarity for h in e_row], [h.similarity for h in i_row],
                           atol=1e-5)
    assert exact[len(NEWS_QUERIES)][0].similarity > 0.999  # a stored text finds itself first


# Two brains per test, each with its own user: on --postgres runs a test's brains share one
# database, and neither may see the other's memories.
def _edit_history(brain, user: str) -> tuple[tuple[int, bool, str], list[str]]:
    old = brain.remember("Bob prefers coffee in the morning", user_id=user, at=day(0))
    brain.remember("My cat Luna loves tuna", user_id=user, at=day(0))
    brain.recall("what does Bob prefer", user_id=user, at=day(0) + timedelta(minutes=1))
    new = brain.remember("Bob prefers strong coffee in the morning", user_id=user,
                         at=day(0) + timedelta(minutes=2))
    again = brain.remember("my cat luna loves tuna!", user_id=user,
                           at=day(0) + timedelta(minutes=3))
    modes = [r["mode"] for r in brain._store.rows(
        "SELECT mode FROM reconsolidation_log WHERE user_id = ? ORDER BY id", (user,))]
    return (new.version, new.supersedes == old.id, again.text), modes


def test_reconsolidation_matches_a_small_users_neighbours_as_the_index_did(open_brain, tmp_path):
    scanned = open_brain(tmp_path / "a")
    indexed = open_brain(tmp_path / "b", config=load_config(tmp_path / "b", exact_scan_max=0))
    got = _edit_history(scanned, "ua")
    assert not placement.in_index(scanned._store, "ua") and not scanned._index.opened
    assert got == _edit_history(indexed, "ub")
    assert placement.in_index(indexed._store, "ub")
    (version, supersedes, _), modes = got
    assert version == 2 and supersedes  # the near-duplicate was found, exactly
    assert len(modes) >= 2


def test_novelty_of_a_small_user_is_what_the_index_gave(open_brain, tmp_path):
    scanned = open_brain(tmp_path / "a")
    indexed = open_brain(tmp_path / "b", config=load_config(tmp_path / "b", exact_scan_max=0))
    novelty = []
    for brain, user in ((scanned, "ua"), (indexed, "ub")):
        got = []
        for i, start in enumerate(range(0, 24, 8)):  # later batches meet only stored neighbours
            got += [m.novelty for m in brain.remember_many(
                [f"{t} (note {i})" for t in TEXTS[start:start + 8]], user_id=user, at=day(i))]
        novelty.append(got)
        # (checked at once: a brain sharing the database with another threshold, as the second
        # one does on --postgres runs, moves every user above its own threshold to the index)
        assert placement.in_index(brain._store, user) is (brain is indexed)
    assert np.allclose(novelty[0], novelty[1], atol=1e-5)
    assert max(novelty[0][8:]) < 0.5  # every later text has a close stored neighbour


def test_a_lost_index_is_rebuilt_for_users_kept_there_only(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=5)
    brain = open_brain(home, config=config)
    big = brain.remember_many(TEXTS[:8], user_id="big", at=day(1))
    brain.remember_many(TEXTS[8:11], user_id="small", at=day(1))
    assert (home / "chroma").exists()
    brain.close()
    shutil.rmtree(home / "chroma")
    again = open_brain(home, config=config)
    assert again.repaired_on_open == len(big)
    assert again._index.ids("big") == {m.id for m in big}
    assert not again._index.has_collection("small")
    assert again.repair_index() == 0  # nothing left to do, and still no collection for "small"
    assert not again._index.has_collection("small")


def test_a_crash_mid_build_is_finished_by_the_next_repair(open_brain, tmp_path):
    home = tmp_path / "b"
    config = load_config(home, exact_scan_max=5)
    brain = open_brain(home, config=config)
    mems = brain.remember_many(TEXTS[:8], user_id="u", at=day(1))
    # as if killed mid-build: the mark not yet written, half of the vectors upserted
    placement.unmark_indexed(brain._store, "u")
    brain._index.drop_user("u")
    vecs = brain._store.vectors([m.id for m in mems[:3]])
    brain._index.upsert("u", [m.id for m in mems[:3]], np.stack([vecs[m.id] for m in mems[:3]]),
                        [{"archived": False}] * 3)
    brain.close()
    again = open_brain(home, config=config)
    assert again.repaired_on_open == len(mems)  # built again, in full
    assert placement.in_index(again._store, "u") and again._index.ids("u") == _ids(again, "u")


def test_full_reindex_keeps_small_users_out_of_the_index(open_brain, tmp_path):
    home = tmp_path / "b"
    old_layout = open_brain(home, config=load_config(home, exact_scan_max=0))
    old_layout.remember_many(TEXTS[:4], user_id="u", at=day(1))
    assert old_layout._index.has_collection("u")
    old_layout.close()
    brain = open_brain(home)  # default threshold: "u" is small now
    assert brain.reindex(full=True) == 4
    assert not brain._index.has_collection("u") and not placement.in_index(brain._store, "u")
    assert brain.stats("u")["index_pending"] == 0


def test_delete_user_leaves_nothing_in_either_layout(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home, config=load_config(home, exact_scan_max=5))
    brain.remember_many(TEXTS[:8], user_id="big", at=day(1))
    brain.remember_many(TEXTS[8:10], user_id="small", at=day(1))
    brain.remember("stays", user_id="kept", at=day(1))
    assert placement.in_index(brain._store, "big")
    assert brain.delete_user("big") == 8 and brain.delete_user("small") == 2
    assert placement.indexed_users(brain._store) == []
    assert not brain._index.has_collection("big") and not brain._index.has_collection("small")
    assert brain._store.scalar(
        "SELECT COUNT(*) FROM embeddings e JOIN memories m ON m.id = e.memory_id") == 1
    assert brain.recall("lemon cake", user_id="big") == []
    brain.remember_many(TEXTS[:8], user_id="big", at=day(2))  # back: a new collection
    assert brain._index.ids("big") == _ids(brain, "big")


def test_hard_delete_of_a_kept_users_memory_removes_its_vector(open_brain, tmp_path):
    home = tmp_path / "b"
    brain = open_brain(home, config=load_config(home, exact_scan_max=5))
    mems = brain.remember_many(TEXTS[:8], user_id="u", at=day(1))
    assert brain.delete(mems[2].id) is True
    assert mems[2].id not in brain._index.ids("u")
    assert brain._index.ids("u") == _ids(brain, "u")
