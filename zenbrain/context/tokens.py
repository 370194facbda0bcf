"""The token estimate of a context: one token per 4 bytes of UTF-8, rounded up.

Why a rule and not a tokenizer: counting must not load a model, and every provider tokenises
differently anyway. Four characters a token is the usual figure for English with GPT-style and
SentencePiece tokenizers; counting UTF-8 *bytes* rather than characters keeps that figure for
ASCII text and counts more tokens for accented, Cyrillic or CJK text (2–4 bytes a character),
where real tokenizers also spend more tokens per character — so the estimate errs on the safe
side there. Leave some headroom when a provider's limit is hard.

Packing measures in bytes (`size`) and converts once (`estimate_tokens`), so a context of at
most `budget_bytes(n)` bytes is always estimated at no more than `n` tokens.
"""

from __future__ import annotations

__all__ = ["BYTES_PER_TOKEN", "TOKEN_RULE", "budget_bytes", "estimate_tokens", "size"]

BYTES_PER_TOKEN = 4
TOKEN_RULE = "ceil(UTF-8 bytes / 4)"


def size(text: str) -> int:
    """The UTF-8 length of `text` in bytes (what the budget is spent in)."""
    return len(text.encode("utf-8"))


def estimate_tokens(text: str) -> int:
    """Estimated tokens of `text`: ⌈bytes / 4⌉ ("abcd" → 1, "abcde" → 2, "" → 0)."""
    return -(-size(text) // BYTES_PER_TOKEN)


def budget_bytes(tokens: int) -> int:
    """The bytes a budget of `tokens` allows (4 per token)."""
    return tokens * BYTES_PER_TOKEN
