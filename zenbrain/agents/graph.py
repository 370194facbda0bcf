"""`build_graph`: the ZenBrain chat agent as a compiled LangGraph `StateGraph`.

    START → recall ─┬─(the user corrects a fact)→ reconsolidate ─┐
                    └────────────────────────────────────────────┴→ assemble → generate → observe
    observe ─┬─(working memory overflowed)→ reflect → END
             └─→ END

Threads persist in `<brain home>/checkpoints.db` (langgraph-checkpoint-sqlite's `SqliteSaver`), so
a process that stops and starts again continues both the thread and the memories. A brain on
PostgreSQL keeps them in its database instead (langgraph-checkpoint-postgres's `PostgresSaver`), so
a thread started on one worker continues on any other. Thread ids are
`"<user_id>:<session_id>"` (see `thread_config`); `Brain.delete_user` drops a user's threads too.
"""

from __future__ import annotations

import sqlite3
import weakref
from typing import TYPE_CHECKING, Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph

from zenbrain.agents.llm import resolve_llm
from zenbrain.agents.nodes import (
    AgentState,
    assemble_node,
    generate_node,
    is_correction,
    observe_node,
    recall_node,
    reconsolidate_node,
    reflect_node,
)
from zenbrain.store.sqlite import escape_like

if TYPE_CHECKING:
    from langgraph.graph.state import CompiledStateGraph

    from zenbrain import Brain

__all__ = ["CHECKPOINT_FILE", "build_graph", "open_checkpointer", "thread_config"]

CHECKPOINT_FILE = "checkpoints.db"


def thread_config(user_id: str, session_id: str | None = None) -> dict[str, Any]:
    """The LangGraph config of one conversation thread: `{"configurable": {"thread_id": ...}}`."""
    return {"configurable": {"thread_id": f"{user_id}:{session_id or 'default'}"}}


def open_checkpointer(brain: Brain) -> Any:
    """A `SqliteSaver` on `<home>/checkpoints.db`, or a `PostgresSaver` in the brain's database
    when it has one; `brain.delete_user` also drops the user's threads. Close it with
    `saver.conn.close()` (or let the graph's finalizer do it)."""
    if brain._store.shared:
        return _postgres_checkpointer(brain)
    conn = sqlite3.connect(str(brain.home / CHECKPOINT_FILE), check_same_thread=False)
    saver = SqliteSaver(conn)
    saver.setup()

    def drop_threads(user_id: str) -> None:
        rows = conn.execute("SELECT DISTINCT thread_id FROM checkpoints WHERE thread_id LIKE ? "
                            "ESCAPE '\\'", (escape_like(user_id) + ":%",)).fetchall()
        for (thread_id,) in rows:
            saver.delete_thread(thread_id)

    brain.on_delete_user(drop_threads)
    return saver


def _postgres_checkpointer(brain: Brain) -> Any:
    try:
        import psycopg
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
    except ImportError:
        from zenbrain.errors import InvalidInputError

        raise InvalidInputError("agent threads on PostgreSQL need langgraph-checkpoint-postgres: "
                                "pip install 'zenbrain[postgres]'") from None
    # Its own connection (autocommit and dict rows, as PostgresSaver requires); the same database.
    conn = psycopg.connect(brain._store.conn.url, autocommit=True, prepare_threshold=0,
                           row_factory=dict_row)
    saver = PostgresSaver(conn)
    saver.setup()
    # No delete_user hook: the store's delete_user removes a user's threads from the shared
    # database itself, on whichever worker it runs (this one may never have built a graph).
    return saver


def _after_recall(state: AgentState) -> str:
    messages = state.get("messages") or []
    last = messages[-1] if messages else None
    if last is not None and last.type == "human" and state.get("recollections") \
            and is_correction(str(last.content)):
        return "reconsolidate"
    return "assemble"


def _after_observe(state: AgentState) -> str:
    return "reflect" if state.get("overflow") else END


def build_graph(
    brain: Brain, llm: Any = None, *, checkpointer: Any = None, k: int = 8,
    token_budget: int = 1200,
) -> CompiledStateGraph:
    """The compiled chat agent over `brain`.

    Args:
        brain: an open `Brain`.
        llm: a LangChain chat model, a "provider:model" string for `init_chat_model`, or None
            (then `$ZENBRAIN_LLM`, then the brain's `config.llm`; with none of them the agent
            answers retrieval-only and says that no language model is configured).
        checkpointer: a LangGraph checkpointer; None = a `SqliteSaver` in the brain's home;
            False = no persistence of threads.
        k: recollections per turn.
        token_budget: the context budget of `assemble` in tokens (estimated as UTF-8 bytes / 4;
            see `Brain.context`).

    Invoke it with the user and session in the input and the thread in the config:
    `graph.invoke({"messages": [("user", "hi")], "user_id": "alice", "session_id": "s1"},
    thread_config("alice", "s1"))`.
    """
    model = resolve_llm(llm, configured=brain.config.llm)
    graph = StateGraph(AgentState)
    graph.add_node("recall", recall_node(brain, k=k))
    graph.add_node("reconsolidate", reconsolidate_node(brain))
    graph.add_node("assemble", assemble_node(brain, token_budget=token_budget))
    graph.add_node("generate", generate_node(model))
    graph.add_node("observe", observe_node(brain, store_assistant=model is not None))
    graph.add_node("reflect", reflect_node(brain))
    graph.add_edge(START, "recall")
    graph.add_conditional_edges("recall", _after_recall, ["reconsolidate", "assemble"])
    graph.add_edge("reconsolidate", "assemble")
    graph.add_edge("assemble", "generate")
    graph.add_edge("generate", "observe")
    graph.add_conditional_edges("observe", _after_observe, ["reflect", END])
    graph.add_edge("reflect", END)
    saver = open_checkpointer(brain) if checkpointer is None else (checkpointer or None)
    compiled = graph.compile(checkpointer=saver)
    if checkpointer is None:
        weakref.finalize(compiled, saver.conn.close)
    compiled.zenbrain_llm = model  # type: ignore[attr-defined]  # lets the chat UI tell the mode
    return compiled
