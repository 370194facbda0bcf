"""The token rule: ⌈UTF-8 bytes / 4⌉, worked out by hand."""

from __future__ import annotations

import pytest

from zenbrain.context.tokens import TOKEN_RULE, budget_bytes, estimate_tokens, size


@pytest.mark.parametrize(("text", "tokens"), [
    ("", 0),
    ("abcd", 1),          # 4 bytes
    ("abcde", 2),         # 5 bytes → ⌈1.25⌉
    ("é", 1),             # 2 bytes
    ("日本語", 3),         # 3 × 3 bytes = 9 → ⌈2.25⌉
    ("…", 1),             # the ellipsis a cut adds is 3 bytes
    ("My cat Luna loves tuna", 6),  # 22 bytes → ⌈5.5⌉
])
def test_estimate_tokens(text, tokens):
    assert estimate_tokens(text) == tokens


def test_bytes_and_budget_agree():
    assert size("日本語") == 9 and budget_bytes(250) == 1000
    # Whatever fits in budget_bytes(n) bytes is estimated at n tokens at most.
    assert estimate_tokens("x" * budget_bytes(7)) == 7
    assert estimate_tokens("x" * (budget_bytes(7) + 1)) == 8
    assert "4" in TOKEN_RULE and "UTF-8" in TOKEN_RULE
