"""What a recalled gist hands its reader: the sentences that bear on the query.

A template gist quotes every member it consolidates ("Luna (pet): eats tuna; hates the vet; …",
up to 600 characters), so a top 10 after sleep handed a reader three times the characters it
did before (docs/BENCHMARKS.md, sleep section). `Recollection.text` of a gist is therefore its
head and its `MAX_SENTENCES` best sentences (`focused_text`), each with its speaker, "…" for what
is left out. The memory itself (`Recollection.memory.text`, `sources`) is untouched, so
provenance to every source stays. `Brain.context` packs gists by its own rule within a budget
(`context.text.relevant_parts`); both share the clause and word helpers of `context.text`.
"""

from __future__ import annotations

import re

import numpy as np

from zenbrain.context import text as ctext
from zenbrain.extract import passages
from zenbrain.models import Kind, Recollection
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["MAX_CLAUSES", "MAX_SENTENCES", "focus", "focused_text"]

# What a recalled gist quotes at most [D]: its two best sentences (or, without sentence vectors,
# clauses). A clause is a whole chat turn (~150 characters on LoCoMo, small talk around the fact
# included); quoting the clauses near the best one handed a reader 1.9-2.6x the characters of
# the turns the gists replaced (sleep benchmark, conversations 0-1).
MAX_SENTENCES = 2
MAX_CLAUSES = 2
_SPEAKER = re.compile(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}: ")


def focused_text(text: str, *, anchor: str | None, anchor_type: str | None,
                 words: frozenset[str], sentence_vectors: np.ndarray | None,
                 qvec: np.ndarray | None) -> str | None:
    """A template gist's `text` cut to what bears on the query; None when nothing is cut (not
    a template gist, a single clause, or every clause bears on it).

    With the sentence vectors sleep stored for `passages.sentences(text)`, the `MAX_SENTENCES`
    best sentences are quoted (most query words first, then the highest cosine), in their
    order, "…" between them; otherwise the clauses `context.text.relevant_parts` picks, at most
    `MAX_CLAUSES`.
    """
    split = ctext.gist_parts(text, anchor=anchor, anchor_type=anchor_type)
    if split is None or len(split[1]) < 2:
        return None
    head, parts = split
    picking = words - ctext.query_words(head) - ctext.common_words(parts)
    said = passages.sentences(text)
    if (sentence_vectors is not None and qvec is not None and len(sentence_vectors) == len(said)
            and sentence_vectors.shape[1] == qvec.shape[0]):
        return _best_sentences(head, said, picking, sentence_vectors @ qvec)
    hits = sorted((i for i in range(len(parts)) if _hits(picking, parts[i])),
                  key=lambda i: -_hits(picking, parts[i]))
    keep = tuple(sorted(hits[:MAX_CLAUSES]))
    if not keep or len(keep) == len(parts):
        return None  # recalled for its meaning as a whole, or every clause bears on the query
    return ctext.join_parts(head, parts, "; ", keep)


def _hits(words: frozenset[str], sentence: str) -> int:
    return len(words & {ctext.stem(w) for w in ctext.norm(sentence).split()})


def _best_sentences(head: str, said: list[str], words: frozenset[str],
                    similarity: np.ndarray) -> str:
    order = sorted(range(len(said)), key=lambda i: (-_hits(words, said[i]), -float(similarity[i]),
                                                    i))
    keep = sorted(order[:MAX_SENTENCES])
    quoted = []
    speaker = ""
    for i, sentence in enumerate(said):
        sentence = sentence.removeprefix(head).strip()
        if (tag := _SPEAKER.match(sentence)) is not None:
            speaker = tag.group(0)
        if i in keep:
            body = sentence.rstrip(";").strip()
            # Who said it stays with what was said: a clause's "Name: " heads its first sentence.
            quoted.append(body if body.startswith(speaker) else speaker + body)
        if sentence.endswith(";"):
            speaker = ""  # a clause ends; the next names its own speaker, or none
    lead = "" if keep[0] == 0 else ctext.ELLIPSIS + " "
    tail = "" if keep[-1] == len(said) - 1 else " " + ctext.ELLIPSIS
    return head + lead + f" {ctext.ELLIPSIS} ".join(quoted) + tail


def focus(store: SQLiteStore, results: list[Recollection], *, qvec: np.ndarray, query: str,
          explain: bool) -> list[Recollection]:
    """`results` with every gist's `text` cut to what bears on `query` (see the module)."""
    gists = {r.memory.id: r.memory for r in results
             if r.memory.kind is Kind.SUMMARY and r.text == r.memory.text}
    if not gists:
        return results
    vectors = store.sentence_vectors(list(gists))
    words = ctext.query_words(query)
    q = np.asarray(qvec, dtype=np.float32)
    out = []
    for r in results:
        cut = focused_text(
            r.text, anchor=r.memory.metadata.get("zb_anchor_name"),
            anchor_type=r.memory.metadata.get("zb_anchor_type"), words=words,
            sentence_vectors=vectors.get(r.memory.id), qvec=q) if r.memory.id in gists else None
        if cut is None:
            out.append(r)
            continue
        why = "quoted: the gist's sentences that bear on the query" if explain else "gist-cut"
        out.append(r.model_copy(update={"text": cut, "reasons": [*r.reasons, why]}))
    return out
