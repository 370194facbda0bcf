"""Simulation-Selection replay (SPEC §4.1.3; sleep steps 2 and 3).

Stage 1 (select): the pool is every active, current memory of the pair (not core, not working,
not short-term, not already folded into a gist: the gist is what sleep keeps of it) recorded in the
run window, or due (`due_at ≤ now`, or availability < 0.9), and not replayed in the last 20 h.
Stage 2 (score): each gets its TAG value; the 1,000 best are replayed. A TAG above the night's cut
(`sleep_math.strengthen_cut`: 0.5, or the pool's 40th percentile when that is lower) strengthens
(S ×1.5, ×1.2 more when E > 0.5, cap 365 d; SS += 0.1; the KG edges among its entities get a
two-factor co-activation with tag = TAG); otherwise S ×0.95. `last_review_at` is not moved: replay
makes a memory more durable without pretending it was used. A gist written later in the same
night starts at least as stable as its strongest member (`abstraction.summary_memory`), so the
strength replay gave an episode is not lost when the episode is consolidated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from zenbrain.algorithms import sleep_math, two_factor
from zenbrain.clock import parse_utc, utc_iso
from zenbrain.layers.dynamics import availability
from zenbrain.models import Memory
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["Candidate", "replay", "select"]

_REPLAY_KEY = "zb_replayed_at"


@dataclass(frozen=True)
class Candidate:
    memory_id: str
    tag: float
    counterfactual: bool
    strengthen: bool = False


def _recon_pe(store: SQLiteStore, ids: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        for row in store.rows(f"SELECT memory_id, pe FROM reconsolidation_log WHERE memory_id IN "
                              f"({marks}) ORDER BY id", chunk):
            out[row["memory_id"]] = float(row["pe"])  # the last one wins
    return out


def select(store: SQLiteStore, user_id: str, namespace: str, *, window_start: str | None,
           now: datetime, entity_counts: dict[str, int],
           params: sleep_math.SleepParams = sleep_math.SLEEP_DEFAULT) -> list[Candidate]:
    """Stage 1 and the TAG ranking; returns at most `max_replays` candidates, best first."""
    mems = store.select_memories(
        "user_id = ? AND namespace = ? AND archived = 0 AND is_current = 1 AND created_at <= ? "
        "AND consolidated_into IS NULL AND layer NOT IN ('core', 'working', 'short_term') "
        "ORDER BY created_at, id",
        (user_id, namespace, utc_iso(now)))
    gap = timedelta(hours=params.min_gap_hours)
    pool: list[Memory] = []
    for mem in mems:
        last = mem.metadata.get(_REPLAY_KEY)
        if last and now - parse_utc(last) < gap:  # type: ignore[operator]
            continue
        recent = window_start is None or utc_iso(mem.created_at) > window_start
        due = (mem.due_at is not None and mem.due_at <= now) or availability(mem, now).value < 0.9
        if recent or due:
            pool.append(mem)
    recon = _recon_pe(store, [m.id for m in pool])
    scored = []
    for mem in pool:
        pe = sleep_math.replay_pe(encoding_pe=mem.encoding_pe,
                                  reconsolidation_pe=recon.get(mem.id, 0.0), novelty=mem.novelty)
        reward = float(mem.priority.get("reward", 0.3))
        tag = sleep_math.tag_score(pe=pe, reward=reward, n_entities=entity_counts.get(mem.id, 0),
                                   valence=float(mem.emotion.get("valence", 0.0)),
                                   arousal=float(mem.emotion.get("arousal", 0.0)), params=params)
        scored.append(Candidate(mem.id, round(tag, 6),
                                sleep_math.is_counterfactual(pe=pe, reward=reward, params=params)))
    cut = sleep_math.strengthen_cut([c.tag for c in scored], params=params)
    scored = [replace(c, strengthen=sleep_math.should_strengthen(c.tag, params=params, cut=cut))
              for c in scored]
    scored.sort(key=lambda c: (-c.tag, c.memory_id))
    return scored[: params.max_replays]


def replay(store: SQLiteStore, chosen: Sequence[Candidate], *, now: datetime,
           params: sleep_math.SleepParams = sleep_math.SLEEP_DEFAULT) -> dict[str, list[str] | int]:
    """Stage 2; the caller holds the transaction. Returns the ids strengthened/decayed."""
    strengthened: list[str] = []
    decayed: list[str] = []
    edges = 0
    mems = store.get_many([c.memory_id for c in chosen])
    for cand in chosen:
        mem = mems.get(cand.memory_id)
        if mem is None or not mem.active:
            continue
        e = sleep_math.emotion_e(valence=float(mem.emotion.get("valence", 0.0)),
                                 arousal=float(mem.emotion.get("arousal", 0.0)))
        new_s = sleep_math.replay_stability(stability=mem.stability, tag=cand.tag, emotion_e=e,
                                            params=params, strengthen=cand.strengthen)
        updates: dict[str, object] = {"stability": new_s,
                                      "metadata": {**mem.metadata, _REPLAY_KEY: utc_iso(now)}}
        if cand.strengthen:
            updates["storage_strength"] = mem.storage_strength + params.ss_bonus
            strengthened.append(mem.id)
            edges += _co_activate_edges(store, mem, cand.tag, now)
        else:
            decayed.append(mem.id)
        store.update(mem.id, **updates)
    return {"strengthened": strengthened, "decayed": decayed, "edges": edges}


def _co_activate_edges(store: SQLiteStore, mem: Memory, tag: float, now: datetime) -> int:
    ents = [r["entity_id"] for r in store.rows(
        "SELECT entity_id FROM memory_entities WHERE memory_id = ?", (mem.id,))]
    if len(ents) < 2:
        return 0
    marks = ",".join("?" * len(ents))
    rows = store.rows(
        f"SELECT id, weight, variance, activation_count FROM kg_edges WHERE user_id = ? AND "
        f"archived = 0 AND valid_to IS NULL AND src IN ({marks}) AND dst IN ({marks}) "
        "ORDER BY id", [mem.user_id, *ents, *ents])
    for row in rows:
        state = two_factor.co_activate(
            two_factor.EdgeState(row["weight"], max(row["variance"], 1e-6),
                                 int(row["activation_count"])), tag=tag)
        store.conn.execute(
            "UPDATE kg_edges SET weight = ?, variance = ?, activation_count = ?, "
            "last_activated_at = ? WHERE id = ?",
            (state.weight, state.variance, state.activation_count, utc_iso(now), row["id"]))
    return len(rows)

