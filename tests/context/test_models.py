"""The records of `Brain.context`: argument checks and the JSON round trip."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from zenbrain import Context, ContextItem, InvalidInputError
from zenbrain.context import DEFAULT_BUDGET_TOKENS, MAX_BUDGET_TOKENS, ContextRequest


def test_request_defaults_and_limits():
    req = ContextRequest.checked(query="q", user_id="u")
    assert req.budget_tokens == DEFAULT_BUDGET_TOKENS == 1000
    assert ContextRequest.checked(query="q", user_id="u", budget_tokens=1).budget_tokens == 1
    assert ContextRequest.checked(query="q", user_id="u",
                                  budget_tokens=MAX_BUDGET_TOKENS).budget_tokens == 32_000


@pytest.mark.parametrize(("values", "message"), [
    ({"budget_tokens": 0}, "budget_tokens is 0: input should be greater than 0 (a whole number "
                           "from 1 to 32,000; tokens are estimated as UTF-8 bytes / 4)"),
    ({"budget_tokens": 10**6}, "budget_tokens is 1000000: input should be less than or equal to 32000"),
    ({"budget_tokens": False}, "budget_tokens is False: input should be a valid integer"),
    ({"query": " \n"}, "query is ' \\n': value error, must not be empty or blank"),
    ({"user_id": 7}, "user_id is 7: input should be a valid string"),
])
def test_request_errors_name_the_argument_the_value_and_the_limit(values, message):
    with pytest.raises(InvalidInputError) as err:
        ContextRequest.checked(**{"query": "q", "user_id": "u", **values})
    assert str(err.value).startswith(message)


def test_context_round_trips_through_json():
    item = ContextItem(id="mem_1", handle="1", role="evidence", rank=1, score=0.5, date="2026-01-02",
                       speaker="user", layer="episodic", kind="preference", text="Loves tuna",
                       line='- 2026-01-02 user [1]: """Loves tuna"""', tokens=14,
                       explain=["vector similarity 0.65 (rank 1)"])
    ctx = Context(query="q", user_id="u", namespace="default",
                  at=datetime(2026, 1, 3, tzinfo=UTC), budget_tokens=100, tokens_used=14,
                  token_rule="ceil(UTF-8 bytes / 4)", text=item.line, prefix="", evidence=item.line,
                  items=[item], memory_ids=["mem_1"], citations={"1": "mem_1"})
    assert Context.model_validate_json(ctx.model_dump_json()) == ctx
    with pytest.raises(ValueError):
        ctx.tokens_used = 3  # frozen
