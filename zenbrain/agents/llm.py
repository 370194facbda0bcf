"""Resolving the agent's chat model: a LangChain chat model, a "provider:model" string, or none.

A string is resolved with LangChain's `init_chat_model` (the optional `langchain` package, imported
only here and only when a string is given). `None` falls back to `$ZENBRAIN_LLM` and then to the
brain's `config.llm`; when nothing is configured the agent runs in retrieval-only mode.
"""

from __future__ import annotations

import os
from typing import Any

from zenbrain import InvalidInputError, ZenBrainError

__all__ = ["LLMUnavailableError", "resolve_llm"]


class LLMUnavailableError(ZenBrainError):
    """A chat model was asked for but cannot be built (missing package or provider)."""


def resolve_llm(llm: Any = None, *, configured: str | None = None) -> Any | None:
    """The chat model to use, or `None` for retrieval-only mode.

    Args:
        llm: a LangChain `BaseChatModel` (used as is), a "provider:model" string, or None.
        configured: the brain's `config.llm`, used when `llm` and `$ZENBRAIN_LLM` are unset.

    Raises:
        InvalidInputError: `llm` is neither a chat model nor a string.
        LLMUnavailableError: a string was given but `langchain` or the provider package is missing.
    """
    if llm is None:
        llm = os.environ.get("ZENBRAIN_LLM") or configured
    if llm is None or llm == "" or (isinstance(llm, str) and llm.lower() in ("none", "off")):
        return None
    if isinstance(llm, str):
        return _init_chat_model(llm)
    if not hasattr(llm, "invoke"):
        raise InvalidInputError(
            f"llm must be a LangChain chat model or a 'provider:model' string, got {type(llm).__name__}")
    return llm


def _init_chat_model(spec: str) -> Any:
    if ":" not in spec:
        raise InvalidInputError(
            f"model {spec!r} must look like 'provider:model', e.g. 'openai:gpt-4o-mini' or "
            "'ollama:llama3.1'")
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise LLMUnavailableError(
            f"model {spec!r} needs the 'langchain' package for init_chat_model; install it with "
            "`pip install 'zenbrain[llm]'` (plus the provider package, e.g. langchain-openai), "
            "or run without a model (retrieval-only mode)") from exc
    try:
        return init_chat_model(spec)
    except ImportError as exc:
        raise LLMUnavailableError(
            f"model {spec!r}: the provider package is missing ({exc}); install it, e.g. "
            "`pip install langchain-openai` for 'openai:…'") from exc
    except ValueError as exc:
        raise LLMUnavailableError(f"model {spec!r} could not be created: {exc}") from exc
