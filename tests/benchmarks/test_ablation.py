"""The ablation benchmark: variants derived from DEFAULT, the paper-figure helpers on hand-computed
values, and a tiny end-to-end run (skipped without the LoCoMo file)."""

from __future__ import annotations

import json
import math
from dataclasses import fields

import pytest

from benchmarks import ablation, locomo
from benchmarks.__main__ import _parser
from zenbrain.consolidation import replay
from zenbrain.recall.recipes import DEFAULT, SPEC_LITERAL, VECTOR_ONLY


def _differing(a, b) -> set[str]:
    return {f.name for f in fields(a) if getattr(a, f.name) != getattr(b, f.name)}


def test_each_recall_variant_changes_only_the_field_it_names():
    variants = ablation.recall_variants()
    assert variants[0].name == "default" and variants[0].recipe == DEFAULT
    assert len({v.name for v in variants}) == len(variants)
    for v in variants[1:]:
        if v.field is None:
            assert v.recipe in (SPEC_LITERAL, VECTOR_ONLY)
        else:
            assert _differing(v.recipe, DEFAULT) == {v.field}, v.name
    routes = {v.name: set(v.recipe.routes) for v in variants if v.field == "routes"}
    assert routes["− keyword route (FTS5 BM25)"] == set(DEFAULT.routes) - {"keyword"}
    assert routes["+ Hopfield route (SPEC)"] == set(DEFAULT.routes) | {"hopfield"}


def test_each_sleep_variant_changes_one_part():
    base, *rest = ablation.sleep_variants()
    assert base == ablation.SleepVariant("default sleep")
    for v in rest:
        changed = [p for p in ("sleep", "forget", "cluster", "recipe")
                   if getattr(v, p) != getattr(base, p)]
        assert len(changed) == 1, v.name
    tag = next(v for v in rest if "absolute TAG" in v.name)
    assert tag.sleep.strengthen_quantile == 1.0


def test_replay_params_are_bound_only_inside_the_block():
    original = replay.select
    (tag,) = [v for v in ablation.sleep_variants() if "absolute TAG" in v.name]
    with ablation._replay_params(tag.sleep):
        assert replay.select.keywords == {"params": tag.sleep}
    assert replay.select is original


def test_ndcg_by_hand():
    assert ablation.ndcg_at([3, 2, 0]) == 1.0
    # [0, 3]: DCG = 7 / log2(3); ideal [3, 0]: 7 / log2(2) = 7
    assert ablation.ndcg_at([0, 3], k=2) == pytest.approx(1 / math.log2(3))
    assert ablation.ndcg_at([1], k=1, all_gains=[1, 3]) == pytest.approx(1 / 7)
    assert ablation.ndcg_at([0, 0]) == 0.0


def test_triple_copy_s30_by_hand():
    got = ablation.triple_copy_s30()
    # G is linear in s0 below 1, so the mean over U[0.8, 1] is 0.9·tanh(30/7)
    assert got["deep"] == pytest.approx(0.9 * math.tanh(30 / 7), abs=1e-9)
    assert got["deep"] == pytest.approx(0.8997, abs=1e-4)
    assert got["deep_exp"] == pytest.approx(0.9 * (1 - math.exp(-30 / 7)), abs=1e-9)
    assert got["availability"] == pytest.approx(got["deep"])  # F and M have faded by day 30
    # SPEC §4.2.3: G(t_deep + 7 d) = 0.762 for s0 = 1
    assert ablation.triple_copy_s30(7, lo=1.0, hi=1.0)["deep"] == pytest.approx(0.762, abs=1e-3)


def test_mulberry32_and_the_papers_protocols():
    assert next(ablation.mulberry32(42)) == pytest.approx(0.6011037519, abs=1e-9)
    # the paper's ten seeded s0 average 0.9116; G(30 d) = s0·tanh(30/7) ≈ s0
    assert ablation.triple_copy_s30()["paper_seeds"] == pytest.approx(0.912, abs=5e-4)
    got = ablation.priority_ndcg_paper()
    assert got["ndcg"] == pytest.approx(0.997, abs=5e-4) and got["chronological"] < 0.8
    assert ablation.ndcg_at([0.5, 1.0], k=2, linear=True) == pytest.approx(
        (0.5 + 1 / math.log2(3)) / (1.0 + 0.5 / math.log2(3)))


def test_priority_ndcg_runs_on_the_write_path():
    from zenbrain.embeddings import make_embedder

    got = ablation.priority_ndcg(make_embedder("hash"), users=2)
    assert got["users"] == 2 and got["per_user"] == sum(got["counts"].values())
    assert 0.0 <= got["min"] <= got["ndcg"] <= 1.0 and 0.0 <= got["random"] <= 1.0


def test_registered_with_the_benchmark_runner():
    assert _parser().parse_args(["run", "ablation", "--quick"]).what == "ablation"


@pytest.mark.slow
@pytest.mark.skipif(not locomo.data_path().exists(), reason="LoCoMo data (../shared/data) absent")
def test_tiny_end_to_end(tmp_path, minilm):
    doc = tmp_path / "BENCHMARKS.md"
    summary = ablation.run(conversations=["conv-30"], max_turns=60, max_questions=3,
                           sleep_conversations=1, embedder=minilm, doc=doc, command="test",
                           priority_users=1)
    assert summary is not None
    (conv,) = summary["conversations"]
    assert set(conv["recall"]) == {v.name for v in ablation.recall_variants()}
    assert set(conv["sleep"]) == {v.name for v in ablation.sleep_variants()}
    assert all(len(v) == conv["questions"] for v in conv["recall"].values())
    assert all(0 <= x <= 1 for v in conv["recall"].values() for x in v)
    text = doc.read_text()
    assert "<!-- BEGIN ablation -->" in text and "| **default** |" in text
    assert "| default sleep |" in text
    assert json.loads((tmp_path / "results" / "ablation.json").read_text())["quick"] is False
