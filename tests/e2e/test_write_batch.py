"""The write path's batch shortcuts keep results identical to writing one by one (issue 6)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from helpers import day

from zenbrain import Brain
from zenbrain.config import load_config

OLD = ["Bob prefers coffee in the morning", "Alice prefers jazz music when she cooks",
       "Carol prefers hiking trails near the lake", "Dave prefers reading novels before bed"]
NEW = ["Bob prefers green tea in the morning", "Alice prefers classical music when she bakes",
       "Carol prefers cycling trails near the river", "Dave prefers writing poems before bed"]


class _Counting:
    """The real model, counting how many texts each encoder call gets."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim, self.calls = inner, inner.name, inner.dim, []

    def embed(self, texts):
        self.calls.append(len(texts))
        return self.inner.embed(texts)


def test_merged_versions_of_a_batch_get_their_own_vectors_from_one_encoder_call(
        tmp_path, clock, minilm):
    emb = _Counting(minilm)
    home = tmp_path / "brain"
    with Brain(home, clock=clock, embedder=emb,
               config=load_config(home, exact_scan_max=0)) as brain:  # u1 in the index
        olds = brain.remember_many(OLD, user_id="u1", at=day(0))
        for text in OLD:  # a recall makes each one labile, so an integration passes the gate
            brain.recall(text, user_id="u1", at=day(0) + timedelta(minutes=1))
        emb.calls.clear()
        news = brain.remember_many(NEW, user_id="u1", at=day(0) + timedelta(minutes=2))

        assert [m.supersedes for m in news] == [m.id for m in olds]
        assert all(m.version == 2 and " \u2014 update: " in m.text for m in news)
        assert emb.calls == [4, 4]  # the drafts, then every merged text at once
        stored = brain._store.vectors([m.id for m in news])
        alone = np.stack([minilm.embed([m.text])[0] for m in news])
        for m, single in zip(news, alone, strict=True):
            assert float(stored[m.id] @ single) > 0.9999  # same vector as encoding it alone
        # the vector index carries the merged vectors too: each version finds itself first
        for m, single in zip(news, alone, strict=True):
            assert brain._index.query("u1", single, 1)[0].memory_id == m.id
        assert [m.id for m in brain.history(news[0].id)] == [olds[0].id, news[0].id]
