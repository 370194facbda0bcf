"""Recall: scope → candidates → filter → score → explain → retrieval-practice side effects.

Foundation scoring (the fusion pipeline of SPEC §5.2 replaces the single vector channel later):

    score = cosine × L[query type][layer] × (0.5 + 0.5·availability) × T

where L is the layer-prior table of SPEC §5.2 and T = 1.5 inside a parsed temporal window, 0.5
outside it, 1 without one. Working-memory slots of the session come first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from zenbrain.algorithms import fsrs
from zenbrain.algorithms.ebbinghaus import episodic_recall_stability, retention
from zenbrain.algorithms.two_factor import storage_strength_gain
from zenbrain.clock import utc_iso
from zenbrain.extract import kinds, timeexpr
from zenbrain.layers.cross_context import ALL_NAMESPACES
from zenbrain.layers.dynamics import availability
from zenbrain.layers.working import DEFAULT_SESSION
from zenbrain.models import Layer, Memory, Recollection
from zenbrain.recall.channels import vector_candidates
from zenbrain.store.chroma import ChromaIndex
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["LAYER_WEIGHTS", "RecallRequest", "recall", "apply_practice"]

# SPEC §5.2 layer priors [D].
LAYER_WEIGHTS: dict[str, dict[Layer, float]] = {
    "temporal": dict(zip(Layer, (0.5, 1.0, 1.3, 0.8, 0.3, 0.8, 0.6), strict=True)),
    "procedural": dict(zip(Layer, (0.5, 0.6, 0.7, 0.8, 1.4, 0.8, 0.7), strict=True)),
    "factual": dict(zip(Layer, (0.6, 0.7, 0.9, 1.3, 0.5, 1.2, 1.0), strict=True)),
    "general": dict(zip(Layer, (0.8, 0.9, 1.0, 1.0, 0.8, 1.1, 0.9), strict=True)),
}
_LABILE = timedelta(hours=6)


@dataclass(frozen=True)
class RecallRequest:
    query: str
    user_id: str
    namespace: str
    k: int
    at: datetime
    layers: set[Layer] | None
    explain: bool
    session_id: str | None
    short_term_ttl: timedelta
    include_archived: bool = False


def _visible(mem: Memory, req: RecallRequest) -> bool:
    if mem.user_id != req.user_id and mem.layer is not Layer.CROSS_CONTEXT:
        return False
    if mem.namespace not in (req.namespace, ALL_NAMESPACES):
        return False
    if mem.archived and not req.include_archived:
        return False
    if mem.created_at > req.at:
        return False
    # The version that was current at `at`: superseded later still counts (time travel).
    if not mem.is_current and (mem.superseded_at is None or mem.superseded_at <= req.at):
        return False
    if req.layers is not None and mem.layer not in req.layers:
        return False
    if mem.layer is Layer.WORKING:
        return False  # served from its slots instead
    return not (mem.layer is Layer.SHORT_TERM and req.at - mem.created_at > req.short_term_ttl)


def recall(
    *, store: SQLiteStore, index: ChromaIndex, qvec: np.ndarray, req: RecallRequest
) -> list[Recollection]:
    qtype = kinds.classify_query(req.query)
    window = timeexpr.query_window(req.query, at=req.at) if qtype == "temporal" else None
    n = max(50, 5 * req.k)
    sims = vector_candidates(store=store, index=index, user_id=req.user_id, qvec=qvec, n=n)
    mems = store.get_many(sims)
    stale = _stale_slots(store, req)
    scored: list[tuple[float, Memory, list[str], dict[str, int]]] = []
    ranked_ids = sorted(sims, key=lambda i: -sims[i])
    vector_rank = {mid: i + 1 for i, mid in enumerate(ranked_ids)}
    for mid in ranked_ids:
        mem = mems.get(mid)
        if mem is None:
            continue
        if not _visible(mem, req):
            continue
        sim = sims[mid]
        weight = LAYER_WEIGHTS[qtype][mem.layer]
        avail = availability(mem, req.at)
        t_factor = 1.0
        if window is not None:
            t_factor = 1.5 if window.start <= mem.event_time < window.end else 0.5
        stale_by = stale.get(mid)
        stale_factor = 0.5 if stale_by else 1.0
        score = max(sim, 0.0) * weight * (0.5 + 0.5 * avail.value) * t_factor * stale_factor
        reasons = _reasons(mem, req, sim, vector_rank[mid], qtype, weight, avail.value, t_factor)
        if stale_by:
            relation, newer, when = stale_by
            reasons.append(f"stale: {relation} superseded by {newer} on {when[:10]}"
                           if req.explain else f"stale:{relation}")
        scored.append((score, mem, reasons, {"vector": vector_rank[mid]}))
    scored.sort(key=lambda s: (-s[0], s[1].id))
    results = [_working_slot(req, m) for m in _slot_memories(store, req)]
    taken = {r.memory.id for r in results}
    seen_text = {r.memory.content_hash for r in results}
    for score, mem, reasons, routes in scored:
        if len(results) >= req.k:
            break
        # One experience stored twice (a turn and its episode) is returned once, best first.
        if mem.id in taken or mem.content_hash in seen_text:
            continue
        seen_text.add(mem.content_hash)
        avail = availability(mem, req.at)
        text = mem.text
        results.append(Recollection(
            memory=mem, score=round(score, 6), reasons=reasons, routes=routes, copy=avail.copy,
            text=text, sudden_recall=avail.sudden_recall))
    return results[: req.k]


def _stale_slots(store: SQLiteStore, req: RecallRequest) -> dict[str, tuple[str, str, str]]:
    """memory id → (relation, newer memory id, when) for memories that asserted a functional
    slot value (lives_in, works_at, …) that a later memory closed before `at` (SPEC §5.2 `stale`).

    A memory with any closed slot counts as stale, not only one whose every slot closed: it
    still states something that is no longer true.
    """
    closed = store.rows(
        "SELECT src, relation, valid_to, source_memory_ids FROM kg_edges WHERE user_id = ? "
        "AND valid_to IS NOT NULL AND valid_to <= ?", (req.user_id, utc_iso(req.at)))
    if not closed:
        return {}
    successors = {
        (r["src"], r["relation"]): json.loads(r["source_memory_ids"])
        for r in store.rows(
            "SELECT src, relation, source_memory_ids FROM kg_edges WHERE user_id = ? AND "
            "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from",
            (req.user_id, utc_iso(req.at), utc_iso(req.at)))
    }
    out: dict[str, tuple[str, str, str]] = {}
    for edge in closed:
        newer = successors.get((edge["src"], edge["relation"]), ["a newer memory"])
        for mid in json.loads(edge["source_memory_ids"]):
            if mid not in newer:
                out[mid] = (edge["relation"], newer[-1], edge["valid_to"])
    return out


def _slot_memories(store: SQLiteStore, req: RecallRequest) -> list[Memory]:
    if req.session_id is None or (req.layers is not None and Layer.WORKING not in req.layers):
        return []
    rows = store.rows(
        "SELECT memory_id FROM working_slots WHERE user_id = ? AND namespace = ? AND session_id = ? "
        "ORDER BY relevance DESC", (req.user_id, req.namespace, req.session_id or DEFAULT_SESSION))
    found = store.get_many([r["memory_id"] for r in rows])
    return [found[r["memory_id"]] for r in rows
            if r["memory_id"] in found and found[r["memory_id"]].created_at <= req.at]


def _working_slot(req: RecallRequest, mem: Memory) -> Recollection:
    reason = "working-memory slot of this session" if req.explain else "working-slot"
    return Recollection(memory=mem, score=1.0, reasons=[reason], routes={"working": 1},
                        copy="record", text=mem.text)


def _reasons(mem: Memory, req: RecallRequest, sim: float, rank: int, qtype: str, weight: float,
             avail: float, t_factor: float) -> list[str]:
    if not req.explain:
        out = [f"vector#{rank}", f"layer:{mem.layer}×{weight}", f"R={avail:.2f}"]
        if t_factor != 1.0:
            out.append(f"time×{t_factor}")
        if mem.layer is Layer.CROSS_CONTEXT and mem.user_id != req.user_id:
            out.append(f"shared-by:{mem.user_id}")
        return out
    last = mem.last_recalled_at or mem.last_review_at
    days = max(0.0, (req.at - last).total_seconds() / 86_400)
    out = [
        f"vector similarity {sim:.2f} (rank {rank})",
        f"{mem.layer} layer weighted ×{weight} for a {qtype} query",
        f"retrievability {avail:.2f} (S = {mem.stability:.1f} d, last reviewed {days:.1f} d ago)"
        if mem.layer is not Layer.CORE else "core memory: always available (R = 1)",
        f"confidence {mem.confidence:.2f}",
    ]
    if t_factor > 1.0:
        out.append(f"inside the asked time window (×{t_factor})")
    elif t_factor < 1.0:
        out.append(f"outside the asked time window (×{t_factor})")
    if mem.layer is Layer.CROSS_CONTEXT and mem.user_id != req.user_id:
        out.append(f"shared on purpose by {mem.user_id}")
    return out


def apply_practice(
    *, store: SQLiteStore, results: list[Recollection], at: datetime, qtype: str, user_id: str
) -> None:
    """Retrieval practice for ranks 1–3 (SPEC §5.2 step 9), skipped for time-travel queries."""
    for rec in results[:3]:
        mem = store.get(rec.memory.id)
        if mem is None or mem.layer in (Layer.WORKING,):
            continue
        if mem.last_recalled_at is not None and at <= mem.last_recalled_at:
            continue
        if at < mem.created_at:
            continue
        days = max(0.0, (at - mem.last_review_at).total_seconds() / 86_400)
        updates: dict[str, object] = {
            "recall_count": mem.recall_count + 1, "last_recalled_at": at,
            "labile_until": at + _LABILE, "fast_at": at, "updated_at": at,
        }
        if mem.decay_model == "fsrs":
            r = fsrs.retrievability(elapsed_days=days, stability=mem.stability)
            # Reviews less than 1 h apart merge into one (SPEC §4.1.2).
            if days >= 1 / 24:
                new_s = fsrs.next_stability(difficulty=mem.difficulty, stability=mem.stability,
                                            retrievability=r, grade=3)
                updates.update(stability=new_s, last_review_at=at,
                               difficulty=fsrs.next_difficulty(difficulty=mem.difficulty, grade=3),
                               due_at=at + timedelta(days=fsrs.interval_days(stability=new_s)))
            updates["storage_strength"] = mem.storage_strength + storage_strength_gain(retrievability=r)
        elif mem.decay_model == "exp":
            r = retention(elapsed_days=days, stability=mem.stability)
            if days >= 1 / 24:
                updates.update(stability=episodic_recall_stability(stability=mem.stability,
                                                                   retrievability=r),
                               last_review_at=at)
            updates["storage_strength"] = mem.storage_strength + storage_strength_gain(retrievability=r)
        store.update(mem.id, **updates)
    store.conn.execute(
        "INSERT INTO recall_log(user_id, at, query_type, returned_ids, layers) VALUES (?,?,?,?,?)",
        (user_id, utc_iso(at), qtype, json.dumps([r.memory.id for r in results]),
         json.dumps(sorted({str(r.memory.layer) for r in results}))),
    )
