"""Flat cosine: every turn embedded with the shared model, exact top-k by dot product."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from benchmarks import locomo
from benchmarks.systems import Ranked

__all__ = ["rank_ids", "run"]


def rank_ids(mat: np.ndarray, qvec: np.ndarray, n: int) -> list[int]:
    """Indices of the `n` rows most similar to `qvec` (rows and query are unit-norm)."""
    return [int(i) for i in np.argsort(-(mat @ qvec), kind="stable")[:n]]


def run(conv: locomo.Conversation, questions: Sequence[locomo.Question], emb, *,
        k: int = 10) -> Ranked:
    mat = emb.embed([locomo.indexed_text(t) for t in conv.turns])
    qvecs = emb.embed([q.question for q in questions])
    return [[{conv.turns[i].dia_id} for i in rank_ids(mat, qv, k)] for qv in qvecs]
