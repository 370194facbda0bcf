"""The LoCoMo recall harness on a tiny slice (one conversation, ~60 turns), so it cannot rot.

Skips when the LoCoMo data file (../shared/data) is absent.
"""

from __future__ import annotations

import dataclasses

import pytest

from benchmarks import locomo
from benchmarks.locomo_recall import CachingEmbedder, Result, report, run_conversation


@pytest.mark.slow
def test_harness_runs_every_system_on_a_slice(minilm):
    path = locomo.data_path()
    if not path.exists():
        pytest.skip(f"LoCoMo data not found at {path}")
    conv = locomo.load(path)[0]
    turns = conv.turns[:60]
    known = {t.dia_id for t in turns}
    questions = tuple(q for q in conv.questions if set(q.evidence) <= known)[:12]
    tiny = dataclasses.replace(conv, turns=turns, questions=questions)
    result = Result()
    run_conversation(tiny, CachingEmbedder(minilm), result, max_questions=12)
    assert result.conversations == [conv.sample_id] and result.turns == 60
    for system in ("flat", "bm25", "hybrid", "zenbrain"):
        asked = sum(len(v[10]) for v in result.scores[system].values())
        assert asked == len(questions) > 0
    zen, _ = result.mean("zenbrain", 10, [1, 2, 3, 4, 5])
    assert 0.0 < zen <= 1.0  # comparisons need the full run; 12 questions are too few
    assert result.latency["zenbrain"] and result.latency["flat"]
    assert "| zenbrain |" in report(result, "smoke")
