"""The write path: validated input → analysed, routed, embedded memories in one transaction.

`prepare_*` functions validate and analyse without touching storage; `Writer.write` embeds the
batch once, inserts every row (memories, embeddings, entities, edges, links, events) in one SQLite
transaction, then upserts the vectors into Chroma for a user kept there (`store.placement`: above
`exact_scan_max`). A crash between the two leaves `index_pending = 1`, which the next open repairs
(SPEC §2.1, "write order and the outbox").
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from zenbrain import reconsolidation
from zenbrain.algorithms import information as information_alg
from zenbrain.algorithms import priority as priority_alg
from zenbrain.algorithms import triple_copy
from zenbrain.algorithms.metacognition import urgency
from zenbrain.algorithms.reconsolidation import content_words
from zenbrain.clock import utc_iso
from zenbrain.config import BrainConfig
from zenbrain.embeddings import Embedder
from zenbrain.extract import emotion, entities, facts, passages, tasktype, timeexpr
from zenbrain.extract.text import content_hash
from zenbrain.ids import new_id
from zenbrain.layers import policy_for, route
from zenbrain.layers.core import check_block
from zenbrain.layers.cross_context import ALL_NAMESPACES, shared_with
from zenbrain.layers.dynamics import repeat_updates
from zenbrain.layers.semantic import durable_stability
from zenbrain.layers.working import DEFAULT_SESSION, Slot, choose_evictions
from zenbrain.models import Kind, Layer, Memory
from zenbrain.store import outbox, placement
from zenbrain.store.chroma import ChromaIndex, VectorHit
from zenbrain.store.graph import GraphStore
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["Draft", "Writer"]

_IMPORTANT = re.compile(r"\b(remember this|important|don't forget|do not forget|never forget)\b", re.I)

# Beta priors by source (SPEC §4.1.4 [D]).
_PRIORS = {"user": (3.0, 1.0), "assistant": (1.5, 1.0), "procedure": (1.0, 1.0), "import": (2.0, 1.0)}


@dataclass(frozen=True)
class Draft:
    """One validated memory to write (no storage touched yet)."""

    text: str
    user_id: str
    namespace: str
    session_id: str | None
    speaker: str | None
    at: datetime
    layer: Layer | None
    kind: Kind | None
    metadata: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    salience_gate: bool = False  # observe(): only user turns that pass it become episodes


@dataclass
class _Planned:
    draft: Draft
    memory: Memory
    vector: np.ndarray
    triples: tuple[entities.Triple, ...]
    ents: tuple[entities.Entity, ...]
    existing: Memory | None = None  # idempotent retry: return this instead
    keep_open_from: frozenset[str] = frozenset()  # protected memories whose KG slots stay open
    hits: Sequence[VectorHit] = ()  # the draft vector's nearest stored neighbours (batch query)
    needs_vector: bool = False  # a merged version: its own vector is encoded at the batch's end


class Writer:
    def __init__(
        self, *, store: SQLiteStore, graph: GraphStore, index: ChromaIndex, embedder: Embedder,
        config: BrainConfig,
    ) -> None:
        self.store = store
        self.graph = graph
        self.index = index
        self.embedder = embedder
        self.config = config
        #: called inside the transaction of a write that adds memories, while set: the Brain
        #: records its embedding model with a brain's first memory (and unsets this)
        self.on_first_write: Callable[[], None] | None = None

    # ---- analysis -----------------------------------------------------------------------------

    def _plan(self, draft: Draft, vector: np.ndarray, novelty: float) -> _Planned | None:
        text = draft.text
        meta = dict(draft.metadata)
        extraction = entities.extract(text, speaker=draft.speaker)
        durable = facts.extract(text, speaker=draft.speaker)
        triples = _with_fact_triples(extraction.triples, durable)
        if draft.layer is not None:
            layer = draft.layer
            kind = draft.kind or _default_kind(layer, text, draft.speaker)
            reason, core_candidate = "explicit layer", False
        else:
            decision = route(text, speaker=draft.speaker, kind=draft.kind)
            layer, kind = decision.layer, decision.kind
            reason, core_candidate = decision.reason, decision.core_candidate
            if draft.salience_gate and layer is Layer.EPISODIC and not _passes_gate(text, triples):
                return None
        affect = emotion.tag(text)
        emo = emotion.emotion_intensity(affect)
        reward = 1.0 if _IMPORTANT.search(text) else float(meta.get("importance", 0.3))
        vec = priority_alg.PriorityVector(
            saliency=max(novelty, urgency(text)), emotion=emo, reward=min(1.0, reward), goal=0.5
        )
        composite, amygdala = priority_alg.composite(vec)
        info = information_alg.information_content(
            durable_fact=bool(durable), entities=_specific_entities(text, extraction),
            content_words=len(content_words(text)))
        gain = 1.0  # neutral neuromodulator state until the dynamics engine sets it
        s0 = triple_copy.initial_strength(composite=composite, gain=gain)
        policy = policy_for(layer)
        event_time = timeexpr.resolve_event_time(text, at=draft.at) or draft.at
        namespace = ALL_NAMESPACES if layer is Layer.CROSS_CONTEXT else draft.namespace
        if layer is Layer.CROSS_CONTEXT:
            meta["shared_with"] = shared_with(meta, owner=draft.user_id)
        prior_src = "procedure" if layer is Layer.PROCEDURAL else (
            "assistant" if draft.speaker == "assistant" else "user")
        alpha, beta = _PRIORS[prior_src]
        meta["zb_route"] = reason
        stability = policy.initial_stability(emo, gain)
        if durable and layer is not Layer.SHORT_TERM:
            meta["zb_slots"] = {f.slot: f.value for f in durable}
            if layer is Layer.SEMANTIC:
                stability = max(stability, durable_stability(gain))  # true until superseded
        if core_candidate:
            meta["zb_core_candidate"] = True
        mem_id = new_id("mem")
        memory = Memory(
            id=mem_id, user_id=draft.user_id, namespace=namespace, session_id=draft.session_id,
            speaker=draft.speaker, layer=layer, kind=kind, text=text,
            content_hash=content_hash(text), created_at=draft.at, event_time=event_time,
            updated_at=draft.at, decay_model=policy.decay_model,
            stability=stability, last_review_at=draft.at,
            fast_at=draft.at, s0=s0, conf_alpha=alpha, conf_beta=beta,
            priority={"saliency": vec.saliency, "emotion": vec.emotion, "reward": vec.reward,
                      "goal": vec.goal, "composite": composite, "amygdala": amygdala,
                      "information": info},
            emotion={"valence": affect.valence, "arousal": affect.arousal},
            neuro={"da": 0.5, "ne": 0.5, "ht": 0.5, "ach": 0.5},
            novelty=novelty,
            context={"time_of_day": draft.at.hour, "weekday": draft.at.weekday(),
                     "task_type": meta.get("task_type") or tasktype.classify_task(text)},
            root_id=mem_id, sources=list(draft.sources), pinned=layer is Layer.CORE,
            metadata=meta, index_pending=True,
        )
        return _Planned(draft, memory, vector, triples, extraction.entities)

    def _neighbours(self, user_id: str, vectors: np.ndarray) -> list[list[VectorHit]]:
        """Each vector's nearest stored memories of the user: from their collection when they are
        kept in the index and above `exact_scan_max`, else by the exact scan recall uses for
        them (`placement`), which the index's unfiltered query approximates."""
        n = reconsolidation.MATCH_NEIGHBOURS
        exact_max = self.config.exact_scan_max
        if (placement.in_index(self.store, user_id)
                and not (exact_max > 0 and self.store.memory_count(user_id) <= exact_max)):
            return self.index.query_many(user_id, vectors, n)
        return placement.exact_neighbours(self.store, user_id, vectors, n)

    def _novelty(self, drafts: Sequence[Draft], vectors: np.ndarray,
                 hits: Sequence[Sequence[VectorHit]]) -> list[float]:
        """1 − max cosine to the user's existing memories (SPEC §5.1 step 6).

        A draft's own sources (an observed turn's short-term copy) are not "existing": they are
        the same experience, and counting them would make every observed episode look stale.
        """
        out = []
        for i, (draft, row) in enumerate(zip(drafts, hits, strict=True)):
            own = set(draft.sources)
            # The top 4 only: the batch query fetches more neighbours for reconsolidation.
            best = next((h.similarity for h in row[:4] if h.memory_id not in own), 0.0)
            if i:  # earlier items of the same batch count as existing memories
                best = max(best, float(np.max(vectors[:i] @ vectors[i])))
            out.append(float(min(1.0, max(0.0, 1.0 - best))))
        return out

    # ---- writing ------------------------------------------------------------------------------

    def write(self, drafts: Sequence[Draft]) -> list[Memory | None]:
        """Write a batch of one user's drafts; returns one entry per draft (None: gated out)."""
        if not drafts:
            return []
        vectors = self.embedder.embed([d.text for d in drafts])
        # One neighbour query for the whole batch serves novelty and reconsolidation matching
        # alike: nothing is written until the batch commits, so a per-draft query would return
        # the same neighbours.
        hits = self._neighbours(drafts[0].user_id, vectors)
        novelty = self._novelty(drafts, vectors, hits)
        plans = [self._plan(d, v, n) for d, v, n in zip(drafts, vectors, novelty, strict=True)]
        for plan, row in zip(plans, hits, strict=True):
            if plan is not None:
                plan.hits = row
        with self.store.transaction():
            versions: list[tuple[str, str]] = []  # (id, merged text) still carrying a draft vector
            written: list[Memory] = []
            touched: list[Memory] = []  # older memories reconsolidation changed
            seen: dict[tuple, Memory] = {}
            results: list[Memory | None] = []
            for plan in plans:
                if plan is None:
                    results.append(None)
                    continue
                key = (plan.memory.namespace, plan.memory.session_id, plan.memory.content_hash,
                       plan.memory.layer)
                dup = seen.get(key) or self._recent_duplicate(plan.memory)
                if dup is not None:
                    results.append(dup)
                    continue
                decision = None
                if plan.draft.layer is not Layer.CORE:
                    decision = reconsolidation.decide(
                        store=self.store, index=self.index, mem=plan.memory, vector=plan.vector,
                        triples=plan.triples, hits=plan.hits)
                if decision is not None and decision.action == "confirm":
                    self._confirm(decision, plan.memory)
                    touched.append(decision.old)
                    results.append(decision.old)
                    continue
                if decision is not None and _is_slot_update(plan.memory, decision):
                    decision, plan = _slot_version(plan, decision)
                elif decision is not None:
                    plan = self._reconsolidated(plan, decision)
                mem = self._insert(plan)
                if plan.needs_vector:
                    versions.append((mem.id, mem.text))
                if decision is not None:
                    self._settle(decision, mem)
                    touched.append(decision.old)
                seen[key] = mem
                written.append(mem)
                results.append(mem)
            self._encode_versions(versions, drafts, vectors)
            self._encode_sentences(written)
            if written and self.on_first_write is not None:
                self.on_first_write()
        # one entry per id: a memory may be written and then reconsolidated in the same batch
        self._index(list({m.id: m for m in [*written, *touched]}.values()))
        fresh = self.store.get_many(m.id for m in results if m is not None)
        return [fresh.get(m.id) if m is not None else None for m in results]

    def _encode_sentences(self, written: Sequence[Memory]) -> None:
        """Sentence vectors of the multi-sentence memories written (`extract.passages`)."""
        mats = passages.encode_sentences(self.embedder.embed, [m.text for m in written])
        self.store.set_sentence_vectors(
            [(m.id, mat) for m, mat in zip(written, mats, strict=True) if mat is not None])

    def _encode_versions(self, versions: Sequence[tuple[str, str]], drafts: Sequence[Draft],
                         vectors: np.ndarray) -> None:
        """Give merged versions their own vectors: one encoder call for the whole batch.

        Encoding each merged text alone was most of the write path's cost besides the batch
        encode. Until here a version's embedding row holds its draft's vector; nothing in the
        batch reads stored embeddings before this, and the transaction is still open, so no
        reader ever sees the placeholder.
        """
        if not versions:
            return
        known = {d.text: v for d, v in zip(drafts, vectors, strict=True)}
        texts = list(dict.fromkeys(t for _, t in versions if t not in known))
        if texts:
            known.update(zip(texts, self.embedder.embed(texts), strict=True))
        self.store.set_vectors([(mid, known[text]) for mid, text in versions], self.embedder.name)

    # ---- reconsolidation (SPEC §4.2.2; the rules live in zenbrain.reconsolidation) ----------

    def _confirm(self, d: reconsolidation.Decision, new: Memory) -> None:
        """A repeat: counted always, learnt in proportion to its information content (issue 13).

        `repeat_updates` replaces the full Easy review `decide` planned with the share of it
        that the repeated text's information content I earns (small talk: none).
        """
        at = new.created_at
        info = float(new.priority.get("information", 1.0))
        self.store.update(d.old.id, **{**d.updates, **repeat_updates(d.old, at, information=info)})
        reconsolidation.log(self.store, d, new_id=None, at=at)
        self.store.log_event(at, d.old.user_id, d.old.namespace, "reconsolidation", d.old.id,
                             {"mode": d.mode, "pe": round(d.pe, 4)})

    def _reconsolidated(self, plan: _Planned, d: reconsolidation.Decision) -> _Planned:
        mem = plan.memory
        if d.action == "version":
            mem = reconsolidation.versioned(mem, d)
            # A merged text needs its own vector; `_encode_versions` encodes them batch-wise.
            return _Planned(plan.draft, mem, plan.vector, plan.triples, plan.ents,
                            needs_vector=mem.text != plan.memory.text)
        meta = {**mem.metadata, "zb_reconsolidation": d.mode}
        update: dict[str, Any] = {"encoding_pe": d.pe, "metadata": meta}
        if d.keep_slot_open:
            meta["zb_conflict_with"] = d.old.id  # left for the sleep debate (SPEC §4.1.9)
        slot_update = bool(mem.metadata.get("zb_slots")) and not d.keep_slot_open
        if (d.link == "contradicts" and plan.draft.layer is None and mem.layer is Layer.SEMANTIC
                and not slot_update):
            # A newer value of a durable slot is an update, not a contest: it stays semantic.
            # A contested statement enters through the hippocampus, not straight into semantic.
            policy = policy_for(Layer.EPISODIC)
            update.update(layer=Layer.EPISODIC, decay_model=policy.decay_model,
                          stability=policy.initial_stability(float(mem.priority.get("emotion", 0.0)), 1.0))
        keep = frozenset({d.old.id}) if d.keep_slot_open else frozenset()
        return _Planned(plan.draft, mem.model_copy(update=update), plan.vector, plan.triples,
                        plan.ents, keep_open_from=keep)

    def _settle(self, d: reconsolidation.Decision, new: Memory) -> None:
        at = new.created_at
        updates = dict(d.updates)
        if d.action == "version":
            updates["superseded_by"] = new.id
        if updates:
            self.store.update(d.old.id, **updates)
        if d.link:
            self.store.add_link(new.id, d.old.id, d.link, at)
        reconsolidation.log(self.store, d, new_id=new.id, at=at)
        self.store.log_event(at, new.user_id, new.namespace, "reconsolidation", new.id,
                             {"mode": d.mode, "pe": round(d.pe, 4), "old": d.old.id,
                              "action": d.action, "link": d.link})

    def _recent_duplicate(self, mem: Memory) -> Memory | None:
        since = mem.created_at - timedelta(minutes=self.config.idempotency_minutes)
        session = "session_id IS NULL" if mem.session_id is None else "session_id = ?"
        rows = self.store.select_memories(
            f"user_id = ? AND namespace = ? AND {session} AND content_hash = ? AND layer = ? "
            "AND archived = 0 AND is_current = 1 AND created_at >= ? AND created_at <= ? "
            "ORDER BY created_at DESC LIMIT 1",
            (mem.user_id, mem.namespace, *([mem.session_id] if mem.session_id else []),
             mem.content_hash, str(mem.layer), utc_iso(since), utc_iso(mem.created_at)),
        )
        return rows[0] if rows else None

    def _insert(self, plan: _Planned) -> Memory:
        mem = plan.memory
        if mem.layer is Layer.CORE:
            mem = self._core_version(mem)
        self.store.insert_memories([mem], np.asarray([plan.vector]), self.embedder.name)
        at = mem.created_at
        for src in mem.sources:
            if src.startswith("mem_"):
                self.store.add_link(mem.id, src, "derived_from", at)
        if mem.supersedes:
            self.store.add_link(mem.id, mem.supersedes, "supersedes", at)
        for grantee in mem.metadata.get("shared_with", []) if mem.layer is Layer.CROSS_CONTEXT else []:
            self.store.conn.execute(
                "INSERT INTO shares(memory_id, owner, grantee) VALUES (?,?,?) "
                "ON CONFLICT DO NOTHING",
                (mem.id, mem.user_id, grantee),
            )
        if mem.layer is not Layer.SHORT_TERM:  # its episode carries the facts; no double count
            self._update_graph(mem, plan)
        if mem.layer is Layer.WORKING:
            self._occupy_slot(mem)
        self.store.log_event(at, mem.user_id, mem.namespace, "remember", mem.id,
                             {"layer": str(mem.layer), "kind": str(mem.kind),
                              "route": mem.metadata.get("zb_route")})
        return mem

    def _core_version(self, mem: Memory) -> Memory:
        block = mem.metadata.get("block")
        current = self.store.select_memories(
            "user_id = ? AND layer = 'core' AND is_current = 1 AND archived = 0", (mem.user_id,)
        )
        blocks = {m.metadata.get("block") or m.id: m for m in current}
        check_block(text=mem.text, block=block, existing_blocks=set(blocks),
                    max_blocks=self.config.core_max_blocks, max_chars=self.config.core_max_chars)
        old = blocks.get(block) if block else None
        if old is None:
            return mem
        self.store.update(old.id, is_current=False, superseded_by=mem.id,
                          superseded_at=mem.created_at, updated_at=mem.created_at)
        return mem.model_copy(update={"version": old.version + 1, "root_id": old.root_id,
                                      "supersedes": old.id})

    def _update_graph(self, mem: Memory, plan: _Planned) -> None:
        ids: dict[str, str] = {}
        for ent in plan.ents:
            ids[ent.key] = self.graph.upsert_entity(
                user_id=mem.user_id, namespace=mem.namespace, key=ent.key, name=ent.name,
                type_=ent.type, memory_id=mem.id, at=mem.created_at)
            self.graph.link_memory(mem.id, ids[ent.key])
        for triple in plan.triples:
            src = ids.get(triple.subject_key) or self.graph.upsert_entity(
                user_id=mem.user_id, namespace=mem.namespace, key=triple.subject_key,
                name="user" if triple.subject_key == "self" else triple.subject_key,
                type_="self" if triple.subject_key == "self" else "concept",
                memory_id=mem.id, at=mem.created_at)
            obj_key = entities.normalize_key(triple.object_name)
            dst = ids.get(obj_key) or self.graph.upsert_entity(
                user_id=mem.user_id, namespace=mem.namespace, key=obj_key,
                name=triple.object_name, type_=triple.object_type, memory_id=mem.id,
                at=mem.created_at)
            self.graph.link_memory(mem.id, src, "subject")
            self.graph.link_memory(mem.id, dst, "object")
            if triple.functional:
                # A functional slot holds one value at a time: the new value closes the old one.
                for edge in self.graph.open_edges(mem.user_id, src, triple.relation):
                    sources = set(json.loads(edge["source_memory_ids"]))
                    if plan.keep_open_from & sources:
                        continue  # a protected memory's slot stays open (SPEC §4.2.2)
                    if triple.subject_key == entities.SELF_KEY and not any(
                            reconsolidation.same_speaker(m.speaker, mem.speaker)
                            for m in self.store.get_many(sorted(sources)).values()):
                        continue  # another speaker's "I ..." (a transcript of several people)
                    if edge["dst"] != dst:
                        self.graph.close_edge(edge["id"], mem.event_time)
            self.graph.add_or_reinforce_edge(
                user_id=mem.user_id, src=src, dst=dst, relation=triple.relation,
                memory_id=mem.id, at=mem.created_at, event_time=mem.event_time)
        keys = [k for k in ids if k != "self"][:6]
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                self.graph.add_or_reinforce_edge(
                    user_id=mem.user_id, src=ids[a], dst=ids[b], relation="co_occurs",
                    memory_id=mem.id, at=mem.created_at, event_time=mem.event_time)

    def _occupy_slot(self, mem: Memory) -> None:
        session = mem.session_id or DEFAULT_SESSION
        self.store.conn.execute(
            "INSERT INTO working_slots(user_id, namespace, session_id, slot, memory_id, "
            "relevance, updated_at) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(user_id, namespace, session_id, memory_id) DO UPDATE SET "
            "slot = excluded.slot, relevance = excluded.relevance, updated_at = excluded.updated_at",
            (mem.user_id, mem.namespace, session, 0, mem.id,
             float(mem.priority.get("composite", 0.5)), utc_iso(mem.created_at)),
        )
        rows = self.store.rows(
            "SELECT memory_id, relevance, updated_at FROM working_slots WHERE user_id = ? AND "
            "namespace = ? AND session_id = ?", (mem.user_id, mem.namespace, session))
        slots = [Slot(r["memory_id"], r["relevance"], datetime.fromisoformat(r["updated_at"]))
                 for r in rows]
        for evicted in choose_evictions(slots, capacity=self.config.working_capacity,
                                        now=mem.created_at,
                                        tau_minutes=self.config.working_idle_minutes):
            self.store.conn.execute(
                "DELETE FROM working_slots WHERE user_id = ? AND namespace = ? AND session_id = ? "
                "AND memory_id = ?", (mem.user_id, mem.namespace, session, evicted))
            # The goal leaves the slot, not the brain: it lives on as an episodic plan.
            self.store.update(evicted, layer=str(Layer.EPISODIC), updated_at=mem.created_at,
                              index_pending=True)
            self.store.log_event(mem.created_at, mem.user_id, mem.namespace,
                                 "working_evicted", evicted)

    def _index(self, mems: Sequence[Memory]) -> None:
        """Upsert vectors for freshly committed memories; failures stay in the outbox."""
        if not mems:
            return
        by_user: dict[str, list[Memory]] = {}
        for m in mems:
            by_user.setdefault(m.user_id, []).append(m)
        for user_id, group in by_user.items():
            fresh = self.store.get_many([m.id for m in group])
            self.sync_vectors(user_id, [fresh[m.id] for m in group if m.id in fresh])

    def sync_vectors(self, user_id: str, mems: Sequence[Memory]) -> int:
        return outbox.sync_vectors(self.store, self.index, self.embedder, user_id, mems,
                                   exact_scan_max=self.config.exact_scan_max)


