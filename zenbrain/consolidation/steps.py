"""The body of each sleep step (SPEC §5.3 steps 1–6) for one (user, namespace).

Each function runs inside one SQLite transaction opened by `sleep.py`, adds its results to the
run's state dict `st` (persisted with the step number in the same transaction) and lists the ids
whose vector metadata must be refreshed under `st["_touched"]`. Because a step commits all or
nothing, a run killed at any point resumes at the first unfinished step from the same state.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from zenbrain import trust
from zenbrain.algorithms import information, sleep_math, stability
from zenbrain.clock import to_utc, utc_iso
from zenbrain.consolidation import abstraction, clustering, forgetting, graph_upkeep, replay
from zenbrain.consolidation.clustering import Anchor
from zenbrain.extract import passages
from zenbrain.layers import short_term
from zenbrain.layers.base import CORE_STABILITY
from zenbrain.models import Kind, Layer, Memory
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["Env", "abstract", "homeostasis", "housekeeping", "integrate", "replay_step",
           "select_step"]

MAX_SYSTEM2 = 20  # SPEC §4.1.8
MAX_DEBATES = 5  # SPEC §4.1.9


@dataclass
class Env:
    """What the steps need from the brain (no Brain object: consolidation sits below it)."""

    store: SQLiteStore
    embed: Callable[[Sequence[str]], np.ndarray]
    model_name: str
    summariser: abstraction.Summariser | None = None
    short_term_ttl_hours: float = 24.0
    short_term_capacity: int = 20
    working_idle_minutes: float = 30.0
    core_max_blocks: int = 20
    cluster: clustering.ClusterParams = field(default_factory=clustering.ClusterParams)
    forget: forgetting.ForgetParams = forgetting.FORGET_DEFAULT


def _touch(st: dict[str, Any], ids: Sequence[str]) -> None:
    st.setdefault("_touched", []).extend(ids)


def _add(st: dict[str, Any], key: str, values: Sequence[Any]) -> None:
    st.setdefault(key, []).extend(values)


def _count(st: dict[str, Any], key: str, n: int) -> None:
    st[key] = st.get(key, 0) + n


def _archive(store: SQLiteStore, mem: Memory, reason: str, now: datetime) -> None:
    store.update(mem.id, archived=True, archived_at=now, archive_reason=reason, updated_at=now,
                 index_pending=True)
    store.log_event(now, mem.user_id, mem.namespace, "archive", mem.id,
                    {"reason": reason, "by": "sleep"})


# ---- step 1: housekeeping ---------------------------------------------------------------------


def housekeeping(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    """Expire short-term turns (TTL/overflow) and idle working slots; queue the outbox."""
    store = env.store
    rows = store.rows(
        "SELECT id, session_id, created_at FROM memories WHERE user_id = ? AND namespace = ? AND "
        "layer = 'short_term' AND archived = 0 AND created_at <= ? ORDER BY created_at, id",
        (user, ns, utc_iso(now)))
    by_session: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_session[r["session_id"]].append(r)
    expired: list[str] = []
    for turns in by_session.values():
        if short_term.session_expired(last_activity=to_utc(turns[-1]["created_at"]), now=now,
                                      ttl_hours=env.short_term_ttl_hours):
            expired += [t["id"] for t in turns]
        else:
            expired += short_term.overflow_ids([t["id"] for t in turns],
                                               capacity=env.short_term_capacity)
    mems = store.get_many(expired)
    for mid in expired:
        _archive(store, mems[mid], short_term.EXPIRED_REASON, now)
    idle = utc_iso(now - timedelta(minutes=env.working_idle_minutes))
    store.conn.execute("DELETE FROM working_slots WHERE user_id = ? AND namespace = ? AND "
                       "updated_at < ?", (user, ns, idle))
    _add(st, "expired_ids", expired)
    pending = [r["id"] for r in store.rows(
        "SELECT id FROM memories WHERE user_id = ? AND namespace = ? AND index_pending = 1",
        (user, ns))]
    _touch(st, pending)


# ---- steps 2 and 3: select and replay -----------------------------------------------------------


def _entity_counts(store: SQLiteStore, user: str) -> dict[str, int]:
    return {r["memory_id"]: r["n"] for r in store.rows(
        "SELECT me.memory_id, COUNT(*) AS n FROM memory_entities me JOIN memories m "
        "ON m.id = me.memory_id WHERE m.user_id = ? GROUP BY me.memory_id", (user,))}


def select_step(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    chosen = replay.select(env.store, user, ns, window_start=st["window"][0], now=now,
                           entity_counts=_entity_counts(env.store, user))
    st["selected"] = [[c.memory_id, c.tag, c.counterfactual, c.strengthen] for c in chosen]
    _count(st, "candidates", len(chosen))
    _count(st, "counterfactuals", sum(1 for c in chosen if c.counterfactual))


def replay_step(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    # A run resumed from a state saved before the strengthen flag existed decides by TAG > 0.5.
    chosen = [replay.Candidate(row[0], row[1], row[2], row[3] if len(row) > 3
                               else sleep_math.should_strengthen(row[1]))
              for row in st.get("selected", [])]
    done = replay.replay(env.store, chosen, now=now)
    _add(st, "replayed_ids", [c.memory_id for c in chosen])
    _count(st, "strengthened", len(done["strengthened"]))  # type: ignore[arg-type]
    _count(st, "decayed", len(done["decayed"]))  # type: ignore[arg-type]
    _count(st, "edges_strengthened", int(done["edges"]))  # type: ignore[arg-type]


# ---- step 4: abstraction ------------------------------------------------------------------------


@dataclass
class _Plan:
    anchor: Anchor
    part: int
    members: list[Memory]  # every member of the summary, old ones first
    new: list[Memory]  # members joining in this run
    previous: Memory | None = None
    layer: Layer = Layer.SEMANTIC
    repeat: bool = False  # one line said again and again (`_plan_repeats`)


def _lock(mem: Memory, now: datetime) -> float:
    age = max(0.0, (now - mem.created_at).total_seconds() / 86_400)
    return stability.lock_score(recall_count=mem.recall_count, confidence=min(1.0, mem.confidence),
                                age_days=age, is_core=mem.layer is Layer.CORE)


def _existing(store: SQLiteStore, user: str, ns: str, *layers: Layer) -> dict[str, list[Memory]]:
    out: dict[str, list[Memory]] = defaultdict(list)
    marks = ",".join("?" * len(layers))
    for m in store.select_memories(
            f"user_id = ? AND namespace = ? AND layer IN ({marks}) AND is_current = 1 AND "
            f"archived = 0 AND {store.json_text('metadata', 'zb_anchor')} IS NOT NULL",
            (user, ns, *(str(x) for x in layers))):
        out[m.metadata["zb_anchor"]].append(m)
    for parts in out.values():
        parts.sort(key=lambda m: int(m.metadata.get("zb_part", 0)))
    return out


def _text_fn(anchor: Anchor) -> Callable[[Sequence[Memory]], str]:
    def text(members: Sequence[Memory]) -> str:
        ordered = sorted(members, key=lambda m: (m.event_time, m.id))
        return abstraction.summary_text(anchor.name, anchor.type,
                                        [abstraction.clause(m) for m in ordered], limit=None)
    return text


def _plan_anchor(anchor: Anchor, members: list[Memory], parts: list[Memory],
                 store: SQLiteStore, vectors: dict[str, np.ndarray],
                 params: clustering.ClusterParams, *, by_time: bool) -> tuple[list[_Plan], list[Memory]]:
    """Plans for one anchor's unconsolidated members, and the members left over."""
    plans: list[_Plan] = []
    text_of = _text_fn(anchor)
    rest = members
    if parts:
        last = parts[-1]
        prior = [m for m in store.get_many(last.sources).values()]
        prior.sort(key=lambda m: (m.event_time, m.id))
        chunks = clustering.pack(members, text_of, params=params, start=prior, gap=False)
        joined = chunks[0][len(prior):]
        if joined:
            plans.append(_Plan(anchor, int(last.metadata.get("zb_part", 0)), chunks[0], joined,
                               previous=last))
        rest = [m for c in chunks[1:] for m in c]
    next_part = (int(parts[-1].metadata.get("zb_part", 0)) + 1) if parts else 0
    leftovers: list[Memory] = []
    groups = ([rest] if by_time and not params.split_all
              else clustering.split_by_meaning(rest, vectors, params=params))
    for group in groups:
        for chunk in clustering.pack(group, text_of, params=params, gap=by_time):
            if len(chunk) >= params.min_members:
                plans.append(_Plan(anchor, next_part, chunk, chunk))
                next_part += 1
            else:
                leftovers += chunk
    return plans, leftovers


