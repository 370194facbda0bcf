"""The sentences of a multi-sentence memory, for sentence-level vector scores [D, issue 13].

A chat turn often carries one fact inside small talk ("Random thought: I'm turning 35 on July 3;
any ideas for a low-key celebration? Anyway, remind me to call the dentist."). Its one vector
averages the fact with the rest, so a question about the fact finds it less similar than a short
line that shares one topic word. Storing a vector per sentence lets recall's vector route also
ask how well the best sentence matches (`algorithms.fusion.passage_similarity`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["MAX_SENTENCES", "MIN_WORDS", "encode_sentences", "sentences"]

_BOUNDARY = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"\w+")
MIN_WORDS = 3  # "Ugh." or "Anyway," alone says nothing a question could be about
MAX_SENTENCES = 12


def sentences(text: str) -> list[str]:
    """The sentences of `text` worth a vector of their own, in order; [] when the text has fewer
    than two (its own vector is already the sentence's).

    >>> sentences("Big news: I moved to Porto. Anyway, how was your day?")
    ['Big news: I moved to Porto.', 'Anyway, how was your day?']
    >>> sentences("ugh, Mondays")
    []
    """
    parts = [p.strip() for p in _BOUNDARY.split(text)]
    kept = [p for p in parts if len(_WORD.findall(p)) >= MIN_WORDS][:MAX_SENTENCES]
    return kept if len(kept) >= 2 else []


def encode_sentences(embed: Callable[[list[str]], np.ndarray],
                     texts: Sequence[str]) -> list[np.ndarray | None]:
    """Per text, its sentences' vectors (k × d) or None; one encoder call for all texts."""
    split = [sentences(t) for t in texts]
    flat = [s for ss in split for s in ss]
    if not flat:
        return [None] * len(texts)
    vecs = np.asarray(embed(flat), dtype=np.float32)
    out: list[np.ndarray | None] = []
    start = 0
    for ss in split:
        out.append(vecs[start:start + len(ss)] if ss else None)
        start += len(ss)
    return out
