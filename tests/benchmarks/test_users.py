"""The many-users benchmark end to end on a tiny brain (10 users × 10 memories, hash vectors):
the build, the probe in a fresh process, the section and the results file."""

from __future__ import annotations

import json

import pytest

from benchmarks.__main__ import _parser, main
from benchmarks.speed import _Replay
from zenbrain.embeddings import HashEmbedder

pytestmark = pytest.mark.slow


def test_replay_returns_pool_vectors_and_encodes_the_rest():
    inner = HashEmbedder()
    pool = {"a cached text": inner.embed(["something else entirely"])[0]}
    replay = _Replay(inner, pool)
    got = replay.embed(["a cached text", "a new text"])
    assert replay.name == inner.name and replay.dim == inner.dim
    assert (got[0] == pool["a cached text"]).all()
    assert (got[1] == inner.embed(["a new text"])[0]).all()
    assert (replay.replayed, replay.encoded) == (1, 1)


def test_registered_with_the_benchmark_runner():
    assert _parser().parse_args(["run", "users", "--quick"]).what == "users"


def test_harness_end_to_end_on_ten_users(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "users", "--quick", "--tier", "10", "--per-user", "10", "--doc", str(doc)],
              embedder=HashEmbedder())
    assert rc == 0
    (r,) = json.loads((tmp_path / "results" / "users.json").read_text())
    assert r["users"] == 10 and r["memories"] == 100 and r["collections"] == 10
    assert r["queries"] == 10 and r["recall_cold_s"]["n"] == 10 and r["recall_warm_s"]["n"] == 10
    assert r["open"]["total_s"] > 0 and r["rss_queried_mb"] > 0 and r["chroma_files"] > 0
    assert len(r["build_curve"]) == 10
    text = doc.read_text()
    assert "<!-- BEGIN users -->" in text
    assert "## Many users: one brain, thousands of tenants" in text and "| 10 | 100 |" in text
