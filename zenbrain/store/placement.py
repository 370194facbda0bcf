"""Where a user's vectors live: in SQLite alone, or in SQLite and the vector index (issue 14).

SQLite's `embeddings` table holds every vector of every user. A user with at most
`BrainConfig.exact_scan_max` memories is served from it alone: recall and the write path's
neighbour query (novelty, reconsolidation) scan their vectors exactly, and no Chroma collection is
created for them. One collection per user cost 4 files, ~2.8 MB resident once loaded and a
175–550 ms cold load each (docs/BENCHMARKS.md, many users), for users an exact scan serves in
under a millisecond. A user above the threshold gets a collection, built in full from SQLite when
they cross it (`outbox.build_user`).

`vector_users` records the users whose collection is kept in step. Its row is written only once
their collection has been built in full, so a crash mid-build leaves no row and the next sync
builds it again from scratch; a collection without a row (an older layout, a user who was small
under this rule) is never trusted, and never read. A kept user who drops back below the threshold
keeps their row and collection (still kept in step), while recall scans them exactly.
`exact_scan_max = 0` puts every user with a memory in the index.
"""

from __future__ import annotations

import numpy as np

from zenbrain.store.chroma import VectorHit
from zenbrain.store.sqlite import SQLiteStore

__all__ = [
    "exact_neighbours",
    "in_index",
    "indexed_users",
    "mark_indexed",
    "needs_index",
    "unmark_indexed",
    "users_to_check",
]


def in_index(store: SQLiteStore, user_id: str) -> bool:
    """Whether the user's vectors are kept in the vector index (their collection was built)."""
    return store.scalar("SELECT 1 FROM vector_users WHERE user_id = ?", (user_id,)) is not None


def indexed_users(store: SQLiteStore) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT user_id FROM vector_users ORDER BY user_id")]


def needs_index(store: SQLiteStore, user_id: str, exact_scan_max: int) -> bool:
    """Whether the user has outgrown the exact scan (`exact_scan_max`; 0: any memory at all)."""
    return store.memory_count(user_id) > exact_scan_max


def mark_indexed(store: SQLiteStore, user_id: str) -> None:
    with store.transaction():
        store.conn.execute(
            "INSERT INTO vector_users(user_id) VALUES (?) ON CONFLICT(user_id) DO NOTHING",
            (user_id,))


def unmark_indexed(store: SQLiteStore, user_id: str) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM vector_users WHERE user_id = ?", (user_id,))


def exact_neighbours(store: SQLiteStore, user_id: str, vectors: np.ndarray,
                     n: int) -> list[list[VectorHit]]:
    """Each vector's `n` nearest vectors of the user by cosine, best first (ties by id): what an
    unfiltered query of the user's collection returns, read from SQLite.

    Every row with a vector counts, archived and superseded ones too, as the collection holds
    them (callers filter the hits); the vectors are unit-norm, so the dot product is the cosine.
    """
    queries = np.asarray(vectors, dtype=np.float32)
    if len(queries) == 0:
        return []
    ids, mat = store.user_vectors(user_id, int(queries.shape[1]))
    if not ids:
        return [[] for _ in range(len(queries))]
    sims = mat @ queries.T  # (rows, queries)
    out: list[list[VectorHit]] = []
    for col in sims.T.tolist():
        best = sorted(zip(col, ids, strict=True), key=lambda x: (-x[0], x[1]))[:n]
        out.append([VectorHit(mid, sim) for sim, mid in best])
    return out


def users_to_check(store: SQLiteStore, exact_scan_max: int) -> list[str]:
    """The users whose vectors a whole-brain repair must look at: those kept in the index, those
    with outbox rows, and those above the threshold whose collection is not built yet. A small
    user with no outbox row has every vector in SQLite already: nothing to do for them."""
    users = set(indexed_users(store))
    users.update(r[0] for r in store.conn.execute(
        "SELECT DISTINCT user_id FROM memories WHERE index_pending = 1"))
    users.update(store.users_over(exact_scan_max))
    return sorted(users)
