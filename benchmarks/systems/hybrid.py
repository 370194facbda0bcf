"""Simple hybrid: BM25 and flat cosine fused by reciprocal rank (k = 60, equal weights), each
route contributing its top 100 — the fusion of `benchmarks.locomo_recall`."""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks import locomo
from benchmarks.locomo_recall import _rrf
from benchmarks.systems import Ranked, bm25, flat

__all__ = ["run"]

DEPTH = 100  # candidates per route before fusion


def run(conv: locomo.Conversation, questions: Sequence[locomo.Question], emb, *,
        k: int = 10) -> Ranked:
    mat = emb.embed([locomo.indexed_text(t) for t in conv.turns])
    qvecs = emb.embed([q.question for q in questions])
    retriever = bm25.index(conv)
    n = len(conv.turns)
    out = []
    for q, qv in zip(questions, qvecs, strict=True):
        fused = _rrf(bm25.rank_ids(retriever, q.question, DEPTH, n), flat.rank_ids(mat, qv, DEPTH))
        out.append([{conv.turns[i].dia_id} for i in fused[:k]])
    return out
