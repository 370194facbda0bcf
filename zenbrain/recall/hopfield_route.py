"""Hopfield channel of recall: associative completion over the candidate pool (SPEC §4.3.4).

Runs last. The pattern matrix is the unit-normalised embeddings of the union of the other routes'
candidates (at most 200, best fused first) plus the user's 128 active memories of highest priority
composite; the query embedding is the cue. After T = 2 updates the softmax weights p rank the pool.
Embeddings come from SQLite (the system of record), so the route also sees outbox rows. The device
is the Brain's (`BrainConfig.device`: CUDA when available, CPU otherwise).

The route is opt-in (`recipes.ASSOCIATIVE`). It added nothing on LoCoMo's questions, and on
partial and noisy cues built from LoCoMo turns (`benchmarks/cues.py`: fragments, word drop-outs,
typos, synonym swaps) it left recall@10 unchanged: it can only reorder what the other routes
found, and the completion over MiniLM vectors drifts toward a cue's neighbourhood rather than
onto its source (docs/BENCHMARKS.md, "Partial and noisy cues").

On the CPU the unit-normalised rows are kept between queries (`_UnitRows`): the priority pool is
much the same from one query to the next, and normalising the pool was a third of the route's
time. A row is looked up by the bytes of the stored embedding, so a vector that changes (an
import, a repair with another model) simply misses; no write, sleep, archive or delete has to
tell the cache anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from threading import Lock

import numpy as np

from zenbrain.algorithms.hopfield import HOPFIELD_DEFAULT, HopfieldParams, complete, unit_rows
from zenbrain.clock import utc_iso
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["hopfield_scores", "priority_pool"]

POOL_FROM_ROUTES = 200
POOL_BY_PRIORITY = 128


class _UnitRows:
    """Embedding bytes → its unit row (float32), at most `limit` rows (~1.5 kB each at d = 384);
    when full it starts over, which costs one normalisation of the next pool."""

    def __init__(self, limit: int = 8192) -> None:
        self.limit = limit
        self._rows: dict[bytes, np.ndarray] = {}
        self._lock = Lock()  # Brains in several threads share this cache

    def matrix(self, vecs: list[np.ndarray]) -> np.ndarray:
        keys = [v.tobytes() for v in vecs]
        with self._lock:
            found = [self._rows.get(k) for k in keys]
        todo = [i for i, row in enumerate(found) if row is None]
        if todo:
            fresh = unit_rows(np.stack([vecs[i] for i in todo]))
            with self._lock:
                if len(self._rows) + len(todo) > self.limit:
                    self._rows.clear()
                for j, i in enumerate(todo):
                    found[i] = self._rows[keys[i]] = fresh[j].copy()
        return np.stack(found)  # type: ignore[arg-type]


_UNIT_ROWS = _UnitRows()


def priority_pool(store: SQLiteStore, user_id: str, at: datetime,
                  limit: int = POOL_BY_PRIORITY) -> list[str]:
    """The user's active memories with the highest priority composite as of `at`."""
    if limit <= 0:
        return []
    rows = store.rows(
        "SELECT id FROM memories WHERE user_id = ? AND archived = 0 AND is_current = 1 "
        "AND layer != 'working' AND created_at <= ? "
        f"ORDER BY {store.json_number('priority', 'composite')} DESC, id DESC LIMIT ?",
        (user_id, utc_iso(at), int(limit)))
    return [r["id"] for r in rows]


def hopfield_scores(
    *, store: SQLiteStore, pool: Sequence[str], qvec: np.ndarray, device: str = "cpu",
    params: HopfieldParams = HOPFIELD_DEFAULT,
) -> dict[str, float]:
    """memory id → p after the last Hopfield update, for every pooled memory with a vector."""
    ids = list(dict.fromkeys(pool))
    vecs = store.vectors(ids)
    ids = [i for i in ids if i in vecs and vecs[i].shape == qvec.shape]
    if not ids:
        return {}
    if device == "cpu":
        x = _UNIT_ROWS.matrix([vecs[i] for i in ids])
        p = complete(x, qvec, beta=params.beta, steps=params.steps, device=device,
                     normalized=True)
    else:
        # On an accelerator the rows are normalised there, as before.
        x = np.stack([vecs[i] for i in ids])
        p = complete(x, qvec, beta=params.beta, steps=params.steps, device=device)
    return {mid: float(v) for mid, v in zip(ids, p, strict=True)}
