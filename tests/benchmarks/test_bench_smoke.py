"""The benchmark harness end to end on a tiny subset, so it cannot rot: quality (every in-venv
system on the first turns of one LoCoMo conversation), speed (a 100-memory tier) and long horizon
(one thinned user), writing a throwaway BENCHMARKS.md, results and plots under tmp_path."""

from __future__ import annotations

import json

import pytest

from benchmarks import locomo
from benchmarks.__main__ import main
from benchmarks.quality import mrr, score
from benchmarks.speed import parse_tiers, pct

pytestmark = pytest.mark.slow


def test_scoring_by_hand():
    got = [{"D1:1"}, {"D1:2", "D1:3"}, {"D2:1"}]
    assert mrr(["D1:3"], got) == 0.5
    assert mrr(["D9:9"], got) == 0.0
    s = score(["D1:3", "D2:1"], got)
    assert s[0] == 0.0 and s[1] == 0.5 and s[2] == 1.0 and s[9] == 1.0 and s[10] == 0.5
    assert pct([3.0, 1.0, 2.0, 4.0], 50) == 2.0 and pct([1.0, 2.0], 99) == 2.0
    assert parse_tiers("1k, 10k,250") == (1000, 10000, 250)


@pytest.mark.skipif(not locomo.data_path().exists(), reason="LoCoMo data (../shared/data) absent")
def test_quick_harness_on_a_tiny_subset(tmp_path, minilm):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "all", "--conversations", "conv-30", "--max-turns", "60",
               "--max-questions", "4", "--no-mem0", "--tier", "100", "--queries", "5",
               "--batch", "50", "--inline", "--users", "1", "--density", "0.15",
               "--user-tier", "10", "--per-user", "4", "--no-servers", "--repeats", "1",
               "--doc", str(doc), "--img", str(tmp_path / "img")],
              embedder=minilm)
    assert rc == 0
    text = doc.read_text()
    assert "<!-- BEGIN quality -->" in text and "<!-- BEGIN speed -->" in text
    assert "<!-- BEGIN longhorizon -->" in text
    assert "<!-- BEGIN users -->" in text and "<!-- BEGIN startup -->" in text
    assert "| ZenBrain + sleep |" in text and "mem0 skipped" in text
    quality = json.loads((tmp_path / "results" / "quality.json").read_text())
    assert set(quality["systems"]) == {"flat", "bm25", "hybrid", "zenbrain", "zenbrain+sleep"}
    for system in quality["systems"].values():
        recall = system["overall"]["recall"]
        assert system["overall"]["n"] == 4
        assert all(0 <= a <= b <= 1 for a, b in zip(recall, recall[1:], strict=False))
    (speed,) = json.loads((tmp_path / "results" / "speed.json").read_text())
    assert speed["n"] == 100 and speed["device"] == "cpu"
    assert speed["ingest_per_s"] > 0 and speed["recall_s"]["p50"] > 0
    assert speed["open_s"] < 60 and speed["disk_mb"] > 0
    assert {p.name for p in (tmp_path / "img").iterdir()} == {
        "recall_at_k.png", "latency_vs_memories.png", "ingest_throughput.png"}
