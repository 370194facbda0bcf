"""Every public `Brain` call on real SQLite, real Chroma and the real embedding model."""

from __future__ import annotations

import networkx as nx
import pytest
from helpers import day

from zenbrain import Brain, BrainClosedError, Layer, MemoryNotFoundError
from zenbrain.recall.recipes import ASSOCIATIVE


def test_remember_then_recall_returns_it_first_with_reasons(brain):
    brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    brain.remember("I went hiking in the Alps last summer", user_id="u1", at=day(0))
    results = brain.recall("what does Luna like to eat", user_id="u1", at=day(1), explain=True)
    assert results[0].text == "My cat Luna loves tuna"
    assert any(r.startswith("vector similarity") for r in results[0].reasons)
    assert any("retrievability" in r for r in results[0].reasons)
    assert results[0].score >= results[-1].score


def test_short_reasons_without_explain(brain):
    brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    (rec,) = brain.recall("Luna", user_id="u1", k=1, at=day(1))
    assert rec.reasons[0] == "vector#1"
    # every default route found the one memory: vector, keyword (luna), graph (entity Luna)
    assert rec.routes == {"vector": 1, "keyword": 1, "graph": 1}
    assert "bm25#1" in rec.reasons and "graph:Luna" in rec.reasons
    (assoc,) = brain.recall("Luna", user_id="u1", k=1, at=day(1), recipe=ASSOCIATIVE)
    assert assoc.routes == {"vector": 1, "keyword": 1, "graph": 1, "hopfield": 1}


def test_created_after_at_is_invisible(brain):
    brain.remember("I adopted a parrot called Kiwi", user_id="u1", at=day(10))
    assert brain.recall("parrot Kiwi", user_id="u1", at=day(5)) == []
    assert brain.recall("parrot Kiwi", user_id="u1", at=day(11))[0].text.startswith("I adopted")


def test_remember_many_batches_and_keeps_order(brain):
    mems = brain.remember_many(
        ["First note about apples", {"text": "Second note about pears", "at": day(1)},
         {"text": "how to bake bread: 1. mix 2. knead 3. bake", "metadata": {"importance": 0.9}}],
        user_id="u1", at=day(0))
    assert [m.text for m in mems][0] == "First note about apples"
    assert mems[1].created_at == day(1)
    assert mems[2].layer is Layer.PROCEDURAL
    assert brain.stats("u1")["active"] == 3


def test_identical_retry_in_same_session_creates_nothing(brain):
    a = brain.remember("Buy oat milk", user_id="u1", session_id="s", at=day(0))
    b = brain.remember("buy   OAT milk", user_id="u1", session_id="s", at=day(0).replace(minute=5))
    assert a.id == b.id
    c = brain.remember("Buy oat milk", user_id="u1", session_id="s", at=day(1))
    assert c.id != a.id


def test_observe_stores_turns_and_episodes_with_provenance(brain):
    out = brain.observe(
        [{"role": "user", "content": "My sister Anna moved to Lisbon last May", "id": "m1"},
         {"role": "assistant", "content": "That sounds exciting!"},
         {"role": "user", "content": "ok"}],
        user_id="u1", session_id="s1", at=day(0))
    layers = [m.layer for m in out]
    assert layers == [Layer.SHORT_TERM, Layer.EPISODIC, Layer.SHORT_TERM, Layer.SHORT_TERM]
    turn, episode = out[0], out[1]
    assert turn.sources == ["msg:m1"]
    assert episode.sources == [turn.id]
    assert turn.speaker == "user" and out[2].speaker == "assistant"


def test_observe_accepts_langchain_messages(brain):
    from langchain_core.messages import AIMessage, HumanMessage

    out = brain.observe([HumanMessage("I work at Acme Robotics now"), AIMessage("Congrats!")],
                        user_id="u1", session_id="s1", at=day(0))
    assert [m.speaker for m in out if m.layer is Layer.SHORT_TERM] == ["user", "assistant"]


def test_get_unknown_is_none_and_forget_unknown_raises(brain):
    assert brain.get("mem_nope") is None
    with pytest.raises(KeyError):
        brain.forget("mem_nope")
    with pytest.raises(MemoryNotFoundError):
        brain.restore("mem_nope")


def test_forget_archives_restorably_and_recall_skips_it(brain):
    mem = brain.remember("My locker code is 4312", user_id="u1", at=day(0))
    forgotten = brain.forget(mem.id, at=day(1))
    assert forgotten.archived and forgotten.archive_reason == "user_forget"
    assert brain.forget(mem.id).archived  # idempotent
    assert all(r.memory.id != mem.id for r in brain.recall("locker code", user_id="u1", at=day(2)))
    assert brain.recall("locker code", user_id="u1", at=day(2), include_archived=True)[0].memory.id == mem.id
    brain.restore(mem.id, at=day(3))
    assert brain.recall("locker code", user_id="u1", at=day(4))[0].memory.id == mem.id


@pytest.mark.embedded_only("reads the SQLite FTS5 index")
def test_delete_is_hard_and_leaves_a_tombstone(brain):
    mem = brain.remember("The secret word is zanzibarian", user_id="u1", at=day(0))
    other = brain.remember("Another memory citing it", user_id="u1", at=day(0))
    brain._store.update(other.id, sources=[mem.id])  # provenance that must be scrubbed
    assert brain.delete(mem.id) is True
    assert brain.get(mem.id) is None
    assert brain.delete(mem.id) is False
    assert mem.id not in brain._index.ids("u1")
    assert brain._store.scalar(
        "SELECT COUNT(*) FROM memories_fts WHERE memories_fts MATCH 'zanzibarian'") == 0
    assert brain.get(other.id).sources == []
    assert brain._store.scalar("SELECT reason FROM tombstones WHERE id = ?", (mem.id,)) == "user_delete"


