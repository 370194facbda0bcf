"""`ZenBrainStore` against the behaviours LangGraph's own store tests check (put/get/search with
query and filter, delete, list_namespaces with prefix/suffix/max_depth, async), plus the
mapping of namespaces onto ZenBrain's user/namespace scope."""

from __future__ import annotations

import asyncio

import pytest
from langgraph.store.base import (
    GetOp,
    InvalidNamespaceError,
    Item,
    ListNamespacesOp,
    PutOp,
    SearchOp,
)

from zenbrain.agents import ZenBrainStore


@pytest.fixture
def store(brain):
    return ZenBrainStore(brain)


def test_put_get_roundtrip_and_item_fields(store, clock):
    store.put(("alice", "prefs"), "food", {"content": "likes sushi", "level": 3})
    item = store.get(("alice", "prefs"), "food")
    assert isinstance(item, Item)
    assert item.namespace == ("alice", "prefs") and item.key == "food"
    assert item.value == {"content": "likes sushi", "level": 3}
    assert item.created_at == item.updated_at == clock.now()
    assert store.get(("alice", "prefs"), "missing") is None
    assert store.get(("bob", "prefs"), "food") is None  # another user sees nothing


def test_put_existing_key_makes_new_value_current_and_archives_old(store, brain, clock):
    store.put(("alice",), "city", {"content": "lives in Berlin"})
    first = store.get(("alice",), "city")
    clock.advance(hours=1)
    store.put(("alice",), "city", {"content": "lives in Paris"})
    item = store.get(("alice",), "city")
    assert item.value == {"content": "lives in Paris"}
    assert item.created_at == first.created_at and item.updated_at > first.updated_at
    versions = brain.memories("alice", metadata={"lg_key": "city"}, include_archived=True)
    assert [m.archived for m in versions] == [False, True]  # old value kept, restorable
    assert len(store.search(("alice",))) == 1


def test_same_value_under_two_keys_stays_two_items(store):
    store.put(("alice", "n"), "a", {"content": "same text"})
    store.put(("alice", "n"), "b", {"content": "same text"})
    store.put(("alice", "n"), "a", {"content": "same text"})  # idempotent re-put
    assert {i.key for i in store.search(("alice", "n"))} == {"a", "b"}


def test_delete_removes_every_version(store, brain):
    store.put(("alice", "n"), "k", {"v": 1})
    store.put(("alice", "n"), "k", {"v": 2})
    store.delete(("alice", "n"), "k")
    assert store.get(("alice", "n"), "k") is None
    assert brain.memories("alice", metadata={"lg_key": "k"}, include_archived=True) == []
    store.delete(("alice", "n"), "never-there")  # no error, as in LangGraph


def test_search_prefix_filter_limit_offset(store):
    store.put(("alice", "docs", "a"), "1", {"type": "article", "status": "published", "n": 1})
    store.put(("alice", "docs", "a"), "2", {"type": "article", "status": "draft", "n": 2})
    store.put(("alice", "docs", "b"), "3", {"type": "note", "status": "published", "n": 3,
                                           "meta": {"lang": "en"}})
    store.put(("alice", "other"), "4", {"type": "article", "status": "published", "n": 4})
    assert {i.key for i in store.search(("alice", "docs"))} == {"1", "2", "3"}
    assert {i.key for i in store.search(("alice", "docs"), filter={"type": "article"})} == {"1", "2"}
    assert [i.key for i in store.search(("alice",), filter={"type": "article",
                                                             "status": "published"})] == ["4", "1"]
    assert [i.key for i in store.search(("alice",), filter={"n": {"$gt": 1, "$lte": 3}})] == ["3", "2"]
    assert [i.key for i in store.search(("alice",), filter={"status": {"$ne": "published"}})] == ["2"]
    assert [i.key for i in store.search(("alice",), filter={"meta": {"lang": "en"}})] == ["3"]
    everything = [i.key for i in store.search(("alice",), limit=10)]
    assert everything == ["4", "3", "2", "1"]  # newest first without a query
    assert [i.key for i in store.search(("alice",), limit=2, offset=1)] == ["3", "2"]
    assert store.search(("alice", "nothing")) == []


def test_search_with_query_ranks_by_meaning(store):
    store.put(("alice", "mem"), "pet", {"content": "My cat Luna loves tuna"})
    store.put(("alice", "mem"), "job", {"content": "I work as a nurse at the city hospital"})
    store.put(("alice", "mem"), "trip", {"content": "Planning a trip to Japan in spring"})
    hits = store.search(("alice", "mem"), query="what does my pet eat?", limit=3)
    assert hits[0].key == "pet" and hits[0].score is not None
    assert hits[0].score >= (hits[1].score or 0)
    filtered = store.search(("alice",), query="cat", filter={"content": "Planning a trip to Japan in spring"})
    assert [h.key for h in filtered] == ["trip"]


