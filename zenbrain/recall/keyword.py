"""Keyword channel of recall: SQLite FTS5 `bm25()` over the user's memories (SPEC §2.1, §5.2);
on PostgreSQL, its full-text search (`PostgresStore.keyword_search`).

The MATCH expression is built from the query's content words only (lower-cased alphanumerics, the
package stop-word list removed), each one double-quoted and OR-joined. Raw user text never reaches
MATCH, so FTS5 operators in a query ("NOT", "NEAR", `*`, `:`, quotes) are plain words here and
cannot raise a syntax error. The `porter unicode61` tokenizer stems the quoted terms as it stemmed
the indexed text, so "painting" matches "painted".

bm25() is computed over the whole FTS index (IDF counts every user's rows), then rows are scoped to
the user by the join on `memories`. Sharing IDF statistics leaks no content and keeps one index.
A user with a small share of a many-tenant brain and at most 2,000 rows is ranked in an index of
their own rows instead (`SQLiteStore._keyword_search_own`): what a brain holding that user alone
returns, at 0.7 ms where the shared index took 45 ms at 10,000 users × 100 memories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from zenbrain.algorithms.reconsolidation import STOP_WORDS
from zenbrain.clock import utc_iso
from zenbrain.extract.vocative import without_addressed_names
from zenbrain.store.sqlite import SQLiteStore, match_expression

__all__ = ["KeywordHit", "addressed_only", "keyword_candidates", "match_expression", "only_addresses",
           "query_name_terms", "query_terms"]

_WORD = re.compile(r"[a-z0-9]+")
# Question scaffolding that the stop-word list keeps (it is tuned for statements, not questions).
_QUESTION_WORDS = frozenset(
    ["much", "many", "long", "kind", "sort", "type", "ever", "one", "thing", "things", "anything", "something", "get", "got", "go", "went", "like", "would", "could", "also", "time"]
)
_MAX_TERMS = 24
_GIST_LABEL = re.compile(r"^[^\n:;()]{1,80} \([a-z_ ]{1,30}\): ")
_CLAUSE_SPEAKER = re.compile(r"(?:^\s*|;\s+)[A-Z][\w'-]*(?: [A-Z][\w'-]*)?: ")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]*")  # "Caroline's" → Caroline
# A request to the memory itself ("remind me…", "do you remember…", "tell me…") names no content:
# "Remind me which town I live in" must not match every turn that asks for a reminder. Only the
# request frame goes; "what does the photo remind her of" keeps its word.
_REQUEST_FRAME = re.compile(
    r"\b(?:(?:can|could|would|will)\s+you\s+|please\s+)?(?:remind\s+me|tell\s+me|"
    r"do\s+you\s+(?:still\s+)?(?:remember|recall|know)|you\s+remember)\b")


@dataclass(frozen=True)
class KeywordHit:
    memory_id: str
    bm25: float  # FTS5 bm25(): lower is better
    text: str
    query_terms: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """Query terms found in the memory's text (for explanations, and for a hit that may
        match only by a name, `addressed_only`)."""
        return _found(list(self.query_terms), self.text)


def query_terms(query: str) -> list[str]:
    """Content words of a query, in order, without duplicates (at most 24)."""
    out: list[str] = []
    for w in _WORD.findall(_REQUEST_FRAME.sub(" ", query.lower())):
        if w in STOP_WORDS or w in _QUESTION_WORDS or w in out:
            continue
        if len(w) == 1 and not w.isdigit():
            continue
        out.append(w)
    return out[:_MAX_TERMS]


def _stem(word: str) -> str:
    # Crude prefix stem for explanations only; the ranking itself uses FTS5's porter stemmer.
    return word[: max(4, len(word) - 3)] if len(word) > 4 else word


def _found(terms: list[str], text: str) -> tuple[str, ...]:
    words = set(_WORD.findall(text.lower()))
    stems = {_stem(w) for w in words}
    return tuple(t for t in terms if t in words or _stem(t) in stems)


def keyword_candidates(
    *, store: SQLiteStore, user_id: str, query: str, n: int, at: datetime | None = None,
    include_archived: bool = False,
) -> list[KeywordHit]:
    """The user's best `n` memories by bm25 for the query's content words, best first.

    Archived rows and rows created after `at` are left out; superseded versions stay in (time
    travel decides about them later).
    """
    terms = query_terms(query)
    if not terms:
        return []
    rows = store.keyword_search(terms, user_id=user_id, n=n, include_archived=include_archived,
                                before=utc_iso(at) if at is not None else None)
    hits = [KeywordHit(r["id"], float(r["score"]), r["text"], tuple(terms)) for r in rows]
    # Only a query whose terms include a name can have hits that match by an address alone.
    names = query_name_terms(query)
    return [h for h in hits if not addressed_only(h, names)] if names else hits


def query_name_terms(query: str) -> set[str]:
    """The query's content words that are capitalised (names), lower-cased.

    >>> sorted(query_name_terms("When did Caroline go to the LGBTQ support group?"))
    ['caroline', 'lgbtq']
    """
    return {w.lower() for w in _CAPITALISED.findall(query)} & set(query_terms(query))


def addressed_only(hit: KeywordHit, names: set[str]) -> bool:
    """Does `hit` match the query only by a name it addresses? "Sounds great, Caroline!" is said
    *to* Caroline, not about her: for "When did Caroline go to the support group?" it is no
    keyword match [D]. In a two-person chat nearly every other turn addresses someone, and such
    hits took keyword ranks from turns matching the question's other words (LoCoMo, every third
    question: recall@10 0.640 → 0.655, @40 0.777 → 0.795 without them). `names`: the query's
    capitalised words, lower-cased; a hit matching any other query word is kept. A sleep gist's
    label ("Caroline (person): …") counts as no mention: + sleep recall@10 0.698 → 0.700."""
    return only_addresses(hit.text, hit.query_terms, names)


def only_addresses(text: str, terms: tuple[str, ...] | list[str], names: set[str]) -> bool:
    """Does `text` hold query words (`terms`) only as names it addresses ("Wow, Caroline, that
    looks amazing!")? False for a text with no query word at all, or with any other one.

    >>> only_addresses("Wow, Caroline, that looks amazing!", ("caroline", "research"), {"caroline"})
    True
    >>> only_addresses("Caroline researched adoption.", ("caroline", "research"), {"caroline"})
    False
    """
    low = text.lower()
    # A name `_found` can see has its stem in the text: most candidates skip the word sets.
    if not names or not any(_stem(n) in low for n in names):
        return False
    found = set(_found(list(terms), text))
    if not found or not found <= names:
        return False
    # A sleep gist's label ("Caroline (person): …") names its subject, and its clauses' labels
    # ("…; Melanie: Wow, Caroline; …") who said them: neither says anything of them.
    said = _CLAUSE_SPEAKER.sub("; ", _GIST_LABEL.sub(" ", text, count=1))
    return not _found(sorted(found), without_addressed_names(said))
