"""Candidate channels of recall. This module: the dense-vector channel.

A user with few memories (`BrainConfig.exact_scan_max`, 2,000) is searched exactly: every
vector of theirs read from the system of record and scored with one matrix product (~0.3 ms at
100 vectors, nothing loaded per user). Thousands of such users on one brain would otherwise each
load a Chroma collection on first query (~0.2–0.5 s, ~2.8 MB resident each; docs/BENCHMARKS.md,
many users); such a user has no collection at all (`zenbrain.store.placement`). Larger users
ask their Chroma collection without a metadata filter (fast; see `zenbrain.store.chroma`),
which cannot know yet the rows still in the outbox (`index_pending`).
Both add cross-context memories other users shared on purpose, and the outbox rows, scored
exactly from the embeddings kept in SQLite. A candidate with sentence vectors (a multi-sentence memory,
`extract.passages`) is scored by `fusion.passage_similarity`: its whole text's cosine lifted
halfway towards its best sentence's.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from zenbrain.algorithms.fusion import passage_similarity
from zenbrain.store.chroma import ChromaIndex
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["exact_top", "scans_exactly", "vector_candidates"]


def _exact(store: SQLiteStore, ids: Iterable[str], qvec: np.ndarray) -> dict[str, float]:
    vecs = store.vectors(list(ids))
    return {mid: float(v @ qvec) for mid, v in vecs.items() if v.shape == qvec.shape}


def scans_exactly(store: SQLiteStore, user_id: str, exact_scan_max: int) -> bool:
    """Whether the user's vector search is an exact scan rather than an index query."""
    return exact_scan_max > 0 and store.memory_count(user_id) <= exact_scan_max


def exact_top(store: SQLiteStore, user_id: str, qvec: np.ndarray, n: int) -> dict[str, float]:
    """The user's best `n` vectors by cosine, exactly (ties by id)."""
    ids, mat = store.user_vectors(user_id, int(qvec.shape[0]))
    if not ids:
        return {}
    sims = mat @ np.asarray(qvec, dtype=np.float32)
    best = sorted(zip(sims.tolist(), ids, strict=True), key=lambda x: (-x[0], x[1]))[:n]
    return {mid: sim for sim, mid in best}


def vector_candidates(
    *, store: SQLiteStore, index: ChromaIndex, user_id: str, qvec: np.ndarray, n: int,
    scan_exactly: bool = False,
) -> dict[str, float]:
    """memory id → cosine similarity for the user's best `n` vectors plus outbox/shared rows;
    `scan_exactly` (`scans_exactly`, decided once per recall) reads them from SQLite."""
    if scan_exactly:
        sims = exact_top(store, user_id, qvec, n)
    else:
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
