"""The context-budget benchmark: greedy filling and evidence scoring by hand, the verdict lines on a
made-up summary, and the harness end to end on a few LoCoMo questions and one thinned long-horizon
user (skipped without the LoCoMo file; engram is reported as skipped without its venv)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from benchmarks import context_budget as cb
from benchmarks import locomo
from benchmarks.__main__ import main
from benchmarks.systems import engram


def test_fill_takes_items_in_rank_order_and_skips_what_does_not_fit():
    # budget 10: 4 fits (4), 7 does not (11), 3 fits (7), 3 fits (10), 1 does not (11)
    assert cb.fill([4, 7, 3, 3, 1], 10) == [0, 2, 3]
    assert cb.fill([11, 2], 10) == [1]  # a first item too big does not block the rest
    assert cb.fill([5, 5], 10) == [0, 1]  # exactly full
    assert cb.fill([], 10) == [] and cb.fill([1], 0) == []


def test_line_and_its_cost_in_bytes():
    at = datetime(2023, 5, 8, 13, 56, tzinfo=UTC)
    assert cb.line(at, "Caroline", "Hi!") == "- 2023-05-08 Caroline: Hi!"
    assert cb.line_cost("abc") == 4  # 3 bytes + the newline
    assert cb.line_cost("café") == 6  # é is 2 bytes in UTF-8


def test_evidence_within_counts_each_evidence_turn_once():
    assert cb.evidence_within(["D1:1", "D1:2"], [{"D1:1"}, {"D1:1", "D3:3"}]) == 0.5
    assert cb.evidence_within(["D1:1", "D1:2"], [{"D1:2", "D1:1"}]) == 1.0
    assert cb.evidence_within(["D1:1"], []) == 0.0


def test_pack_by_hand():
    items = [("a" * 11, {"D1:1"}),  # 12 bytes
             ("b" * 30, {"D1:2"}),  # 31: never fits 5 tokens (20 bytes)
             ("c" * 6, {"D1:3", "D1:4"})]  # 7: 12 + 7 = 19 ≤ 20
    held, tokens = cb.pack(items, 5)
    assert held == {"D1:1", "D1:3", "D1:4"}
    assert tokens == 5  # "a"*11 + "\n" + "c"*6 = 18 bytes → ⌈18 / 4⌉
    held, tokens = cb.pack(items, 2)  # 8 bytes: only the third
    assert held == {"D1:3", "D1:4"} and tokens == 2
    assert cb.evidence_within(["D1:2", "D1:3"], [held]) == 0.5


def test_lost_evidence_by_reason():
    left_out = {"no room": {"D1:2", "D1:3"}, "stale": {"D1:3"}, "other": {"D1:4"}}
    # D1:1 is held; D1:3 is stale first; D1:2 had no room; D1:4 another reason; D1:5 never found
    got = cb.lost_evidence(["D1:1", "D1:2", "D1:3", "D1:4", "D1:5"], {"D1:1"}, left_out)
    assert got == {"stale": 0.2, "no room": 0.2, "other": 0.2}
    assert cb.lost_evidence(["D1:1"], {"D1:1"}, left_out) == {}


def test_summarise_and_verdicts_on_a_made_up_run():
    col = cb.Collector()
    for system, share in (("flat", 0.5), ("zenbrain", 0.9), ("engram", 0.6)):
        for cat in (1, 3):
            col.add(system, f"q{cat}", cat, ["D1:1", "D1:2"],
                    {b: ({"D1:1", "D1:2"} if share > 0.8 else {"D1:1"}, b - 10)
                     for b in cb.BUDGETS})
    sy = cb.summarise(col.rows, categories=True)
    assert sy["flat"]["overall"]["2000"] == {"evidence": 0.5, "tokens_p50": 1990, "n": 2}
    assert sy["zenbrain"]["1"]["500"]["evidence"] == 1.0 and sy["zenbrain"]["2"]["500"]["n"] == 0
    lines = cb.verdicts({"locomo": {"systems": sy}, "longhorizon": {"systems": {
        k: {"overall": v["overall"]} for k, v in sy.items()}}})
    assert len(lines) == 4 and all("met" in x and "not met" not in x for x in lines)
    col.check_prefix([("core", "core"), ("", "")])
    col.check_prefix([("a", "b")])
    assert cb._cache(col) == {"identical": 1, "total": 2, "with_prefix": 2,
                              "prefix_tokens_p50": 1}


@pytest.mark.slow
@pytest.mark.skipif(not locomo.data_path().exists(), reason="LoCoMo data (../shared/data) absent")
def test_harness_on_a_tiny_subset(tmp_path, minilm):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "context", "--conversations", "conv-30", "--max-turns", "60",
               "--max-questions", "3", "--no-mem0", "--users", "1", "--density", "0.15",
               "--doc", str(doc)], embedder=minilm)
    assert rc == 0
    text = doc.read_text()
    assert "<!-- BEGIN context -->" in text and "Acceptance (issue 16)" in text
    assert "mem0 skipped (--no-mem0)" in text
    result = json.loads((tmp_path / "results" / "context.json").read_text())
    has_engram = engram.available()[0]
    if not has_engram:
        assert "engram skipped" in text
    expected = {"flat", "bm25", "hybrid", "zenbrain", "zenbrain-recall"} | (
        {"engram"} if has_engram else set())
    for part in ("locomo", "longhorizon"):
        systems = result[part]["systems"]
        assert set(systems) == expected
        for cells in systems.values():
            for b in cb.BUDGETS:
                assert 0 <= cells["overall"][str(b)]["evidence"] <= 1
                assert cells["overall"][str(b)]["tokens_p50"] <= b
        assert result[part]["cache"]["identical"] == result[part]["cache"]["total"] == 1
    assert result["locomo"]["systems"]["flat"]["overall"]["500"]["n"] == 3
