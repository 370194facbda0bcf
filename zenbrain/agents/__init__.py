"""LangGraph integration: the chat agent (`build_graph`), its nodes, and `ZenBrainStore`.

Imports only the public `zenbrain` API. `langgraph` and `langchain-core` are core dependencies;
`langchain` (for "provider:model" strings) is optional and imported only when used.
"""

from zenbrain.agents.graph import CHECKPOINT_FILE, build_graph, open_checkpointer, thread_config
from zenbrain.agents.llm import LLMUnavailableError, resolve_llm
from zenbrain.agents.nodes import (
    NO_MODEL_NOTICE,
    AgentState,
    assemble_node,
    generate_node,
    is_correction,
    observe_node,
    recall_node,
    reconsolidate_node,
    reflect_node,
    retrieval_only_answer,
)
from zenbrain.agents.store import ZenBrainStore

__all__ = [
    "CHECKPOINT_FILE", "NO_MODEL_NOTICE", "AgentState", "LLMUnavailableError", "ZenBrainStore",
    "assemble_node", "build_graph", "generate_node", "is_correction", "observe_node",
    "open_checkpointer", "recall_node", "reconsolidate_node", "reflect_node", "resolve_llm",
    "retrieval_only_answer", "thread_config",
]
