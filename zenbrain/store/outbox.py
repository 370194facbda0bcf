"""Keeping the derived vector index in step with SQLite (the outbox, SPEC §2.1).

`sync_vectors` settles rows: their vectors in SQLite, upserted with their metadata into the
user's collection when the user is kept in the index (`placement`: users above
`exact_scan_max`), and their `index_pending` flag cleared; `build_user` (re)builds a user's
collection in full when they cross the threshold; `repair_index` finds what is missing, stale or
orphaned in Chroma and fixes it from SQLite, using the stored embeddings (re-embedding only rows
whose vector is missing or from another model).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from zenbrain.models import Memory
from zenbrain.store import placement
from zenbrain.store.chroma import ChromaIndex, vector_metadata
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["build_user", "repair_index", "repair_pending", "sync_vectors"]

log = logging.getLogger(__name__)


class _Embedder:  # structural stand-in to avoid importing zenbrain.embeddings here
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def sync_vectors(
    store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, user_id: str,
    mems: Sequence[Memory], *, exact_scan_max: int,
) -> int:
    """Take `mems` out of the outbox: their vectors in SQLite, and in the user's collection when
    the user is kept in the index (`placement`). A user who has just outgrown `exact_scan_max`
    gets their collection built in full instead. Returns the rows settled.

    A small user's row is settled once its vector is in SQLite: that is all their recall and the
    write path's neighbour query read, so nothing of Chroma is opened for them."""
    if not mems:
        return 0
    if not placement.in_index(store, user_id):
        if placement.needs_index(store, user_id, exact_scan_max):
            return build_user(store, index, embedder, user_id)
        vecs = _ensure_vectors(store, embedder, mems)
        _clear_pending(store, [m.id for m in mems if m.id in vecs])
        return len(mems)
    return _upsert(store, index, embedder, user_id, mems)


def build_user(store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, user_id: str) -> int:
    """(Re)build the user's collection from SQLite in full, then record it as kept.

    Dropped first: a collection left from an older layout (or from before the user shrank and was
    unmarked) may hold vectors or metadata SQLite no longer has. Recorded last: a crash or a failed
    upsert leaves the user unrecorded, and the next sync or repair builds it again."""
    placement.unmark_indexed(store, user_id)
    index.drop_user(user_id)
    mems = store.select_memories("user_id = ?", (user_id,))
    written = 0
    for start in range(0, len(mems), 2000):
        chunk = mems[start:start + 2000]
        done = _upsert(store, index, embedder, user_id, chunk)
        if done < len(chunk):
            return written + done
        written += done
    placement.mark_indexed(store, user_id)
    return written


def _ensure_vectors(store: SQLiteStore, embedder: _Embedder,
                    mems: Sequence[Memory]) -> dict[str, np.ndarray]:
    """The current model's vector of each of `mems`, encoding (and storing) the missing ones."""
    vecs = _vectors_of_model(store, [m.id for m in mems], embedder.name, embedder.dim)
    missing = [m for m in mems if m.id not in vecs]
    if missing:
        fresh = embedder.embed([m.text for m in missing])
        with store.transaction():
            for m, v in zip(missing, fresh, strict=True):
                store.set_vector(m.id, v, embedder.name)
                vecs[m.id] = v
    return vecs


def _upsert(store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, user_id: str,
            mems: Sequence[Memory]) -> int:
    ids = [m.id for m in mems]
    vecs = _ensure_vectors(store, embedder, mems)
    try:
        index.upsert(user_id, ids, np.asarray([vecs[i] for i in ids]),
                     [vector_metadata(m) for m in mems])
    except Exception:  # the outbox keeps them; recall still scores them exactly
        log.exception("vector index upsert failed; %d memories stay pending", len(mems))
        return 0
    _clear_pending(store, ids)
    return len(mems)