def _default_kind(layer: Layer, text: str, speaker: str | None) -> Kind:
    from zenbrain.extract import kinds

    if layer is Layer.PROCEDURAL:
        return Kind.PROCEDURE
    if layer is Layer.WORKING:
        return Kind.PLAN
    if layer is Layer.SHORT_TERM:
        return Kind.MESSAGE
    return Kind(kinds.classify_kind(text, speaker=speaker))


def _is_slot_update(new: Memory, d: reconsolidation.Decision) -> bool:
    """The new memory gives a new value to every durable slot the old memory held (issue 13).

    "I'm living in Munich now" after "I live in Berlin": same functional slot, another value, and
    the old memory said nothing else a version would hide. A protected old memory (core, pinned,
    locked: `keep_slot_open`) keeps the SPEC's contest instead, and a memory that also states
    other facts stays as it is, marked stale by its closed slot.
    """
    if d.action == "confirm" or d.keep_slot_open or d.old.layer is Layer.CORE or d.old.pinned:
        return False
    old_slots = d.old.metadata.get("zb_slots") or {}
    new_slots = new.metadata.get("zb_slots") or {}
    if not old_slots or not set(old_slots) <= set(new_slots):
        return False
    specs = {slot: facts.slot_of(slot) for slot in old_slots}
    if not all(spec.functional for spec in specs.values()):
        return False
    return any(entities.normalize_key(str(old_slots[s])) != entities.normalize_key(str(new_slots[s]))
               for s in old_slots)


