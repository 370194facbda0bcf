"""The chat agent graph: its shape, the retrieval-only mode, citations, reconsolidation,
working memory and reflection, and persistence of threads in the brain's home.

LangChain's fake chat models stand in for a remote API only; the brain is real."""

from __future__ import annotations

import pytest
from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from zenbrain import estimate_tokens
from zenbrain.agents import (
    CHECKPOINT_FILE,
    NO_MODEL_NOTICE,
    LLMUnavailableError,
    build_graph,
    is_correction,
    resolve_llm,
    thread_config,
)


def turn(graph, text, user="alice", session="s1"):
    return graph.invoke({"messages": [("user", text)], "user_id": user, "session_id": session},
                        thread_config(user, session))


def test_graph_nodes_and_edges(brain):
    g = build_graph(brain, checkpointer=False).get_graph()
    assert set(g.nodes) == {"__start__", "recall", "reconsolidate", "assemble", "generate",
                            "observe", "reflect", "__end__"}
    edges = {(e.source, e.target, e.conditional) for e in g.edges}
    assert edges == {("__start__", "recall", False), ("recall", "reconsolidate", True),
                     ("recall", "assemble", True), ("reconsolidate", "assemble", False),
                     ("assemble", "generate", False), ("generate", "observe", False),
                     ("observe", "reflect", True), ("observe", "__end__", True),
                     ("reflect", "__end__", False)}


def test_retrieval_only_mode_answers_with_ranked_recollections(brain, monkeypatch):
    monkeypatch.delenv("ZENBRAIN_LLM", raising=False)
    mem = brain.remember("My cat Luna loves tuna.", user_id="alice")
    graph = build_graph(brain, checkpointer=False)
    out = turn(graph, "What does my cat eat?")
    answer = out["messages"][-1].content
    assert answer.startswith(NO_MODEL_NOTICE)
    assert f"[{mem.id}]" in answer and "recorded 2026-01-01" in answer and "why:" in answer
    assert out["cited"][0] == mem.id
    # Only the user's turn is written; the quoted answer is not stored again.
    assert {m.speaker for m in brain.memories("alice", session_id="s1")} == {"user"}


def test_retrieval_only_with_nothing_remembered(brain):
    out = turn(build_graph(brain, checkpointer=False), "hello?")
    assert "don't remember anything" in out["messages"][-1].content and out["cited"] == []


def test_model_answer_cites_memory_ids_and_turn_is_observed(brain):
    mem = brain.remember("My cat Luna loves tuna.", user_id="alice")
    # The model cites the line's handle (the id's last six characters), as the prompt asks.
    llm = GenericFakeChatModel(messages=iter([AIMessage(content=f"Luna eats tuna [{mem.id[-4:]}].")]))
    out = turn(build_graph(brain, llm, checkpointer=False), "What does my cat eat?")
    assert out["cited"] == [mem.id] and out["used"] == [mem.id]
    assert "Memories used" not in out["messages"][-1].content
    # The answer relied on it: that is a use, recorded as feedback (a returned-only one is not).
    assert brain.get(mem.id).priority["reward"] > mem.priority.get("reward", 0.3)
    speakers = [m.speaker for m in brain.memories("alice", session_id="s1")]
    assert set(speakers) == {"assistant", "user"}  # both turns are written
    assert out["working"][-1]["id"] == mem.id


def test_uncited_answer_gets_the_context_memories_appended(brain):
    mem = brain.remember("My cat Luna loves tuna.", user_id="alice")
    out = turn(build_graph(brain, FakeListChatModel(responses=["Tuna!"]), checkpointer=False),
               "What does my cat eat?")
    assert out["messages"][-1].content.startswith("Tuna!\n\nMemories used: ")
    assert f"[{mem.id[-4:]}]" in out["messages"][-1].content
    assert mem.id in out["cited"] and out["used"] == []
    # our footer is not the model's use
    assert brain.get(mem.id).priority.get("reward") == mem.priority.get("reward")
    stored = [m.text for m in brain.memories("alice", session_id="s1") if m.speaker == "assistant"]
    assert stored == ["Tuna!"]  # the footer is not remembered


def test_core_blocks_come_first_in_the_context(brain):
    core = brain.remember("Name: Alice. Vegetarian.", user_id="alice", layer="core",
                          metadata={"block": "profile"})
    brain.remember("Had pasta for lunch on Monday", user_id="alice")
    out = turn(build_graph(brain, FakeListChatModel(responses=["ok"]), checkpointer=False),
               "What did I eat?")
    assert out["context"].startswith("Core memory")
    assert out["context"].index(f"[{core.id[-4:]}]") < out["context"].index("Recollections")
    assert out["citations"][core.id[-4:]] == core.id


