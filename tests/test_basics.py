"""Clock, ids, config and embedders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from zenbrain import BrainConfig, FixedClock, InvalidInputError
from zenbrain.clock import to_utc, utc_iso
from zenbrain.config import load_config
from zenbrain.embeddings import HashEmbedder, make_embedder
from zenbrain.ids import new_id


def test_to_utc_rules():
    assert to_utc(datetime(2026, 1, 1, 9)) == datetime(2026, 1, 1, 9, tzinfo=UTC)
    plus2 = datetime(2026, 1, 1, 11, tzinfo=timezone(timedelta(hours=2)))
    assert to_utc(plus2) == datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert to_utc("2026-01-01T09:00:00Z") == datetime(2026, 1, 1, 9, tzinfo=UTC)
    with pytest.raises(ValueError):
        to_utc("yesterday")


def test_utc_iso_sorts_like_time():
    a, b = datetime(2026, 1, 1, 9, tzinfo=UTC), datetime(2026, 1, 1, 9, 0, 0, 1, tzinfo=UTC)
    assert utc_iso(a) < utc_iso(b)


def test_fixed_clock_advances():
    clock = FixedClock("2026-01-01T00:00:00")
    assert clock.advance(days=30) == datetime(2026, 1, 31, tzinfo=UTC)


def test_ids_are_prefixed_unique_and_increasing():
    ids = [new_id("mem") for _ in range(2000)]
    assert all(i.startswith("mem_") and len(i) == 30 for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_config_precedence(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text('namespace = "fromtoml"\nmax_text_chars = 100\n')
    assert load_config(tmp_path).namespace == "fromtoml"
    monkeypatch.setenv("ZENBRAIN_NAMESPACE", "fromenv")
    cfg = load_config(tmp_path)
    assert (cfg.namespace, cfg.max_text_chars) == ("fromenv", 100)
    assert load_config(tmp_path, namespace="explicit").namespace == "explicit"
    with pytest.raises(ValueError):
        BrainConfig(max_text_chars=0)


def test_hash_embedder_is_deterministic_and_normalised():
    emb = HashEmbedder()
    a, b = emb.embed(["the cat sat", "the cat sat"])
    assert np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1.0)


def test_minilm_is_offline_384d_normalised_and_meaningful(minilm):
    vecs = minilm.embed(["My cat loves tuna", "The kitten eats fish", "Quarterly tax filing"])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_unknown_embedder_is_a_clear_error():
    with pytest.raises(InvalidInputError, match="hub names are not downloaded"):
        make_embedder("sentence-transformers/all-mpnet-base-v2")
