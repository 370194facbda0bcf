"""BM25 alone (`bm25s`, English stop words), with the index and ranking helpers of
`benchmarks.locomo_recall` so both benchmarks score the very same baseline."""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks import locomo
from benchmarks.locomo_recall import _bm25, _bm25_rank
from benchmarks.systems import Ranked

__all__ = ["index", "rank_ids", "run"]


def index(conv: locomo.Conversation):  # noqa: ANN201 - a bm25s.BM25
    return _bm25([locomo.indexed_text(t) for t in conv.turns])


def rank_ids(retriever, query: str, n: int, n_docs: int) -> list[int]:
    return _bm25_rank(retriever, query, n, n_docs)


def run(conv: locomo.Conversation, questions: Sequence[locomo.Question], emb=None, *,
        k: int = 10) -> Ranked:
    retriever = index(conv)
    n = len(conv.turns)
    return [[{conv.turns[i].dia_id} for i in rank_ids(retriever, q.question, k, n)]
            for q in questions]
