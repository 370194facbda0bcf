"""Context: the memory block an agent pastes into its prompt, packed within a token budget.

`Brain.context(query, user_id=..., budget_tokens=...)` returns a `Context`: a stable prefix
(core blocks, standing preferences; cacheable by the LLM provider) and the query's evidence,
each line dated, with its speaker and a short citation `[handle]`. Modules: `models` (the
records), `tokens` (the estimate), `handles` (citation handles and the way back to ids), `text` and `turns` (pure selection rules), `packing` (the pure packer), `build`
(the glue to the store).
"""

from zenbrain.context.handles import CitationHandles, cited_ids
from zenbrain.context.models import (
    DEFAULT_BUDGET_TOKENS,
    MAX_BUDGET_TOKENS,
    Context,
    ContextItem,
    ContextRequest,
)
from zenbrain.context.tokens import TOKEN_RULE, estimate_tokens

__all__ = ["DEFAULT_BUDGET_TOKENS", "MAX_BUDGET_TOKENS", "TOKEN_RULE", "CitationHandles", "Context",
           "ContextItem", "ContextRequest", "cited_ids", "estimate_tokens"]