def _time_anchor(mem: Memory) -> Anchor:
    return Anchor(f"time:{mem.session_id}", f"{mem.event_time.day} {mem.event_time:%B %Y}", "conversation")


def _episodes(store: SQLiteStore, user: str, ns: str, now: datetime) -> list[Memory]:
    eps = store.select_memories(
        "user_id = ? AND namespace = ? AND layer = 'episodic' AND archived = 0 AND is_current = 1 "
        "AND consolidated_into IS NULL AND pinned = 0 AND created_at <= ? AND "
        f"{store.json_text('metadata', 'zb_anchor')} IS NULL ORDER BY event_time, id",
        (user, ns, utc_iso(now)))
    # (A gist recorded in the episodic layer, see `_gist_layer`, is not an episode to cluster.)
    # Protected memories (StabilityProtector lock ≥ 0.5) are never merged (SPEC §4.2.5), and
    # instruction-flagged ones are kept out of abstraction (docs/SECURITY.md).
    return [m for m in eps if _lock(m, now) < stability.STABILITY_DEFAULT.protect_lock
            and trust.is_abstractable(m.metadata)]


def _entities_of(store: SQLiteStore, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {m: [] for m in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT memory_id, entity_id FROM memory_entities WHERE memory_id "
                            f"IN ({marks}) ORDER BY memory_id, entity_id", chunk):
            out[r["memory_id"]].append(r["entity_id"])
    return out


# A line carries no content below this information content (`algorithms.information`: small
# talk ≈ 0, a durable first-person fact ≥ 0.7) [D]. Missing (memories written before the field
# existed) counts as content.
CONTENT_FREE_BELOW = 0.3


def content_free(mem: Memory) -> bool:
    """Says nothing worth knowing: low information content and no durable fact (issue 13)."""
    return (float(mem.priority.get("information", 1.0)) < CONTENT_FREE_BELOW
            and not mem.metadata.get("zb_slots"))


def _gist_layer(plan: _Plan) -> Layer:
    """Semantic (knowledge) for a gist about an entity, or for one that says something: a
    conversation or a repeated line with no member carrying information (`content_free`) is a
    record of what was said, kept as an episodic summary [D, issue 13]. In the semantic layer
    it would take that layer's prior for factual questions (×1.3 against ×0.9 for the episode
    that states the fact), so a gist of small talk outranked the facts said once."""
    if plan.layer is not Layer.SEMANTIC:
        return plan.layer
    by_content = plan.repeat or plan.anchor.key.startswith("time:")
    if by_content and all(content_free(m) for m in plan.members):
        return Layer.EPISODIC
    return Layer.SEMANTIC


def _plan_repeats(store: SQLiteStore, eps: list[Memory], existing: dict[str, list[Memory]],
                  params: clustering.ClusterParams) -> tuple[list[_Plan], list[Memory]]:
    """Recurring content-free lines ("ugh, Mondays" said 30 times): every copy of one line — the
    same content words, `abstraction.content_key` — joins one gist whose text is the line
    itself (`abstraction.repeat_text`), instead of a copy being quoted in every conversation
    gist of the day it was said. A line needs `min_members` copies (one more joins an existing
    gist). Returns the plans and the episodes left for the other clusters.

    Why: recall shows one result per line (the same words said again are one result), so the
    copies of a recurring line take one slot before sleep; quoted into thirty different
    conversation gists they took thirty, ahead of the facts said once. The gist says the same
    words as its copies, so it and a copy said after the sleep are still one result.
    """
    groups: dict[str, list[Memory]] = defaultdict(list)
    for m in eps:
        if content_free(m):
            groups[abstraction.content_key(m.text)].append(m)
    plans: list[_Plan] = []
    taken: set[str] = set()
    for line in sorted(groups):
        members = groups[line]
        key = "repeat:" + hashlib.sha1(line.encode()).hexdigest()[:20]
        parts = existing.get(key, [])
        anchor = Anchor(key, "Said again and again", abstraction.REPEAT_TYPE)
        if parts:
            last = parts[-1]
            prior = sorted(store.get_many(last.sources).values(), key=lambda m: (m.event_time, m.id))
            plans.append(_Plan(anchor, int(last.metadata.get("zb_part", 0)), prior + members,
                               members, previous=last, repeat=True))
        elif len(members) >= params.min_members:
            plans.append(_Plan(anchor, 0, members, members, repeat=True))
        else:
            continue
        taken.update(m.id for m in members)
    return plans, [m for m in eps if m.id not in taken]


def plan_clusters(env: Env, user: str, ns: str, now: datetime) -> list[_Plan]:
    store, params = env.store, env.cluster
    eps = _episodes(store, user, ns, now)
    if not eps:
        return []
    existing = _existing(store, user, ns, Layer.SEMANTIC, Layer.EPISODIC)
    plans, eps = _plan_repeats(store, eps, existing, params)
    if not eps:
        return plans
    ids = [m.id for m in eps]
    ents = _entities_of(store, ids)
    nodes = {r["id"]: r for r in store.rows(
        "SELECT id, name, type FROM kg_nodes WHERE user_id = ? AND archived = 0", (user,))}
    types = {k: v["type"] for k, v in nodes.items()}
    overall = {r["entity_id"]: r["n"] for r in store.rows(
        "SELECT me.entity_id, COUNT(*) AS n FROM memory_entities me JOIN kg_nodes n "
        "ON n.id = me.entity_id WHERE n.user_id = ? GROUP BY me.entity_id", (user,))}
    anchor_of = clustering.anchors_of(eps, ents, types, overall)
    vectors = store.vectors(ids)
    by_anchor: dict[tuple[str, str], list[Memory]] = defaultdict(list)
    loose: list[Memory] = []
    for m in eps:
        a = anchor_of[m.id]
        (by_anchor[(a, "")] if a is not None else loose).append(m)
    for ent, voice in sorted(by_anchor):
        node = nodes[ent]
        members = by_anchor[(ent, voice)]
        key = ent + (f"|{voice}" if voice else "")
        if len(members) < params.min_members and key not in existing:
            loose += members
            continue
        got, left = _plan_anchor(Anchor(key, node["name"], node["type"]), members,
                                 existing.get(key, []), store, vectors, params, by_time=False)
        plans += got
        loose += left
    by_time: dict[str, list[Memory]] = defaultdict(list)
    anchors: dict[str, Anchor] = {}
    # Only turns of one conversation form a time cluster; unrelated notes of a day do not.
    for m in sorted((m for m in loose if m.session_id), key=lambda m: (m.event_time, m.id)):
        anchor = _time_anchor(m)
        anchors.setdefault(anchor.key, anchor)
        by_time[anchor.key].append(m)
    for key in sorted(by_time):
        parts = existing.get(key, [])
        anchor = anchors[key]
        if parts:  # keep the name the first summary of this conversation used
            anchor = Anchor(key, parts[0].metadata.get("zb_anchor_name", anchor.name),
                            parts[0].metadata.get("zb_anchor_type", anchor.type))
        got, _ = _plan_anchor(anchor, by_time[key], parts, store, vectors, params, by_time=True)
        plans += got
    return plans


_TRIGGER = re.compile(r"\bhow (?:to|do i|do you|can i)\s+([^:.?!\n]{3,80})", re.I)


def _trigger(mem: Memory) -> str | None:
    raw = mem.metadata.get("trigger") or mem.metadata.get("zb_trigger")
    if not raw:
        match = _TRIGGER.search(mem.text)
        raw = match.group(1) if match else None
    return " ".join(str(raw).lower().split()) if raw else None


def plan_procedures(env: Env, user: str, ns: str, now: datetime) -> list[_Plan]:
    """Procedures with the same trigger, seen at least twice, merge into one [SPEC §5.3]."""
    store = env.store
    procs = store.select_memories(
        "user_id = ? AND namespace = ? AND layer = 'procedural' AND archived = 0 AND "
        "is_current = 1 AND consolidated_into IS NULL AND pinned = 0 AND created_at <= ? AND "
        f"{store.json_text('metadata', 'zb_anchor')} IS NULL ORDER BY event_time, id",
        (user, ns, utc_iso(now)))
    groups: dict[str, list[Memory]] = defaultdict(list)
    for m in procs:
        trig = _trigger(m)
        if (trig and _lock(m, now) < stability.STABILITY_DEFAULT.protect_lock
                and trust.is_abstractable(m.metadata)):
            groups[trig].append(m)
    existing = _existing(store, user, ns, Layer.PROCEDURAL)
    plans = []
    for trig in sorted(groups):
        key = f"proc:{trig}"
        members = groups[trig]
        anchor = Anchor(key, f"How to {trig}", "procedure")
        parts = existing.get(key, [])
        if parts:
            prior = list(store.get_many(parts[-1].sources).values())
            plans.append(_Plan(anchor, 0, prior + members, members, previous=parts[-1],
                               layer=Layer.PROCEDURAL))
        elif len(members) >= 2:
            plans.append(_Plan(anchor, 0, members, members, layer=Layer.PROCEDURAL))
    return plans


def _write_summary(env: Env, user: str, ns: str, plan: _Plan, text: str, vector: np.ndarray,
                   sentences: np.ndarray | None, coh: float, now: datetime,
                   rationale: str) -> Memory:
    store = env.store
    meta: dict[str, Any] = {
        "zb_anchor": plan.anchor.key, "zb_anchor_name": plan.anchor.name,
        "zb_anchor_type": plan.anchor.type, "zb_part": plan.part,
        "zb_cluster_key": abstraction.cluster_key(user, ns, plan.anchor.key, plan.part),
        "zb_coherence": round(coh, 4), "zb_system": 2 if rationale else 1,
    }
    if rationale:
        meta["zb_rationale"] = rationale
    # Taint survives sleep: the summary is no more trusted than its least trusted source.
    meta["zb_source"] = trust.DERIVED
    meta.update(trust.inherit([*plan.members, *([plan.previous] if plan.previous else [])], text))
    mem = abstraction.summary_memory(user_id=user, namespace=ns, text=text, members=plan.members,
                                     now=now, metadata=meta, previous=plan.previous)
    layer = _gist_layer(plan)
    if layer is not mem.layer:
        mem = mem.model_copy(update={"layer": layer})
    if plan.repeat:
        # Repetition of content-free text earns nothing (issue 13): the n copies make the gist
        # as strong as n reviews only in proportion to what the line says.
        info = max(float(m.priority.get("information", 1.0)) for m in plan.members)
        base = abstraction.FSRS_GOOD_S0 * abstraction.REPLAY_BONUS
        mem = mem.model_copy(update={"stability": information.interpolate(
            old=base, reviewed=max(base, mem.stability), information=min(1.0, info))})
    if plan.layer is Layer.PROCEDURAL:
        n = len(plan.members)
        mem = mem.model_copy(update={"layer": Layer.PROCEDURAL, "kind": Kind.PROCEDURE,
                                     "stability": 7.0 * abstraction.REPLAY_BONUS,
                                     "conf_alpha": 1.0 + n, "conf_beta": 1.0})
    store.insert_memories([mem], np.asarray([vector]), env.model_name)
    if sentences is not None:
        store.set_sentence_vectors([(mem.id, sentences)])
    for m in plan.members:
        store.add_link(mem.id, m.id, "derived_from", now)
    if plan.previous is not None:
        store.update(plan.previous.id, is_current=False, superseded_by=mem.id, superseded_at=now,
                     updated_at=now, index_pending=True)
        store.add_link(mem.id, plan.previous.id, "supersedes", now)
    new_ids = {m.id for m in plan.new}
    for m in plan.members:
        if m.id in new_ids:
            store.update(m.id, consolidated_into=mem.id, deep_created_at=now, updated_at=now)
        else:
            store.update(m.id, consolidated_into=mem.id)
    ents = sorted({e for es in _entities_of(store, [m.id for m in plan.members]).values() for e in es})
    for ent in ents:
        store.conn.execute("INSERT INTO memory_entities(memory_id, entity_id, role) "
                           "VALUES (?, ?, 'mention') ON CONFLICT DO NOTHING", (mem.id, ent))
    store.log_event(now, user, ns, "consolidate", mem.id,
                    {"sources": len(mem.sources), "anchor": plan.anchor.key,
                     "previous": plan.previous.id if plan.previous else None})
    return mem


def abstract(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    """SWS-c: clusters → semantic summaries (new or new versions); repeated procedures merge."""
    store = env.store
    plans = plan_clusters(env, user, ns, now) + plan_procedures(env, user, ns, now)
    if not plans:
        return
    member_vecs = store.vectors([m.id for p in plans for m in p.members])
    texts, rationales, cohs = [], [], []
    system2 = 0
    for plan in plans:
        vecs = [member_vecs[m.id] for m in plan.members if m.id in member_vecs]
        coh = abstraction.coherence(vecs)
        ordered = sorted(plan.members, key=lambda m: (m.event_time, m.id))
        clauses = abstraction.distinct_clauses([abstraction.clause(m) for m in ordered])
        if plan.repeat:  # the line itself, in its most frequent wording (see `_plan_repeats`)
            texts.append(abstraction.repeat_text(ordered))
            rationales.append("")
            cohs.append(abstraction.coherence(vecs))
            continue
        text = abstraction.summary_text(plan.anchor.name, plan.anchor.type, clauses)
        prev = plan.previous
        if prev is not None and _lock(prev, now) >= stability.STABILITY_DEFAULT.protect_lock:
            # A locked summary is not rewritten: its words stay, the new clauses are appended.
            extra = [c for c in abstraction.distinct_clauses(
                [abstraction.clause(m) for m in sorted(plan.new, key=lambda m: (m.event_time, m.id))])
                if c not in prev.text]
            text = "; ".join([prev.text.rstrip(".!?; "), *extra])[: abstraction.SUMMARY_MAX_CHARS]
        rationale = ""
        needs_s2 = coh < 0.6 or len(plan.members) >= 8
        if env.summariser is not None and needs_s2 and system2 < MAX_SYSTEM2 and vecs:
            system2 += 1
            cand, why = env.summariser.summarise(f"{plan.anchor.name} ({plan.anchor.type})", clauses)
            cand = cand.strip()[: abstraction.SUMMARY_MAX_CHARS]
            if cand:
                centroid = np.mean(np.stack(vecs), axis=0)
                v = env.embed([cand])[0]
                cos = float(v @ centroid / (np.linalg.norm(v) * np.linalg.norm(centroid) + 1e-12))
                if cos >= 0.5:  # faithfulness check (SPEC §4.1.8)
                    text, rationale = cand, why or "system 2"
        texts.append(text)
        rationales.append(rationale)
        cohs.append(coh)
    vectors = env.embed(texts)
    sentence_vectors = passages.encode_sentences(env.embed, texts)
    for plan, text, vec, sents, coh, why in zip(plans, texts, vectors, sentence_vectors, cohs,
                                                rationales, strict=True):
        mem = _write_summary(env, user, ns, plan, text, vec, sents, coh, now, why)
        _touch(st, [mem.id] + ([plan.previous.id] if plan.previous else []))
        if plan.layer is Layer.PROCEDURAL:
            _add(st, "procedural_created", [mem.id])
            for m in plan.new:  # the merged procedure replaces them; restorable
                _archive(store, m, "merged", now)
                _touch(st, [m.id])
                _add(st, "archived_ids", [m.id])
        elif plan.previous is not None:
            _add(st, "semantic_updated", [mem.id])
        else:
            _add(st, "semantic_created", [mem.id])
        _add(st, "merged_ids", [m.id for m in plan.new])
    _count(st, "clusters", len(plans))


# ---- step 5: integration -----------------------------------------------------------------------


def integrate(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    """REM: merge duplicate entities, `similar_to` links, debates, promotion to core."""
    store = env.store
    if st.get("graph_owner"):
        _add(st, "entities_merged", graph_upkeep.merge_duplicates(store, user))
        _count(st, "similar_links", graph_upkeep.link_similar(store, user, now))
    _debates(store, user, ns, now, st)
    _promote(env, user, ns, now, st)


def _debates(store: SQLiteStore, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    """iMAD without an LLM (SPEC §4.1.9): a protected side wins, else context-dependent."""
    rows = store.select_memories(
        "user_id = ? AND namespace = ? AND is_current = 1 AND archived = 0 AND "
        f"{store.json_text('metadata', 'zb_conflict_with')} IS NOT NULL AND "
        f"{store.json_text('metadata', 'zb_debated')} IS NULL ORDER BY created_at, id", (user, ns))
    held = 0
    for a in rows:
        b = store.get(a.metadata["zb_conflict_with"])
        if b is None or held >= MAX_DEBATES:
            continue
        if abs(a.confidence - b.confidence) >= 0.2 or min(a.conf_alpha + a.conf_beta,
                                                          b.conf_alpha + b.conf_beta) < 3:
            continue
        held += 1
        a_protected = a.pinned or a.layer is Layer.CORE
        b_protected = b.pinned or b.layer is Layer.CORE
        outcome = "a" if a_protected and not b_protected else (
            "b" if b_protected and not a_protected else "both_context_dependent")
        if outcome == "a":
            store.update(b.id, conf_beta=b.conf_beta + 1)
        elif outcome == "b":
            store.update(a.id, conf_beta=a.conf_beta + 1)
        store.update(a.id, metadata={**a.metadata, "zb_debated": outcome})
        _add(st, "debates", [{"a": a.id, "b": b.id, "outcome": outcome}])
    _count(st, "contradictions", len(rows))


def _promote(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    """Semantic → core when E[conf] ≥ 0.9 and α+β ≥ 8, and recalled ≥ 5 times or flagged as a
    stable fact about the user by the router (`zb_core_candidate`) (SPEC §3)."""
    store = env.store
    blocks = store.scalar("SELECT COUNT(*) FROM memories WHERE user_id = ? AND layer = 'core' "
                          "AND is_current = 1 AND archived = 0", (user,))
    for m in store.select_memories(
            "user_id = ? AND namespace = ? AND layer = 'semantic' AND is_current = 1 AND "
            "archived = 0 AND conf_alpha + conf_beta >= 8 ORDER BY created_at, id", (user, ns)):
        flagged = bool(m.metadata.get("zb_core_candidate"))
        if not trust.is_promotable(m.metadata):
            continue  # low trust, an instruction, or derived from one: never core
        if m.confidence < 0.9 or not (m.recall_count >= 5 or flagged) or len(m.text) > 2000:
            continue
        if blocks >= env.core_max_blocks:
            _add(st, "errors", [f"core promotion of {m.id} skipped: {blocks} core blocks"])
            break
        blocks += 1
        store.update(m.id, layer=str(Layer.CORE), pinned=True, decay_model="none",
                     stability=CORE_STABILITY, updated_at=now, index_pending=True,
                     metadata={**m.metadata, "block": m.metadata.get("block") or f"fact-{m.id[-8:]}",
                               "zb_promoted_at": utc_iso(now)})
        store.log_event(now, user, ns, "promote", m.id, {"to": "core"})
        _add(st, "promoted_to_core", [m.id])
        _touch(st, [m.id])


# ---- step 6: homeostasis and forgetting ---------------------------------------------------------


def homeostasis(env: Env, user: str, ns: str, now: datetime, st: dict[str, Any]) -> None:
    """SHY: edge decay and weak-edge archiving (once per user), then the forgetting pass."""
    store = env.store
    if st.get("graph_owner"):
        _count(st, "edges_archived", len(graph_upkeep.decay_edges(store, user)))
    verdicts = forgetting.candidates(store, user, ns, now, params=env.forget)
    mems = store.get_many([v.memory_id for v in verdicts])
    for v in verdicts:
        _archive(store, mems[v.memory_id], v.reason, now)
    _add(st, "archived_ids", [v.memory_id for v in verdicts])
    _add(st, "archive_reasons", [[v.memory_id, v.reason] for v in verdicts])
    _touch(st, [v.memory_id for v in verdicts])