def _slot_version(plan: _Planned, d: reconsolidation.Decision
                  ) -> tuple[reconsolidation.Decision, _Planned]:
    """The new statement as version n+1 of the old one: its own text, its own confidence.

    The old version stays readable (`get`, `history`, recall as of an earlier `at`) but is no
    longer current, so every later recall ranks the new value first whatever the wording.
    """
    mem, at = plan.memory, plan.memory.created_at
    sources = list(dict.fromkeys([*d.old.sources, d.old.id, *mem.sources]))
    version = mem.model_copy(update={
        "version": d.old.version + 1, "root_id": d.old.root_id, "supersedes": d.old.id,
        "sources": sources, "encoding_pe": d.pe,
        "metadata": {**mem.metadata, "zb_reconsolidation": "slot_update"}})
    # The contradiction's own bookkeeping (the `contradicts` link, β += 1 on the old value) stays.
    decision = dataclasses.replace(
        d, mode="slot_update", action="version", keep_slot_open=False,
        updates={**d.updates, "is_current": False, "superseded_at": at, "updated_at": at,
                 "index_pending": True})
    return decision, _Planned(plan.draft, version, plan.vector, plan.triples, plan.ents)


def _with_fact_triples(found: tuple[entities.Triple, ...], durable: tuple[facts.Fact, ...]
                       ) -> tuple[entities.Triple, ...]:
    """The extractor's triples plus the durable facts' slot triples (issue 13).

    A durable fact's triple wins over the extractor's triple for the same relation: one text
    fills a functional slot once, with the value the fact recogniser read.
    """
    if not durable:
        return found
    mine = facts.as_triples(durable)
    relations = {(t.subject_key, t.relation) for t in mine if t.functional}
    keys = {(t.subject_key, t.relation, entities.normalize_key(t.object_name)) for t in mine}
    kept = [t for t in found if (t.subject_key, t.relation) not in relations
            and (t.subject_key, t.relation, entities.normalize_key(t.object_name)) not in keys]
    return (*kept, *mine)


_TIME_NAMES = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "today", "tomorrow"])
_NUMBER = re.compile(r"\b\d[\d.,:/-]*\b")


def _specific_entities(text: str, extraction: entities.Extraction) -> int:
    """Entities and numbers that pin a statement down (issue 13): a person, pet, place, org or
    object, or any capitalised name; never the user, a weekday, a month or a common concept."""
    n = 0
    for ent in extraction.entities:
        if ent.type == "self" or ent.key.rstrip("s") in _TIME_NAMES or ent.key in _TIME_NAMES:
            continue
        if ent.type in ("person", "pet", "place", "org", "object") or ent.name[:1].isupper():
            n += 1
    return n + len(_NUMBER.findall(text))


def _passes_gate(text: str, triples: tuple[entities.Triple, ...]) -> bool:
    """Salience gate for observed user turns (SPEC §5.1 step 7), plus a floor on content.

    With neutral defaults every composite clears 0.2, so the gate adds one rule of ours: a turn
    with fewer than three content words and no extracted fact ("ok thanks") stays short-term only.
    """
    if triples:
        return True
    return len(content_words(text)) >= 3
