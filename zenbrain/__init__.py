"""ZenBrain: brain-like long-term memory for AI agents — seven layers, sleep, forgetting.

`Brain` is the entry object. Heavy parts (torch, sentence-transformers, chromadb) load lazily,
so `import zenbrain` is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenbrain.clock import Clock, FixedClock, SystemClock
from zenbrain.config import BrainConfig
from zenbrain.context.handles import CitationHandles, cited_ids
from zenbrain.context.models import MAX_BUDGET_TOKENS, Context, ContextItem
from zenbrain.context.tokens import estimate_tokens
from zenbrain.errors import (
    BrainClosedError,
    BrainInUseError,
    EmbeddingModelMismatchError,
    InvalidInputError,
    MemoryNotFoundError,
    StorageError,
    ZenBrainError,
)
from zenbrain.extract.instructions import instruction_signals
from zenbrain.models import Kind, Layer, Memory, Recollection, SleepReport
from zenbrain.trust import is_promotable, is_untrusted, quote_as_data, trust_reasons

if TYPE_CHECKING:
    from zenbrain.brain import Brain
    from zenbrain.embeddings import Embedder, HashEmbedder

__version__ = "0.1.0"

__all__ = [
    "MAX_BUDGET_TOKENS", "Brain", "BrainClosedError", "BrainConfig", "BrainInUseError",
    "CitationHandles", "Clock", "Context",
    "ContextItem", "Embedder", "EmbeddingModelMismatchError", "FixedClock", "HashEmbedder", "InvalidInputError", "Kind", "Layer",
    "Memory", "MemoryNotFoundError", "Recollection", "SleepReport", "StorageError", "SystemClock",
    "ZenBrainError", "__version__", "availability", "cited_ids", "estimate_tokens", "instruction_signals",
    "is_promotable", "is_untrusted", "quote_as_data", "trust_reasons",
]


def __getattr__(name: str) -> Any:
    if name == "Brain":
        from zenbrain.brain import Brain

        return Brain
    if name == "availability":  # how strongly a memory is available at an instant (notebooks)
        from zenbrain.layers.dynamics import availability

        return availability
    if name in ("Embedder", "HashEmbedder"):
        from zenbrain import embeddings

        return getattr(embeddings, name)
    raise AttributeError(f"module 'zenbrain' has no attribute {name!r}")
