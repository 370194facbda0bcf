"""Forgetting (SPEC §5.5): which active memories sleep archives, and why. Archive, never delete.

**Redundant** [D]: a consolidated episode whose words its current gist quotes verbatim is archived
(reason `redundant`) once its own medium copy has fallen below the retrieval cascade's 0.3 — the
gist serves it from then on anyway — unless pinned, locked or recently recalled. Priority does not
protect it: the gist carries its words and at least its priority. Otherwise, a memory is archived
only when **all** hold:

* StabilityProtector (§4.2.5): not core, not pinned, lock < 0.5; and not recalled in the last
  `recent_recall_days` (7) days [D: the issue's "recently recalled" protection];
* priority composite < 0.5 (amygdala-flagged memories stay); storage strength < 2.0;
* availability at `now` below θ·(1.5 − 5HT), θ = 0.1 (`exp`) or 0.05 (`fsrs`); for episodes the
  medium copy M alone (the gist may stand in for the verbatim text);
* episodes: already consolidated (reason `consolidated`: the gist keeps it, and recall reaches it
  through its gist) or — only with `ForgetParams.decay_unconsolidated`, off by default — not worth
  keeping raw by the Information-Bottleneck rule (reason `decay`);
* semantic/cross-context: contradicted and low-confidence (E < 0.2 and β ≥ α + 3), reason
  `contradicted`; procedural: failures dominate (β ≥ α + 3), reason `failing`. Never by time alone.

Short-term turns leave through their TTL/overflow (housekeeping), working slots by eviction.
`decide` is pure; `candidates` reads rows and returns `Verdict`s, used by sleep and by the
`zenbrain forget --dry-run` preview.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import numpy as np

from zenbrain.algorithms import fsrs, info_bottleneck, stability, triple_copy
from zenbrain.algorithms.ebbinghaus import archive_threshold
from zenbrain.clock import utc_iso
from zenbrain.consolidation.abstraction import REPEAT_TYPE, clause, content_key
from zenbrain.models import Kind, Layer, Memory
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["ForgetParams", "Verdict", "candidates", "decide", "serotonin"]


@dataclass(frozen=True)
class ForgetParams:
    theta_exp: float = 0.1  # [P]
    theta_fsrs: float = 0.05  # [D]
    protect_priority: float = 0.5  # [P: composite ≥ 0.5 blocks archiving]
    protect_storage: float = 2.0  # [D: SS ≥ 2 is not archived for low availability alone]
    recent_recall_days: float = 7.0  # [D]
    # Optional redundancy gate [D]: a consolidated episode is archived only when its summary's
    # vector is at least this close (cosine) to its own. 0 = SPEC §5.5 as written (the gist
    # exists). Higher keeps more raw episodes (trade-off measured in docs/BENCHMARKS.md).
    redundant_cosine: float = 0.0
    # Archive decayed episodes that no gist covers when the IB rule says so (reason `decay`).
    # Off by default [D]: such an episode is the only carrier of what it says, and on LoCoMo
    # this cost recall for ~2% storage (docs/BENCHMARKS.md, sleep section).
    decay_unconsolidated: bool = False
    # A consolidated episode whose words its live gist quotes verbatim is redundant: archived
    # without waiting for its medium copy to decay (reason `redundant`) [D; the issue: "archive
    # what is redundant or has decayed"]. Protections still apply; nothing of it is lost, and a
    # cue matching it serves the gist (`zenbrain.recall.gist_redirect`).
    archive_quoted: bool = True
    # ... once its own (medium) copy no longer serves recall, i.e. is below the retrieval
    # cascade's threshold and the gist would serve it anyway (SPEC §4.2.3) [D]. 1.0 = at once.
    quoted_below: float = 0.3


FORGET_DEFAULT = ForgetParams()


@dataclass(frozen=True)
class Verdict:
    """One memory the forgetting pass would archive, with the numbers that decided it."""

    memory_id: str
    layer: str
    text: str
    reason: str
    availability: float
    threshold: float
    lock: float
    priority: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _days(a: datetime, b: datetime) -> float:
    return max(0.0, (a - b).total_seconds() / 86_400.0)


def decide(mem: Memory, now: datetime, *, n_entities: int = 0, ht: float = 0.5,
           beta_ctx: float | None = None, gist_cosine: float | None = None,
           quoted: bool = False, repeat: bool = False,
           params: ForgetParams = FORGET_DEFAULT) -> Verdict | None:
    """The verdict for one memory at `now`, or None when it stays.

    `quoted`: the memory's live gist quotes its words verbatim (see `ForgetParams.archive_quoted`).
    `repeat`: that gist is the gist of one recurring line (`abstraction.REPEAT_TYPE`), which
    stands for every copy at once: a quoted copy is archived whatever its availability or last
    recall (a copy left active would be a second result for the same words next to its gist).
    """
    if not mem.active or mem.layer in (Layer.CORE, Layer.WORKING, Layer.SHORT_TERM):
        return None
    if mem.kind is Kind.SUMMARY and mem.metadata.get("zb_anchor"):
        return None  # a gist is the carrier of its sources; it leaves only when they do
    lock = stability.lock_score(recall_count=mem.recall_count, confidence=min(1.0, mem.confidence),
                                age_days=_days(now, mem.created_at), is_core=False)
    if stability.is_protected(lock=lock, pinned=mem.pinned):
        return None
    composite = float(mem.priority.get("composite", 0.0))
    redundant = (params.archive_quoted and quoted and mem.layer is Layer.EPISODIC
                 and mem.consolidated_into is not None)
    if redundant and repeat:
        return Verdict(mem.id, str(mem.layer), mem.text, "redundant", 1.0, 1.0, round(lock, 4),
                       round(composite, 4))
    if mem.last_recalled_at is not None and now - mem.last_recalled_at < timedelta(
            days=params.recent_recall_days):
        return None
    # Priority and storage strength protect what forgetting would lose; a quoted episode loses
    # nothing (its gist carries its words and at least its priority), so they do not apply.
    if not redundant and (composite >= params.protect_priority
                          or mem.storage_strength >= params.protect_storage):
        return None
    if mem.decay_model == "exp":
        theta = archive_threshold(ht=ht) * params.theta_exp / 0.1
        avail = triple_copy.medium(s0=mem.s0, days_since=_days(now, mem.last_review_at),
                                   stability=mem.stability)
    else:
        theta = params.theta_fsrs * (1.5 - ht)
        avail = fsrs.retrievability(elapsed_days=_days(now, mem.last_review_at),
                                    stability=mem.stability)
    if redundant and avail < params.quoted_below:
        return Verdict(mem.id, str(mem.layer), mem.text, "redundant", round(avail, 4),
                       round(theta, 4), round(lock, 4), round(composite, 4))
    if avail >= theta:
        return None
    reason = _reason(mem, now, n_entities=n_entities, beta_ctx=beta_ctx)
    if reason == "decay" and not params.decay_unconsolidated:
        return None
    if reason == "consolidated" and (gist_cosine is None or gist_cosine < params.redundant_cosine):
        return None
    if reason is None:
        return None
    return Verdict(mem.id, str(mem.layer), mem.text, reason, round(avail, 4), round(theta, 4),
                   round(lock, 4), round(composite, 4))


def _reason(mem: Memory, now: datetime, *, n_entities: int, beta_ctx: float | None) -> str | None:
    if mem.layer is Layer.EPISODIC:
        if mem.consolidated_into is not None:
            return "consolidated"
        last = max(mem.last_recalled_at or mem.created_at, mem.created_at)
        beta = beta_ctx if beta_ctx is not None else info_bottleneck.beta_for(
            mem.metadata.get("context_kind"))
        keep = info_bottleneck.should_retain(
            beta_ctx=beta,
            gain=info_bottleneck.gain(recall_count=mem.recall_count,
                                      confidence=min(1.0, mem.confidence),
                                      days_since_last_access=_days(now, last)),
            cost=info_bottleneck.cost(chars=len(mem.text), entities=n_entities,
                                      novelty=mem.novelty))
        return None if keep else "decay"
    low = mem.conf_beta >= mem.conf_alpha + 3
    if mem.layer is Layer.PROCEDURAL:
        return "failing" if low else None
    return "contradicted" if low and mem.confidence < 0.2 else None


def serotonin(store: SQLiteStore, user_id: str, namespace: str) -> float:
    """5HT patience of (user, namespace) from `neuro_state` (0.5, neutral, when none is kept)."""
    raw = store.scalar("SELECT state FROM neuro_state WHERE user_id = ? AND namespace = ?",
                       (user_id, namespace))
    if not raw:
        return 0.5
    try:
        state = json.loads(raw)
    except ValueError:
        return 0.5
    levels: Mapping[str, float] = state.get("levels", state) if isinstance(state, dict) else {}
    value = levels.get("ht", levels.get("5ht", 0.5))
    return float(value) if isinstance(value, int | float) else 0.5


def candidates(store: SQLiteStore, user_id: str, namespace: str | None, now: datetime, *,
               params: ForgetParams = FORGET_DEFAULT) -> list[Verdict]:
    """Every active memory of the user (one namespace, or all) the pass would archive at `now`."""
    where = ("user_id = ? AND archived = 0 AND is_current = 1 AND pinned = 0 AND created_at <= ? "
             "AND layer NOT IN ('core', 'working', 'short_term')")
    args: list[object] = [user_id, utc_iso(now)]
    if namespace is not None:
        where += " AND namespace = ?"
        args.append(namespace)
    mems = store.select_memories(where + " ORDER BY created_at, id", args)
    counts = _entity_counts(store, [m.id for m in mems])
    ht = {ns: serotonin(store, user_id, ns) for ns in {m.namespace for m in mems}}
    consolidated = [m for m in mems if m.consolidated_into]
    gists = _gist_cosines(store, consolidated)
    quoted, repeats = (_quoted_by_gist(store, consolidated) if params.archive_quoted
                       else (set(), set()))
    out = []
    for mem in mems:
        verdict = decide(mem, now, n_entities=counts.get(mem.id, 0), ht=ht[mem.namespace],
                         gist_cosine=gists.get(mem.id), quoted=mem.id in quoted,
                         repeat=mem.id in repeats, params=params)
        if verdict is not None:
            out.append(verdict)
    return out


def _quoted_by_gist(store: SQLiteStore, mems: list[Memory]) -> tuple[set[str], set[str]]:
    """Ids of consolidated episodes whose clause the current, active gist contains verbatim,
    and those of them whose gist is the gist of one recurring line."""
    gists = store.get_many({m.consolidated_into for m in mems if m.consolidated_into})
    out, repeats = set(), set()
    for m in mems:
        gist = gists.get(m.consolidated_into or "")
        if gist is None or not gist.active:
            continue
        if gist.metadata.get("zb_anchor_type") == REPEAT_TYPE:
            # The gist of a recurring line is the line: every copy has its content words.
            if content_key(m.text) == content_key(gist.text):
                out.add(m.id)
                repeats.add(m.id)
        elif clause(m) in gist.text:
            out.add(m.id)
    return out, repeats


def _gist_cosines(store: SQLiteStore, mems: list[Memory]) -> dict[str, float]:
    """Cosine between each consolidated episode and its summary (stored embeddings)."""
    vecs = store.vectors([m.id for m in mems] + [m.consolidated_into for m in mems
                                                   if m.consolidated_into])
    out = {}
    for m in mems:
        a, b = vecs.get(m.id), vecs.get(m.consolidated_into or "")
        if a is not None and b is not None:
            out[m.id] = float(a @ b / (float(np.linalg.norm(a) * np.linalg.norm(b)) + 1e-12))
    return out


def _entity_counts(store: SQLiteStore, ids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.rows(f"SELECT memory_id, COUNT(*) AS n FROM memory_entities "
                              f"WHERE memory_id IN ({marks}) GROUP BY memory_id", chunk):
            out[row["memory_id"]] = row["n"]
    return out