def test_the_context_is_brain_context_with_the_working_memory_after_its_prefix(brain, clock):
    brain.remember("Name: Alice. Vegetarian.", user_id="alice", layer="core",
                   metadata={"block": "profile"})
    graph = build_graph(brain, FakeListChatModel(responses=["ok"] * 3), checkpointer=False,
                        token_budget=300)
    working = turn(graph, "I play the cello on Tuesdays.")["working"]
    clock.advance(minutes=2)
    state = graph.invoke({"messages": [("user", "When do I play the cello?")], "user_id": "alice",
                          "session_id": "s1", "working": working})
    context = state["context"]
    direct = brain.context("When do I play the cello?", user_id="alice", session_id="s1",
                           budget_tokens=300)
    assert context.startswith(direct.prefix + "\n\n")  # the cacheable prefix comes first
    assert estimate_tokens(context) <= 300
    assert "cello on Tuesdays" in context
    for item in working:  # in the working memory or the evidence, never both
        handle = next(h for h, mid in state["citations"].items() if mid == item["id"])
        assert context.count(f"[{handle}]") == 1


def test_correction_marks_the_old_memory_contradicted(brain, clock):
    old = brain.remember("My cat is called Luna.", user_id="alice")
    before = brain.get(old.id).confidence
    clock.advance(minutes=5)
    out = turn(build_graph(brain, FakeListChatModel(responses=["Noted, Mochi."]), checkpointer=False),
               "Actually, my cat is called Mochi, not Luna.")
    assert out["corrections"][0]["contradicted"] == old.id
    assert brain.get(old.id).confidence < before
    assert any("Mochi" in m.text for m in brain.memories("alice", layers=["episodic", "semantic"]))


def test_is_correction():
    assert is_correction("No, I live in Paris now")
    assert is_correction("Actually it's Mochi")
    assert is_correction("I don't eat meat anymore")
    assert not is_correction("My cat is called Luna")


def test_working_memory_overflow_triggers_a_reflection(brain, clock):
    graph = build_graph(brain, FakeListChatModel(responses=["ok"] * 20), checkpointer=False)
    facts = ["I play the cello", "My sister is called Ana", "I work at Acme", "I like green tea",
             "My car is a blue Volvo", "I was born in Porto", "I run every Tuesday",
             "My dog is named Rex", "I study Japanese"]
    state = {}
    for text in facts:
        clock.advance(minutes=2)
        state = graph.invoke({"messages": [("user", text)], "user_id": "alice", "session_id": "s1",
                              "working": state.get("working", []),
                              "reflections": state.get("reflections", [])})
    assert len(state["working"]) == brain.config.working_capacity
    assert state["reflections"]
    note = brain.get(state["reflections"][0])
    assert note.text.startswith("Earlier in this conversation: the user")
    assert " I " not in f" {note.text} "  # third person: no first-person fact is re-asserted
    assert note.metadata["reflection_of"] and note.metadata["zb_source"] == "agent_inferred"


def test_threads_persist_where_the_records_are(brain):
    graph = build_graph(brain, FakeListChatModel(responses=["one", "two"]))
    turn(graph, "I live in Lisbon.")
    out = turn(graph, "Where do I live?")
    assert [m.content.split("\n")[0] for m in out["messages"]] == ["I live in Lisbon.", "one",
                                                                 "Where do I live?", "two"]
    if brain._store.shared:  # --postgres: in the brain's database, for every worker
        assert brain._store.scalar("SELECT count(*) FROM checkpoints") > 0
    else:
        assert (brain.home / CHECKPOINT_FILE).exists()
    other = turn(graph, "hi", session="s2")
    assert len(other["messages"]) == 2  # threads are separate
    brain.delete_user("alice")  # privacy: the user's threads go too
    assert graph.get_state(thread_config("alice", "s1")).values == {}
    graph.checkpointer.conn.close()


def test_resolve_llm(monkeypatch):
    monkeypatch.delenv("ZENBRAIN_LLM", raising=False)
    assert resolve_llm(None) is None
    model = FakeListChatModel(responses=["x"])
    assert resolve_llm(model) is model
    with pytest.raises(ValueError, match="provider:model"):
        resolve_llm("gpt")
    with pytest.raises(ValueError, match="chat model"):
        resolve_llm(42)
    monkeypatch.setenv("ZENBRAIN_LLM", "nosuchprovider:some-model")
    with pytest.raises(LLMUnavailableError):
        resolve_llm(None)


def test_retrieval_only_acknowledges_a_statement(brain):
    brain.remember("My cat Luna loves tuna.", user_id="alice")
    out = turn(build_graph(brain, checkpointer=False), "I work at Acme Corp.")
    assert out["messages"][-1].content.endswith("Noted — I will remember that.")
    assert out["cited"] == []
