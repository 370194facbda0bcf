"""Profile channel of recall: a question about one of the user's lasting attributes is answered
by the memory that states its current value (issue 13) [D].

The write path files a first-person durable fact ("our new place in Lisbon", "joined Globex as
their architect") under a slot of `zenbrain.extract.facts` as a knowledge-graph edge from the
user's `self` node. A question worded far from the statement ("Which town am I living in these
days?") may still miss it on words and on whole-text similarity; the question's slot does not.
`question_slots` names the slot(s) a first-person question asks about, by cosine between the
query vector and short questions per slot (`zenbrain.extract.slot_questions`); the route then
lists the memories behind the slot's edges that are open at `at`, newest first.

It is one more vote in the fusion, weighted like the others: a question about the user's home
still prefers the memory that says the most about it; the route only makes sure the holder of
the slot is among the candidates and counts as relevant. Closed edges (an older home) are not
listed: recall marks them stale when they turn up and keeps them below their successor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from zenbrain.clock import utc_iso
from zenbrain.extract import facts
from zenbrain.extract.entities import SELF_KEY
from zenbrain.extract.slot_questions import SLOT_QUESTIONS, asks_about_self
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["SlotQuestions", "asks_about_self", "profile_candidates", "question_slots",
           "relations_of"]

MIN_SIMILARITY = 0.5  # cosine to a slot's nearest question [D]
SECOND_SLOT_MARGIN = 0.05  # a runner-up this close also counts ("what do I do?": job and employer)


@dataclass(frozen=True)
class SlotQuestions:
    """The slot questions encoded by one embedder: row i of `vectors` asks for `slots[i]`."""

    slots: tuple[str, ...]
    vectors: np.ndarray  # (n, d), unit rows

    @classmethod
    def encode(cls, embed: Callable[[list[str]], np.ndarray]) -> SlotQuestions:
        slots = tuple(s for s, qs in SLOT_QUESTIONS.items() for _ in qs)
        texts = [q for qs in SLOT_QUESTIONS.values() for q in qs]
        return cls(slots, np.asarray(embed(texts), dtype=np.float32))


def question_slots(query: str, qvec: np.ndarray, questions: SlotQuestions, *,
                   min_similarity: float = MIN_SIMILARITY) -> tuple[str, ...]:
    """The slot a first-person query asks about (and a runner-up within the margin); () when
    the query is not about the asker or matches no slot question well enough."""
    if not asks_about_self(query) or questions.vectors.shape[1] != qvec.shape[0]:
        return ()
    sims = questions.vectors @ qvec.astype(np.float32)
    best: dict[str, float] = {}
    for slot, sim in zip(questions.slots, sims.tolist(), strict=True):
        best[slot] = max(best.get(slot, -1.0), sim)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0][1]
    if top < min_similarity:
        return ()
    return tuple(s for s, v in ranked[:2] if v >= max(min_similarity, top - SECOND_SLOT_MARGIN))


def relations_of(slots: Sequence[str]) -> list[str]:
    """The graph relations that hold `slots` ("pet" is the pet:<species> family)."""
    return sorted({facts.slot_of("pet:any" if s == "pet" else s).relation for s in slots})


def profile_candidates(*, store: SQLiteStore, user_id: str, slots: Sequence[str], at: datetime,
                       n: int) -> list[tuple[str, str]]:
    """(memory id, relation) for the memories behind the user's slot edges open at `at`,
    newest statement first, at most `n`."""
    relations = relations_of(slots)
    if not relations:
        return []
    when = utc_iso(at)
    marks = ",".join("?" * len(relations))
    rows = store.rows(
        f"SELECT e.relation AS relation, e.source_memory_ids AS sources FROM kg_edges e "
        f"JOIN kg_nodes s ON s.id = e.src WHERE e.user_id = ? AND s.user_id = ? AND s.key = ? "
        f"AND e.relation IN ({marks}) AND e.archived = 0 AND e.recorded_at <= ? "
        f"AND (e.valid_to IS NULL OR e.valid_to > ?) ORDER BY e.recorded_at DESC, e.id",
        [user_id, user_id, SELF_KEY, *relations, when, when])
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in rows:
        for mid in reversed(json.loads(row["sources"])):  # the latest statement first
            if mid not in seen:
                seen.add(mid)
                out.append((mid, row["relation"]))
    return out[:n]