def _clear_pending(store: SQLiteStore, ids: Sequence[str]) -> None:
    with store.transaction():
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            store.conn.execute(
                f"UPDATE memories SET index_pending = 0 WHERE id IN ({','.join('?' * len(chunk))})",
                chunk)


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
    store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, *, exact_scan_max: int,
    user_id: str | None = None, full: bool = False,
) -> int:
    """Make the vectors match SQLite for one user (or all). Cheap when nothing is wrong: one count
    per user kept in the index, the id sets compared only when the counts differ or rows are
    pending; a small user's outbox rows are settled in SQLite, and no collection is made for them.

    `full=True` rebuilds every user's vectors: a user above the threshold gets their collection
    rebuilt, any other user has any collection dropped (and is no longer kept in the index) and
    every vector checked against the current model (the model switch re-embeds through this)."""
    if user_id is not None:
        users = [user_id]
    elif full:
        users = store.user_ids()
    else:
        users = placement.users_to_check(store, exact_scan_max)
    written = 0
    for uid in users:
        kept = placement.in_index(store, uid)
        big = placement.needs_index(store, uid, exact_scan_max)
        if big and (full or not kept):
            written += build_user(store, index, embedder, uid)
            continue
        if full or not kept:
            if full:
                placement.unmark_indexed(store, uid)  # first: a collection is never trusted unmarked
                index.drop_user(uid)
                todo = store.select_memories("user_id = ?", (uid,))
            else:
                todo = store.select_memories("user_id = ? AND index_pending = 1", (uid,))
            for start in range(0, len(todo), 2000):
                chunk = todo[start:start + 2000]
                vecs = _ensure_vectors(store, embedder, chunk)
                _clear_pending(store, [m.id for m in chunk if m.id in vecs])
                written += len(chunk)
            continue
        total = store.memory_count(uid)
        pending = store.scalar(
            "SELECT COUNT(*) FROM memories WHERE user_id = ? AND index_pending = 1", (uid,))
        if index.count(uid) == total and not pending:
            continue
        have = index.ids(uid)
        rows = {r["id"] for r in store.rows("SELECT id FROM memories WHERE user_id = ?", (uid,))}
        orphans = sorted(have - rows)
        if orphans:
            index.delete(uid, orphans)
        todo = store.select_memories("user_id = ? AND index_pending = 1", (uid,))
        lost = sorted(rows - have - {m.id for m in todo})
        todo += list(store.get_many(lost).values())
        for start in range(0, len(todo), 2000):
            written += _upsert(store, index, embedder, uid, todo[start:start + 2000])
    return written


def repair_pending(store: SQLiteStore, index: ChromaIndex, embedder: _Embedder, *,
                   exact_scan_max: int) -> int:
    """What opening the index (and the 15-minute job) must fix, in time that grows with the
    users who have outbox rows, not with all users: their pending rows; the users above the
    threshold whose collection is not built yet (a crash mid-build); every user kept in the index
    when the index holds nothing of this brain (a lost or rebuilt folder, a new server).

    A user's other gaps (vectors lost without an outbox row, e.g. an index restored from an
    older copy) are found by `repair_index(user_id=…)`, which `Brain` runs on a user's first
    index recall in the process: comparing counts loads the user's collection, and with one
    collection per user, loading them all at open cost 130 s and 2.8 GB at 1,000 users
    (docs/BENCHMARKS.md, "Many users"). Nothing here opens the index unless some user is kept
    in it or needs to be."""
    # A user kept in the index with a vector already written: no collection for them means the
    # index is new. (Small users have no collection at all, so they cannot tell.)
    probe = store.scalar(
        "SELECT v.user_id FROM vector_users v WHERE EXISTS (SELECT 1 FROM memories m "
        "WHERE m.user_id = v.user_id AND m.index_pending = 0) ORDER BY v.user_id LIMIT 1")
    if probe is not None and not index.has_collection(probe):
        return repair_index(store, index, embedder, exact_scan_max=exact_scan_max)
    kept = set(placement.indexed_users(store))
    users = {r[0] for r in store.conn.execute(
        "SELECT DISTINCT user_id FROM memories WHERE index_pending = 1")}
    users.update(u for u in store.users_over(exact_scan_max) if u not in kept)
    return sum(repair_index(store, index, embedder, exact_scan_max=exact_scan_max, user_id=uid)
               for uid in sorted(users))