def test_history_of_a_core_block_keeps_old_versions(brain):
    v1 = brain.remember("Name: Dana. Lives in Berlin.", user_id="u1", layer="core",
                        metadata={"block": "profile"}, at=day(0))
    v2 = brain.remember("Name: Dana. Lives in Munich.", user_id="u1", layer="core",
                        metadata={"block": "profile"}, at=day(30))
    assert v2.version == 2 and v2.supersedes == v1.id and v2.root_id == v1.id
    old = brain.get(v1.id)
    assert not old.is_current and old.superseded_by == v2.id
    assert [m.id for m in brain.history(v2.id)] == [v1.id, v2.id]
    assert [m.id for m in brain.history(v1.id)] == [v1.id, v2.id]
    # time travel: at day 10 the Berlin version was the current one
    (then,) = brain.recall("where does Dana live", user_id="u1", k=1, at=day(10), layers=["core"])
    assert then.memory.id == v1.id
    (now,) = brain.recall("where does Dana live", user_id="u1", k=1, at=day(31), layers=["core"])
    assert now.memory.id == v2.id


def test_feedback_moves_confidence(brain):
    mem = brain.remember("The gym opens at 6am", user_id="u1", at=day(0))
    c0 = mem.confidence
    c1 = brain.feedback(mem.id, "confirmed", at=day(1)).confidence
    assert c1 > c0
    c2 = brain.feedback(mem.id, "contradicted", at=day(2)).confidence
    assert c2 < c1
    with pytest.raises(ValueError, match="unknown outcome"):
        brain.feedback(mem.id, "maybe")


def test_recall_is_retrieval_practice_but_time_travel_is_not(brain):
    mem = brain.remember("I prefer window seats on flights", user_id="u1", at=day(0))
    brain.recall("window seat", user_id="u1", at=day(10))
    after = brain.get(mem.id)
    assert after.recall_count == 1 and after.stability > mem.stability
    assert after.labile_until is not None
    brain.recall("window seat", user_id="u1", at=day(5))  # earlier than the last recall
    assert brain.get(mem.id).recall_count == 1


def test_stats_counts_active_archived_and_layers(brain):
    a = brain.remember("Alpha event happened", user_id="u1", at=day(0))
    brain.remember("how to make tea: 1. boil water 2. steep 3. pour", user_id="u1", at=day(0))
    brain.forget(a.id)
    s = brain.stats("u1")
    assert s["active"] == 1 and s["archived"] == 1
    assert s["layers"]["procedural"]["active"] == 1
    assert s["layers"]["episodic"]["archived"] == 1
    assert s["storage_bytes"] > 0
    total = brain.stats()
    assert total["users"] == {"u1": {"active": 1, "archived": 1}}


def test_graph_has_entities_relations_and_memory_nodes(brain):
    brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    g = brain.graph("u1")
    assert isinstance(g, nx.MultiDiGraph)
    kinds = {d["node_type"] for _, d in g.nodes(data=True)}
    assert kinds == {"entity", "memory"}
    names = {d.get("name") for _, d in g.nodes(data=True) if d["node_type"] == "entity"}
    assert "Luna" in names
    assert any(d.get("edge_type") == "mentions" for *_, d in g.edges(data=True))


@pytest.mark.embedded_only("checks the files in the home")
def test_close_and_context_manager(tmp_path, clock, minilm):
    with Brain(tmp_path / "b", clock=clock, embedder=minilm) as b:
        b.remember("hello world note", user_id="u1")
    with pytest.raises(BrainClosedError):
        b.remember("after close", user_id="u1")
    b.close()  # twice is fine
    assert (tmp_path / "b" / "brain.db").exists()
    # a user under `exact_scan_max` lives in SQLite alone: no vector index was even opened
    assert not (tmp_path / "b" / "chroma").exists()


@pytest.mark.embedded_only("checks the files in the home")
def test_default_home_from_environment(tmp_path, monkeypatch, minilm):
    monkeypatch.setenv("ZENBRAIN_HOME", str(tmp_path / "envhome"))
    with Brain(embedder=minilm) as b:
        assert b.home == tmp_path / "envhome"
    assert (tmp_path / "envhome" / "brain.db").exists()


def test_newer_fact_wins_and_old_one_is_marked_stale(brain):
    """SPEC §7 example 4."""
    berlin = brain.remember("I live in Berlin", user_id="u1", at=day(0))
    munich = brain.remember("I moved to Munich, I live in Munich now", user_id="u1", at=day(30))
    results = brain.recall("where do I live", user_id="u1", at=day(31), explain=True)
    assert "Munich" in results[0].text
    old = next((r for r in results if r.memory.id == berlin.id), None)
    if old is not None:  # SPEC: "if the Berlin memory is returned, it ranks lower ... stale"
        assert results.index(old) > 0
        assert any(reason.startswith(f"stale: lives_in superseded by {munich.id}")
                   for reason in old.reasons)
    else:  # a durable slot update made Munich version 2 of the Berlin memory (issue 13)
        assert [m.id for m in brain.history(munich.id)] == [berlin.id, munich.id]
    g = brain.graph("u1")
    lives = {g.nodes[v]["name"]: d for _, v, d in g.edges(data=True) if d.get("relation") == "lives_in"}
    assert lives["Berlin"]["valid_to"].startswith(day(30).date().isoformat())
    assert lives["Munich"]["valid_to"] is None
    # as of day 10, Berlin was simply true
    (then,) = brain.recall("where do I live", user_id="u1", k=1, at=day(10))
    assert then.memory.id == berlin.id and not any("stale" in r for r in then.reasons)
