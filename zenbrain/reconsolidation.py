"""Reconsolidation on the write path (SPEC §4.2.2, §5.6): match, gate, version, log.

The pure parts (prediction error, modes, lock, gate) live in `algorithms.reconsolidation` and
`algorithms.stability`; this module applies them to stored memories inside the writer's
transaction. It runs for kinds fact, preference, profile, procedure, summary and plan (episodes
are never rewritten). Matching: the knowledge-graph slot first (same subject, same functional
relation, still open), else the most similar current memory of the same user and namespace with
cosine ≥ 0.6 whose kind is one of those kinds.

Modes: `confirmed` (PE < 0.1) strengthens the old memory and writes no row; `selective_edit` and
`integration` create version n+1 when PE passes the StabilityProtector gate (labile memories —
recalled within 6 h — have the low gate), otherwise the new text is stored apart with a `refines`
link; `new_episode` stores it apart and, on a contradiction, adds a `contradicts` link, β += 1 on
the old memory and lets the new value close the old KG slot — unless the old memory is core,
pinned or locked (≥ 0.5), in which case its slot stays open and the new memory carries
`zb_conflict_with` for the sleep debate. Core and pinned memories are never changed by PE.
Every decision writes a `reconsolidation_log` row with the old row as JSON, for rollback.
Choice [D]: a new version carries the old version's sources plus the old id (its text includes
the old content), and its Beta counts (the knowledge itself persists). Its trust is the lower of
the two and its instruction flags the union (`trust.inherit`): neither a flagged update of a
trusted memory nor a clean update of a flagged one yields a clean version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from zenbrain import trust
from zenbrain.algorithms import reconsolidation as recon
from zenbrain.algorithms import stability
from zenbrain.clock import utc_iso
from zenbrain.extract import entities
from zenbrain.layers.dynamics import review_updates
from zenbrain.models import Kind, Layer, Memory
from zenbrain.store.chroma import ChromaIndex, VectorHit
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["MATCH_NEIGHBOURS", "RECON_KINDS", "Decision", "decide", "log"]

RECON_KINDS = frozenset({Kind.FACT, Kind.PREFERENCE, Kind.PROFILE, Kind.PROCEDURE, Kind.SUMMARY,
                         Kind.PLAN})
MATCH_COSINE = 0.6
MATCH_NEIGHBOURS = 8  # nearest vectors examined for a match
_SKIP_LAYERS = (Layer.SHORT_TERM, Layer.WORKING, Layer.CORE)


@dataclass
class Decision:
    """What the writer should do with one planned memory."""

    mode: str
    old: Memory
    pe: float
    threshold: float | None
    contra: bool = False
    # confirmed: return `old` (updated); version: write `memory` as a new version of `old`
    action: str = "separate"  # "confirm" | "version" | "separate"
    link: str | None = None  # link type new → old for a separate memory
    keep_slot_open: bool = False
    updates: dict[str, object] = field(default_factory=dict)  # applied to `old`


def same_speaker(a: str | None, b: str | None) -> bool:
    """Whether two memories' first-person statements are about the same person: "I live in
    Lyon" said by Caroline does not close "I live in Oslo" said by Melanie in one transcript.
    No speaker means the user."""
    return (a or "user") == (b or "user")


def _age_days(mem: Memory, at: datetime) -> float:
    return max(0.0, (at - mem.created_at).total_seconds() / 86_400)


def _slot_match(store: SQLiteStore, mem: Memory, triples: tuple[entities.Triple, ...]
                ) -> tuple[Memory, bool] | None:
    """The newest current memory asserting an open functional slot the new memory also fills."""
    for t in triples:
        if not t.functional:
            continue
        src = store.scalar("SELECT id FROM kg_nodes WHERE user_id = ? AND key = ?",
                           (mem.user_id, t.subject_key))
        if src is None:
            continue
        for edge in store.rows(
            "SELECT e.source_memory_ids AS sources, n.key AS obj FROM kg_edges e JOIN kg_nodes n "
            "ON n.id = e.dst WHERE e.user_id = ? AND e.src = ? AND e.relation = ? AND "
            "e.valid_to IS NULL AND e.archived = 0 ORDER BY e.recorded_at DESC",
            (mem.user_id, src, t.relation)):
            ids = json.loads(edge["sources"])
            olds = [m for m in store.get_many(ids).values()
                    if m.is_current and not m.archived and m.namespace == mem.namespace
                    and m.layer is not Layer.SHORT_TERM and same_speaker(m.speaker, mem.speaker)]
            if olds:
                old = max(olds, key=lambda m: (m.created_at, m.id))
                return old, edge["obj"] != entities.normalize_key(t.object_name)
    return None


def _vector_match(store: SQLiteStore, index: ChromaIndex, mem: Memory, vector: np.ndarray,
                  own: set[str], near: Sequence[VectorHit] | None) -> Memory | None:
    if near is None:
        near = index.query(mem.user_id, vector, MATCH_NEIGHBOURS)
    hits = [h for h in near[:MATCH_NEIGHBOURS]
            if h.similarity >= MATCH_COSINE and h.memory_id not in own]
    found = store.get_many([h.memory_id for h in hits])
    for h in hits:
        old = found.get(h.memory_id)
        if (old is not None and old.is_current and not old.archived
                and old.namespace == mem.namespace and old.kind in RECON_KINDS
                and old.layer not in (Layer.SHORT_TERM, Layer.WORKING)
                and old.created_at <= mem.created_at):
            return old
    return None


def decide(*, store: SQLiteStore, index: ChromaIndex, mem: Memory, vector: np.ndarray,
           triples: tuple[entities.Triple, ...], ne: float = 0.5,
           hits: Sequence[VectorHit] | None = None) -> Decision | None:
    """The reconsolidation decision for a planned memory, or None (no match / not eligible).

    `hits`: the vector's nearest neighbours from `index` when the caller already has them (the
    writer queries a whole batch at once); otherwise they are queried here.
    """
    if mem.kind not in RECON_KINDS or mem.layer in _SKIP_LAYERS:
        return None
    slot = _slot_match(store, mem, triples)
    if slot is not None:
        old, slot_conflict = slot
    else:
        old = _vector_match(store, index, mem, vector, set(mem.sources), hits)
        slot_conflict = False
        if old is None:
            return None
    at = mem.created_at
    pe = recon.prediction_error(old_text=old.text, new_text=mem.text, slot_conflict=slot_conflict)
    contra = slot_conflict or recon.has_antonym_conflict(old.text, mem.text)
    mode = recon.mode_for(pe)
    is_core = old.layer is Layer.CORE
    age = _age_days(old, at)
    lock = stability.lock_score(recall_count=old.recall_count, confidence=old.confidence,
                                age_days=age, is_core=is_core)
    protected = is_core or old.pinned
    if mode == "confirmed":
        return Decision(mode, old, pe, None, contra, action="confirm",
                        updates=_confirm_updates(old, at))
    if mode in ("selective_edit", "integration"):
        labile = old.labile_until is not None and at < old.labile_until
        theta = stability.update_threshold(lock=lock, rigidity=stability.rigidity(age_days=age),
                                           labile=labile, ne=ne)
        if not protected and pe >= theta:
            return Decision(mode, old, pe, theta, contra, action="version",
                            updates={"is_current": False, "superseded_at": at, "updated_at": at,
                                     "index_pending": True})
        return Decision(mode, old, pe, theta, contra, link="refines")
    # new_episode
    if not contra:
        return Decision(mode, old, pe, None, contra)
    guarded = protected or lock >= stability.STABILITY_DEFAULT.protect_lock
    updates: dict[str, object] = {"updated_at": at}
    if not protected:
        updates["conf_beta"] = old.conf_beta + 1.0
    return Decision(mode, old, pe, None, contra, link="contradicts", keep_slot_open=guarded,
                    updates=updates)


def _confirm_updates(old: Memory, at: datetime) -> dict[str, object]:
    """α += 1 and an FSRS Easy review (Ebbinghaus recall rule for episodic records)."""
    return {"conf_alpha": old.conf_alpha + 1.0, "updated_at": at,
            **review_updates(old, at, grade=4)}


def versioned(mem: Memory, d: Decision) -> Memory:
    """The planned memory turned into version n+1 of `d.old`."""
    text = mem.text if d.mode == "selective_edit" else recon.merge_text(d.old.text, mem.text)
    sources = list(dict.fromkeys([*d.old.sources, d.old.id, *mem.sources]))
    return mem.model_copy(update={
        "text": text, "version": d.old.version + 1, "root_id": d.old.root_id,
        "supersedes": d.old.id, "sources": sources, "conf_alpha": d.old.conf_alpha,
        "conf_beta": d.old.conf_beta, "encoding_pe": d.pe,
        "metadata": {**mem.metadata, **trust.inherit([d.old, mem], text),
                     "zb_reconsolidation": d.mode},
    })


def log(store: SQLiteStore, d: Decision, *, new_id: str | None, at: datetime) -> None:
    before = store.to_row(d.old)
    store.conn.execute(
        "INSERT INTO reconsolidation_log(user_id, memory_id, new_id, mode, pe, threshold, at, "
        "before_json) VALUES (?,?,?,?,?,?,?,?)",
        (d.old.user_id, d.old.id, new_id, d.mode, d.pe, d.threshold, utc_iso(at),
         json.dumps(before, sort_keys=True, default=str)))
