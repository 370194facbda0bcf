"""Candidate channels of recall. This module: the dense-vector channel.

The vector channel asks the user's Chroma collection without a metadata filter (fast; see
`zenbrain.store.chroma`) and adds what Chroma cannot know yet: rows still in the outbox
(`index_pending`) and cross-context memories other users shared on purpose, both scored exactly
from the embeddings kept in SQLite. A candidate with sentence vectors (a multi-sentence memory,
`extract.passages`) is scored by `fusion.passage_similarity`: its whole text's cosine lifted
halfway towards its best sentence's.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from zenbrain.algorithms.fusion import passage_similarity
from zenbrain.store.chroma import ChromaIndex
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["vector_candidates"]


def _exact(store: SQLiteStore, ids: Iterable[str], qvec: np.ndarray) -> dict[str, float]:
    vecs = store.vectors(list(ids))
    return {mid: float(v @ qvec) for mid, v in vecs.items() if v.shape == qvec.shape}


def vector_candidates(
    *, store: SQLiteStore, index: ChromaIndex, user_id: str, qvec: np.ndarray, n: int
) -> dict[str, float]:
    """memory id → cosine similarity for the user's best `n` vectors plus outbox/shared rows."""
    sims = {hit.memory_id: hit.similarity for hit in index.query(user_id, qvec, n)}
    pending = [r["id"] for r in store.rows(
        "SELECT id FROM memories WHERE user_id = ? AND index_pending = 1", (user_id,))]
    shared = [r["memory_id"] for r in store.rows(
        "SELECT memory_id FROM shares WHERE grantee = ?", (user_id,))]
    sims.update(_exact(store, pending + shared, qvec))
    for mid, mat in store.sentence_vectors(list(sims)).items():
        if mat.shape[1:] == qvec.shape:
            sims[mid] = passage_similarity(sims[mid], float(np.max(mat @ qvec)))
    return sims
