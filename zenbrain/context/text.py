"""Text rules of context packing: a memory's parts (sentences, or a gist's clauses), which parts
bear on the query, when two parts say the same words, and whether a query asks about change.

Pure functions over strings; English word lists, like the rest of ZenBrain's extractors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zenbrain.algorithms.reconsolidation import STOP_WORDS

__all__ = ["CLAUSE_MARGIN", "ELLIPSIS", "MIN_DEDUP_WORDS", "asks_about_change", "clause_similarities",
           "common_words", "gist_parts", "join_parts", "norm", "query_words", "relevant_parts", "sentences", "stem",
           "word_count"]

ELLIPSIS = "…"

# A sentence ends at . ! ? or … followed by space, or at a line break. (Abbreviations such as
# "Dr. Who" split too; that only matters for a cut, which is marked with … anyway.)
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")
_WORD = re.compile(r"\w+")
# Question scaffolding the stop-word list keeps (it is tuned for statements).
_QUESTION_WORDS = frozenset({"much", "many", "long", "kind", "sort", "type", "ever", "thing",
                             "things", "anything", "something", "get", "got", "tell", "remind",
                             "know", "remember", "recall", "please"})
# "used to", "before", "changed", "previous", "still", … : the query asks how something was, or
# whether it still is, so superseded values are evidence too.
_CHANGE = re.compile(
    r"\b(?:used to|use to|before|chang(?:e|ed|es|ing)|previous(?:ly)?|still|any ?more|no longer|"
    r"former(?:ly)?|originally|earlier|switch(?:ed|ing)?|since when)\b",
    re.IGNORECASE)
# How close to the best part's cosine a gist clause or a turn's sentence must be to count as
# relevant [D] (0.1 against 0.2: LoCoMo evidence within 2,000 tokens 0.830 vs 0.812): with
# MiniLM, a clause that answers the question stands 0.2–0.35 above the others ("when was Luna
# vaccinated?": 0.81 vs ≤ 0.47), while clauses that only share the anchor's name lie within 0.05
# of each other ("what does Luna eat?": 0.54–0.59, so all of them are kept).
CLAUSE_MARGIN = 0.1
MIN_DEDUP_WORDS = 4  # a shorter part ("Yes!", "Thanks.") may recur without being a repeat


def sentences(text: str) -> tuple[str, ...]:
    """The sentences of `text`, in order, each stripped; line breaks end a sentence.

    >>> sentences("I moved to Porto. Anyway, how was your day?")
    ('I moved to Porto.', 'Anyway, how was your day?')
    """
    parts = tuple(p.strip() for p in _BOUNDARY.split(text.strip()) if p.strip())
    return parts or (text.strip(),)


def gist_parts(text: str, *, anchor: str | None, anchor_type: str | None
               ) -> tuple[str, tuple[str, ...]] | None:
    """(head, clauses) of a template gist `"<anchor> (<type>): clause; clause"`, or None when
    the text is not in that form (a System-2 summary: then it is split into sentences)."""
    if not anchor or not anchor_type:
        return None
    head = f"{anchor} ({anchor_type}): "
    if not text.startswith(head):
        return None
    clauses = tuple(c.strip() for c in text[len(head):].split("; ") if c.strip())
    return (head, clauses) if clauses else None


def clause_similarities(head: str, parts: Sequence[str], said: Sequence[str],
                        similarity: Sequence[float]) -> list[float | None]:
    """Per clause of a template gist, the best query similarity of the stored sentences it holds.

    Sleep stores one vector per sentence of the gist's text (`said`, `extract.passages`); a
    clause quoting a whole chat turn holds several. A sentence belongs to the first clause whose
    words contain its words (the first clause carries the gist's head).

    >>> clause_similarities("Luna (pet): ", ["Eats tuna. Naps", "Hates the vet"],
    ...                     ["Luna (pet): Eats tuna.", "Naps", "Hates the vet"], [0.2, 0.5, 0.4])
    [0.5, 0.4]
    """
    forms = [f" {norm(head + p if i == 0 else p)} " for i, p in enumerate(parts)]
    out: list[float | None] = [None] * len(parts)
    for sentence, sim in zip(said, similarity, strict=True):
        key = f" {norm(sentence)} "
        i = next((j for j, form in enumerate(forms) if key in form), None)
        if i is not None:
            out[i] = float(sim) if out[i] is None else max(out[i], float(sim))  # type: ignore[type-var]
    return out


def common_words(parts: Sequence[str]) -> frozenset[str]:
    """Stems found in more than half of `parts`: they cannot tell the parts apart (in a gist of
    one chat, the speakers' names prefix most clauses), so they pick no part for a query.

    >>> sorted(common_words(["Ann: loves tuna", "Ann: hates the vet", "Bo: naps"]))
    ['ann']
    """
    if len(parts) < 2:
        return frozenset()
    counts: dict[str, int] = {}
    for p in parts:
        for w in {stem(w) for w in _WORD.findall(p.lower())}:
            counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, n in counts.items() if 2 * n > len(parts))


def join_parts(head: str, parts: Sequence[str], sep: str, keep: Sequence[int] | None) -> str:
    """`head` + the kept parts joined by `sep`, each run of left-out parts shown as one ….

    >>> join_parts("Luna (pet): ", ["eats tuna", "hates the vet", "naps"], "; ", (0, 2))
    'Luna (pet): eats tuna; …; naps'
    """
    shown = set(range(len(parts)) if keep is None else keep)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i in shown:
            out.append(part)
        elif not out or out[-1] != ELLIPSIS:
            out.append(ELLIPSIS)
    return head + sep.join(out)


def stem(word: str) -> str:
    """A crude suffix stem, enough to match "loves"/"love", "eating"/"eats", "lived"/"lives"."""
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def query_words(query: str) -> frozenset[str]:
    """Stems of the query's content words (stop words and question scaffolding removed)."""
    return frozenset(stem(w) for w in _WORD.findall(query.lower())
                     if w not in STOP_WORDS and w not in _QUESTION_WORDS
                     and (len(w) > 1 or w.isdigit()))


def relevant_parts(words: frozenset[str], parts: Sequence[str],
                   similarity: Sequence[float | None] | None = None, *,
                   margin: float = CLAUSE_MARGIN) -> tuple[int, ...]:
    """Indexes of the parts that bear on the query: those sharing a content-word stem with it
    (`query_words`), and, when the parts' vector similarities to the query are known, those
    within `margin` of the best one. Every index when no part qualifies (the memory was
    recalled for its meaning as a whole).

    >>> relevant_parts(frozenset({"tuna"}), ["loves tuna", "hates the vet", "naps a lot"],
    ...                [0.40, 0.75, 0.70])
    (0, 1, 2)
    """
    hits = {i for i, p in enumerate(parts) if words & {stem(w) for w in _WORD.findall(p.lower())}}
    known = [s for s in similarity or () if s is not None]
    if known:
        best = max(known)
        hits |= {i for i, s in enumerate(similarity or ()) if s is not None and s >= best - margin}
    return tuple(sorted(hits)) or tuple(range(len(parts)))


def asks_about_change(query: str) -> bool:
    """Does the query ask how something was, or whether it still is ("used to", "before",
    "changed", "previous", "still", "anymore", …)? Then superseded values are evidence too."""
    return bool(_CHANGE.search(query))


def norm(text: str) -> str:
    """Lower-cased words of `text`, space-joined: two texts with the same form say the same
    words (case, punctuation and spacing aside)."""
    return " ".join(_WORD.findall(text.lower()))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