def test_list_namespaces_prefix_suffix_depth(store):
    for ns in [("alice", "a", "x"), ("alice", "a", "y"), ("alice", "b", "x"), ("bob", "a", "x")]:
        store.put(ns, "k", {"v": 1})
    assert store.list_namespaces() == [("alice", "a", "x"), ("alice", "a", "y"),
                                       ("alice", "b", "x"), ("bob", "a", "x")]
    assert store.list_namespaces(prefix=("alice",)) == [("alice", "a", "x"), ("alice", "a", "y"),
                                                         ("alice", "b", "x")]
    assert store.list_namespaces(suffix=("x",)) == [("alice", "a", "x"), ("alice", "b", "x"),
                                                     ("bob", "a", "x")]
    assert store.list_namespaces(prefix=("*", "a")) == [("alice", "a", "x"), ("alice", "a", "y"),
                                                         ("bob", "a", "x")]
    assert store.list_namespaces(max_depth=2) == [("alice", "a"), ("alice", "b"), ("bob", "a")]
    assert store.list_namespaces(prefix=("alice",), max_depth=2, limit=1, offset=1) == [("alice", "b")]


def test_batch_runs_ops_in_order(store):
    ns = ("alice", "batch")
    results = store.batch([PutOp(ns, "k", {"v": 1}), GetOp(ns, "k"), SearchOp(ns, None, 10, 0),
                           ListNamespacesOp(None, None, 10, 0), PutOp(ns, "k", None), GetOp(ns, "k")])
    assert results[0] is None and results[1].value == {"v": 1}
    assert [i.key for i in results[2]] == ["k"] and results[3] == [ns] and results[5] is None


def test_async_api(store):
    async def scenario():
        ns = ("alice", "async")
        await store.aput(ns, "k", {"content": "async value"})
        assert (await store.aget(ns, "k")).value == {"content": "async value"}
        assert [i.key for i in await store.asearch(("alice",), query="value")] == ["k"]
        assert await store.alist_namespaces(prefix=("alice",)) == [ns]
        await store.adelete(ns, "k")
        assert await store.aget(ns, "k") is None

    asyncio.run(scenario())


def test_namespace_maps_to_user_and_zenbrain_namespace(store, brain):
    store.put(("alice", "agent", "notes"), "k", {"content": "The launch is on Friday"})
    store.put(("alice",), "k2", {"content": "Alice prefers tea"})
    scoped = brain.memories("alice", metadata={"lg_key": "k"})[0]
    assert scoped.namespace == "agent.notes" and str(scoped.layer) == "semantic"
    plain = brain.memories("alice", metadata={"lg_key": "k2"})[0]
    assert plain.namespace == brain.config.namespace  # visible to alice's normal recall
    assert brain.recall("what does alice drink?", user_id="alice", k=1)[0].memory.id == plain.id


def test_user_index_for_langmem_style_namespaces(brain):
    store = ZenBrainStore(brain, user_index=1)
    store.put(("memories", "carol"), "m1", {"kind": "Memory", "content": {"content": "Carol runs"}})
    mem = brain.memories("carol", metadata={"lg_key": "m1"})[0]
    assert mem.namespace == "memories" and mem.text.startswith("Carol runs")
    assert store.get(("memories", "carol"), "m1").value["content"] == {"content": "Carol runs"}


def test_bad_input_is_rejected_before_writing(store, brain):
    with pytest.raises(InvalidNamespaceError):
        store.put(("alice", "a.b"), "k", {"v": 1})
    with pytest.raises(ValueError, match="user id"):
        ZenBrainStore(brain, user_index=2).put(("alice",), "k", {"v": 1})
    with pytest.raises(ValueError, match="operator"):
        store.put(("alice",), "k", {"n": 1})
        store.search(("alice",), filter={"n": {"$regex": "x"}})
    assert brain.memories("bob") == []


def test_context_is_the_brains_context_for_the_namespaces_user_and_scope(store, brain):
    store.put(("alice",), "cat", {"content": "My cat Luna loves tuna"})
    store.put(("alice", "work"), "job", {"content": "Works night shifts at Acme"})
    store.put(("bob",), "cat", {"content": "My cat Tom loves tuna"})
    ctx = store.context(("alice",), "what does my cat eat?", budget_tokens=300)
    assert ctx.user_id == "alice" and ctx.namespace == brain.config.namespace
    assert "Luna loves tuna" in ctx.text and "Tom" not in ctx.text and "Acme" not in ctx.text
    assert ctx.tokens_used <= 300
    work = store.context(("alice", "work"), "where do I work?", budget_tokens=300)
    assert work.namespace == "work" and "Acme" in work.text and "Luna" not in work.text
    with pytest.raises(ValueError, match="tuple of labels"):
        store.context("alice", "cat")
