"""Bad input gets a clear `ZenBrainError`/`ValueError` and writes nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import day

from zenbrain import InvalidInputError, ZenBrainError


def _count(brain) -> int:
    return brain._store.scalar("SELECT COUNT(*) FROM memories")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n\t"}, "empty"),
        ({"text": "x" * 32_001}, "32,001 characters; the limit is 32,000"),
        ({"text": 42}, "must be a string"),
        ({"text": None}, "must be a string"),
        ({"text": "ok", "layer": "limbic"}, "unknown layer 'limbic'"),
        ({"text": "ok", "user_id": ""}, "user_id must be a non-empty string"),
        ({"text": "ok", "user_id": "  "}, "user_id must be a non-empty string"),
        ({"text": "ok", "user_id": 7}, "user_id must be a non-empty string"),
        ({"text": "ok", "user_id": "a\nb"}, "control characters"),
        ({"text": "ok", "metadata": {"when": datetime(2026, 1, 1)}}, "not JSON-serialisable"),
        ({"text": "ok", "metadata": {"x": float("nan")}}, "not JSON-serialisable"),
        ({"text": "ok", "metadata": ["a"]}, "metadata must be a dict"),
        ({"text": "ok", "metadata": {"zb_x": 1}}, "reserved"),
        ({"text": "ok", "metadata": {"kind": "dream"}}, "unknown kind"),
        ({"text": "ok", "at": "last tuesday-ish"}, "ISO-8601"),
        ({"text": "ok", "at": 12345}, "expected a datetime"),
        ({"text": "ok", "session_id": ""}, "session_id"),
    ],
)
def test_remember_rejects_bad_input_and_writes_nothing(brain, kwargs, message):
    args = {"user_id": "u1", **kwargs}
    text = args.pop("text")
    with pytest.raises(InvalidInputError, match=message) as info:
        brain.remember(text, **args)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ZenBrainError)
    assert _count(brain) == 0


@pytest.mark.parametrize(("k", "message"), [(0, "at least 1"), (-3, "at least 1"),
                                            (10**6, "the limit is 1,000"), (2.5, "integer"),
                                            (True, "integer")])
def test_recall_rejects_bad_k(brain, k, message):
    with pytest.raises(InvalidInputError, match=message):
        brain.recall("anything", user_id="u1", k=k)


def test_recall_rejects_bad_query_user_and_layers(brain):
    with pytest.raises(InvalidInputError, match="query is empty"):
        brain.recall("  ", user_id="u1")
    with pytest.raises(InvalidInputError, match="user_id"):
        brain.recall("q", user_id=None)
    with pytest.raises(InvalidInputError, match="unknown layer"):
        brain.recall("q", user_id="u1", layers=["semantic", "dreams"])


def test_naive_datetime_means_utc(brain):
    naive = brain.remember("naive time note", user_id="u1", at=datetime(2026, 1, 1, 9, 0))
    aware = brain.remember("aware time note", user_id="u1", at=day(0))
    assert naive.created_at == aware.created_at
    assert naive.created_at.utcoffset().total_seconds() == 0


def test_iso_string_times_are_accepted(brain):
    mem = brain.remember("string time note", user_id="u1", at="2026-01-01T10:00:00+01:00")
    assert mem.created_at == day(0)


def test_remember_many_validates_every_item_before_writing(brain):
    with pytest.raises(InvalidInputError, match="item 2: text is empty"):
        brain.remember_many(["good one", "good two", "", "good four"], user_id="u1")
    with pytest.raises(InvalidInputError, match="item 0: unknown keys"):
        brain.remember_many([{"text": "x", "colour": "red"}], user_id="u1")
    assert _count(brain) == 0


def test_observe_rejects_bad_messages_and_writes_nothing(brain):
    with pytest.raises(InvalidInputError, match="unknown role"):
        brain.observe([{"role": "user", "content": "fine"}, {"role": "robot", "content": "x"}],
                      user_id="u1")
    with pytest.raises(InvalidInputError, match="message 0 content is empty"):
        brain.observe([{"role": "user", "content": ""}], user_id="u1")
    with pytest.raises(InvalidInputError, match="list of message"):
        brain.observe({"role": "user", "content": "hi"}, user_id="u1")
    assert _count(brain) == 0


def test_core_block_limits(brain):
    with pytest.raises(InvalidInputError, match="limit is 2,000"):
        brain.remember("y" * 2_001, user_id="u1", layer="core")
    for i in range(20):
        brain.remember(f"Rule {i}: be kind in way {i}", user_id="u1", layer="core",
                       metadata={"block": f"b{i}"})
    with pytest.raises(InvalidInputError, match="20 core blocks"):
        brain.remember("one block too many", user_id="u1", layer="core", metadata={"block": "b20"})
    # updating an existing block is still fine
    brain.remember("Rule 3 updated", user_id="u1", layer="core", metadata={"block": "b3"})
    assert brain.stats("u1")["layers"]["core"] == {"active": 20, "archived": 0, "superseded": 1}


def test_configured_text_limit(tmp_path, clock, minilm):
    from zenbrain import Brain, BrainConfig

    with Brain(tmp_path / "b", config=BrainConfig(max_text_chars=10), clock=clock,
               embedder=minilm) as b, pytest.raises(InvalidInputError, match="limit is 10"):
        b.remember("eleven chars", user_id="u1")
