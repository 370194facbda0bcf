"""Keeping the derived vector index in step with SQLite (the outbox, SPEC §2.1).

`sync_vectors` upserts rows' vectors and metadata and clears their `index_pending` flag;
`repair_index` finds what is missing, stale or orphaned in Chroma and fixes it from SQLite, using
the stored embeddings (re-embedding only rows whose vector is missing or from another model).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from zenbrain.models import Memory
from zenbrain.store.chroma import ChromaIndex, vector_metadata
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["repair_index", "repair_pending", "sync_vectors"]

log = logging.getLogger(__name__)


class _Embedder:  # structural stand-in to avoid importing zenbrain.embeddings here
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def sync_vectors(
    store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, user_id: str,
    mems: Sequence[Memory],
) -> int:
    """Upsert vectors+metadata for `mems`; clear their outbox flag. Returns vectors written."""
    if not mems:
        return 0
    ids = [m.id for m in mems]
    vecs = _vectors_of_model(store, ids, embedder.name, embedder.dim)
    missing = [m for m in mems if m.id not in vecs]
    if missing:
        fresh = embedder.embed([m.text for m in missing])
        with store.transaction():
            for m, v in zip(missing, fresh, strict=True):
                store.set_vector(m.id, v, embedder.name)
                vecs[m.id] = v
    try:
        index.upsert(user_id, ids, np.asarray([vecs[i] for i in ids]),
                     [vector_metadata(m) for m in mems])
    except Exception:  # the outbox keeps them; recall still scores them exactly
        log.exception("vector index upsert failed; %d memories stay pending", len(mems))
        return 0
    with store.transaction():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            store.conn.execute(
                f"UPDATE memories SET index_pending = 0 WHERE id IN ({','.join('?' * len(chunk))})",
                chunk)
    return len(mems)


def _vectors_of_model(store: SQLiteStore, ids: list[str], model: str,
                      dim: int) -> dict[str, np.ndarray]:
    # The size too: a model name does not pin it (`HashEmbedder(dim=...)` keeps its name).
    out: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for mid, blob in store.conn.execute(
            f"SELECT memory_id, vector FROM embeddings WHERE model = ? AND dim = ? "
            f"AND memory_id IN ({marks})",
            [model, int(dim), *chunk],
        ):
            out[mid] = np.frombuffer(blob, dtype=np.float32)
    return out


def repair_index(
    store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, *, user_id: str | None = None,
    full: bool = False,
) -> int:
    """Make Chroma match SQLite for one user (or all). Cheap when nothing is wrong: one count
    per user; the id sets are compared only when the counts differ or rows are pending."""
    users = [user_id] if user_id is not None else store.user_ids()
    written = 0
    for uid in users:
        total = store.memory_count(uid)
        pending = store.scalar(
            "SELECT COUNT(*) FROM memories WHERE user_id = ? AND index_pending = 1", (uid,))
        if full:
            index.drop_user(uid)
            todo = store.select_memories("user_id = ?", (uid,))
        elif index.count(uid) != total or pending:
            have = index.ids(uid)
            rows = {r["id"] for r in store.rows("SELECT id FROM memories WHERE user_id = ?", (uid,))}
            orphans = sorted(have - rows)
            if orphans:
                index.delete(uid, orphans)
            todo = store.select_memories("user_id = ? AND index_pending = 1", (uid,))
            lost = sorted(rows - have - {m.id for m in todo})
            todo += list(store.get_many(lost).values())
        else:
            continue
        for start in range(0, len(todo), 2000):
            written += sync_vectors(store, index, embedder, uid, todo[start:start + 2000])
    return written


def repair_pending(store: SQLiteStore, index: ChromaIndex, embedder: _Embedder) -> int:
    """What opening the index (and the 15-minute job) must fix, in time that grows with the
    users who have outbox rows, not with all users: their pending rows; every user when the
    index holds nothing of this brain (a lost or rebuilt folder, a new server).

    A user's other gaps (vectors lost without an outbox row, e.g. an index restored from an
    older copy) are found by `repair_index(user_id=…)`, which `Brain` runs on a user's first
    recall in the process: comparing counts loads the user's collection, and with one
    collection per user, loading them all at open cost 130 s and 2.8 GB at 1,000 users
    (docs/BENCHMARKS.md, "Many users")."""
    # A user with a vector already written: no collection for them means the index is new.
    probe = store.scalar("SELECT user_id FROM memories WHERE index_pending = 0 LIMIT 1")
    if probe is not None and not index.has_collection(probe):
        return repair_index(store, index, embedder)
    users = [r[0] for r in store.conn.execute(
        "SELECT DISTINCT user_id FROM memories WHERE index_pending = 1 ORDER BY user_id")]
    return sum(repair_index(store, index, embedder, user_id=uid) for uid in users)
