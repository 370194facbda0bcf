"""The recall shortcuts give exactly what the plain computation gives (issue 6, recall latency):
the graph route reads only the edges of nodes that fire, contiguity asks one query for all seeds,
and the Hopfield route keeps unit rows between queries without ever serving a stale one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import numpy as np
import pytest
from helpers import day, weekly_news

from zenbrain.algorithms.hopfield import complete
from zenbrain.algorithms.spreading import SPREADING_DEFAULT, spread
from zenbrain.clock import utc_iso
from zenbrain.extract.entities import SELF_KEY
from zenbrain.recall import graph_route, hopfield_route
from zenbrain.recall.recipes import DEFAULT

_TEXTS = [
    "Luna the cat went to the vet with Maria in Lisbon",
    "Maria and Tom cooked dinner in Lisbon",
    "Tom works with Priya at the Atlas project",
    "Priya moved to Berlin with Luna's old toys",
    "Maria visited Berlin and Lisbon in May",
    "Tom and Maria adopted Luna last spring",
]


def _full_adjacency(store, user_id, at):
    """Every current edge of the user, both directions, `self` left out (the old reading)."""
    when = utc_iso(at)
    self_ids = {r["id"] for r in store.rows(
        "SELECT id FROM kg_nodes WHERE user_id = ? AND key = ?", (user_id, SELF_KEY))}
    adj: dict[str, dict[str, float]] = defaultdict(dict)
    for e in store.rows(
            "SELECT src, dst, weight FROM kg_edges WHERE user_id = ? AND archived = 0 "
            "AND recorded_at <= ? AND (valid_from IS NULL OR valid_from <= ?) "
            "AND (valid_to IS NULL OR valid_to > ?) ORDER BY rowid", (user_id, when, when, when)):
        if e["src"] in self_ids or e["dst"] in self_ids:
            continue
        adj[e["src"]][e["dst"]] = adj[e["src"]].get(e["dst"], 0.0) + e["weight"]
        adj[e["dst"]][e["src"]] = adj[e["dst"]].get(e["src"], 0.0) + e["weight"]
    return adj


@pytest.mark.embedded_only("its reference reads SQLite rowids")
def test_graph_route_reads_only_firing_nodes_and_spreads_the_same(brain):
    brain.remember_many([{"text": t, "at": day(i)} for i, t in enumerate(_TEXTS)], user_id="u1")
    store, p = brain._store, SPREADING_DEFAULT
    full = _full_adjacency(store, "u1", day(9))
    for query in ("Where is Luna?", "What did Maria do in Lisbon?", "Tom and Priya"):
        seeds = graph_route._seeds(store, "u1", query, day(9))
        assert seeds
        lean = graph_route._adjacency(store, "u1", day(9), seeds, p)
        kwargs = {"hops": p.hops, "decay": p.decay, "threshold": p.threshold}
        got, want = spread(lean, seeds, **kwargs), spread(full, seeds, **kwargs)
        assert got.keys() == want.keys()
        assert got == want  # equal floats, not just close: the sums ran in the same order
        assert set(lean) <= set(full)


def test_contiguity_credits_neighbours_of_every_seed(brain):
    brain.remember_many([{"text": t, "at": day(1).replace(minute=i)} for i, t in
                         enumerate(_TEXTS)], user_id="u1", session_id="s1")
    brain.remember("Unrelated note about printer paper", user_id="u1", session_id="s2",
                   at=day(1))
    recipe = replace(DEFAULT, routes=("keyword",))
    results = brain.recall("vet", user_id="u1", at=day(2), k=10, recipe=recipe, explain=True)
    assert results[0].text == _TEXTS[0]
    neighbours = {r.text for r in results if any("contiguity" in x for x in r.reasons)}
    assert neighbours and neighbours <= set(_TEXTS[1:])  # same session only


def test_hopfield_unit_rows_match_plain_completion_and_follow_changed_vectors(brain):
    mems = brain.remember_many([{"text": t, "at": day(i)} for i, t in enumerate(_TEXTS)],
                               user_id="u1")
    store, ids = brain._store, [m.id for m in mems]
    q = brain.embedder.embed(["Luna at the vet"])[0]
    vecs = store.vectors(ids)
    plain = complete(np.stack([vecs[i] for i in ids]), q)
    for _ in range(2):  # the second time the rows come from the cache
        got = hopfield_route.hopfield_scores(store=store, pool=ids, qvec=q)
        assert got == {mid: float(v) for mid, v in zip(ids, plain, strict=True)}
    # A vector that changes in the store (an import, a repair) is never served from the cache.
    store.set_vector(ids[0], -vecs[ids[0]], "test")
    flipped = hopfield_route.hopfield_scores(store=store, pool=ids, qvec=q)
    raw = np.stack([-vecs[ids[0]]] + [vecs[i] for i in ids[1:]])
    assert flipped == {mid: float(v) for mid, v in zip(ids, complete(raw, q), strict=True)}


@pytest.mark.embedded_only("compares two SQLite FTS5 queries")
def test_keyword_search_ranked_in_the_index_first_equals_joining_every_match(brain):
    # Two users share the FTS index; common words, ties (equal texts) and archived rows make
    # the index's best rows differ from the user's best rows, so the prefix must grow or fall
    # back. Small n keeps the first prefix (4n) short.
    words = ["coffee", "garden", "train", "violin", "lisbon", "dentist"]
    texts = [f"{words[i % 6]} and {words[(i * 7) % 6]} on day {i % 5}" for i in range(240)]
    for user in ("u1", "u2"):
        mems = brain.remember_many([{"text": t, "at": day(i % 30)} for i, t in enumerate(texts)],
                                   user_id=user)
        if user == "u1":
            for m in mems[::3]:
                brain._store.update(m.id, archived=True)
    store = brain._store
    for terms in (["coffee"], ["train", "violin"], ["day"], ["lisbon", "dentist", "garden"]):
        expr = " OR ".join(f'"{t}"' for t in terms)
        for user in ("u1", "u2"):
            for n in (1, 3, 10, 50):
                for archived in (False, True):
                    for before in (None, "2026-01-10T00:00:00.000000+00:00"):
                        got = store.keyword_search(terms, user_id=user, n=n, before=before,
                                                   include_archived=archived)
                        want = store._keyword_search_all(expr, user_id=user, n=n, before=before,
                                                         include_archived=archived)
                        assert [(r["id"], r["score"]) for r in got] == \
                            [(r["id"], r["score"]) for r in want], (terms, user, n, archived)


@pytest.mark.embedded_only("compares SQLite FTS5 rankings")
def test_a_small_tenant_is_ranked_as_in_a_brain_of_their_own(open_brain, tmp_path):
    # A user with a small share of a many-user brain is ranked in an index of their own rows
    # (`_keyword_search_own`): the same ids in the same order with the same bm25 as a brain
    # holding that user alone, whatever the other tenants wrote.
    words = ["coffee", "garden", "train", "violin", "lisbon", "dentist"]
    texts = [f"{words[i % 6]} and {words[(i * 7) % 6]} on day {i % 5}" for i in range(240)]
    shared, alone = open_brain(tmp_path / "shared"), open_brain(tmp_path / "alone")
    for user in ("u1", "u2", "u3"):  # other tenants' words: "coffee" in half their rows
        shared.remember_many([{"text": t if i % 2 else t[:-1] + " over coffee.", "at": day(i % 30)}
                              for i, t in enumerate(weekly_news())], user_id=user)
    for brain in (shared, alone):
        few = brain.remember_many([{"text": t, "at": day(i % 30)} for i, t in enumerate(texts[:40])]
                                  + [{"text": "train train train", "at": day(3)}], user_id="u4")
        for m in few[1::3]:
            brain._store.update(m.id, archived=True)
    assert 4 * shared._store.memory_count("u4") < shared._store.scalar(
        "SELECT max(rowid) FROM memories")  # the small-share path
    for terms in (["coffee"], ["train", "violin"], ["day"], ["lisbon", "dentist", "garden"]):
        for n in (1, 3, 10, 50):
            for archived in (False, True):
                for before in (None, "2026-01-10T00:00:00.000000+00:00"):
                    got, want = (b._store.keyword_search(terms, user_id="u4", n=n, before=before,
                                                         include_archived=archived)
                                 for b in (shared, alone))
                    assert got, (terms, n, archived, before)
                    assert [(r["text"], r["score"]) for r in got] == \
                        [(r["text"], r["score"]) for r in want], (terms, n, archived, before)


@pytest.mark.embedded_only("the counts are SQLite triggers")
def test_memory_count_follows_every_insert_and_delete(brain):
    store = brain._store

    def counted(user):
        return store.scalar("SELECT COUNT(*) FROM memories WHERE user_id = ?", (user,))

    brain.remember_many([{"text": t, "at": day(i)} for i, t in enumerate(_TEXTS)], user_id="u1")
    brain.remember("Priya moved to Berlin last week", user_id="u2", at=day(8))
    brain.remember("Actually Priya moved to Munich, not Berlin", user_id="u2", at=day(9))
    brain.sleep("u1", now=day(40))
    for user in ("u1", "u2", "nobody"):
        assert store.memory_count(user) == counted(user)
    brain.delete_user("u2")
    assert store.memory_count("u2") == counted("u2") == 0
    assert store.scalar("SELECT COUNT(*) FROM user_memory_counts WHERE user_id = 'u2'") == 0
    assert store.memory_count("u1") == counted("u1") > 0


@pytest.mark.embedded_only("the counts are SQLite triggers")
def test_memory_counts_of_a_brain_made_before_them_are_filled_on_open(open_brain, tmp_path):
    brain = open_brain(tmp_path / "b")
    brain.remember_many([{"text": t, "at": day(i)} for i, t in enumerate(_TEXTS)], user_id="u1")
    brain._store.conn.executescript(
        "DROP TRIGGER memories_count_ai; DROP TRIGGER memories_count_ad; "
        "DROP TRIGGER memories_count_au; DROP TABLE user_memory_counts;")
    brain.close()
    reopened = open_brain(tmp_path / "b")
    assert reopened._store.memory_count("u1") == len(_TEXTS)
    reopened.remember("Maria's new kitten is called Miso", user_id="u1", at=day(7))
    assert reopened._store.memory_count("u1") == len(_TEXTS) + 1
