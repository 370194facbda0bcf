"""Recall: scope → routes → fuse → filter → re-rank → explain → retrieval practice (SPEC §5.2).

Routes (each returns its best max(50, 5k)): dense vectors (Chroma), keywords (FTS5 bm25), the
knowledge graph (spreading activation from the query's entities) and, last, Hopfield completion
over the union of the others (in the `ASSOCIATIVE` and `SPEC_LITERAL` recipes; off by default,
see `recipes`). They are fused with weighted reciprocal-rank fusion (k = 60; the SPEC's weights
vector 1.0, keyword 0.8, graph 0.8, Hopfield 0.6 and ×1.2 for items found by ≥ 2 routes; the
default recipe's tuned weights in `recipes`) and re-ranked by the factors in `rerank`. RRF rather than learned weights: the
routes' raw scores live on unrelated scales (cosine, bm25, activation, softmax mass) and RRF needs
no training data. Working-memory slots of the session come first.

Retrieval practice (`apply_practice`) runs after the results are built, in one short transaction
under the Brain's lock; the caller already holds the complete result list and nothing it reads
depends on it. Time travel is respected: a memory recalled later than `at` is left alone.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from zenbrain import trust
from zenbrain.algorithms import fusion
from zenbrain.algorithms.reconsolidation import content_key
from zenbrain.clock import utc_iso
from zenbrain.extract import kinds, passages, timeexpr
from zenbrain.layers.cross_context import ALL_NAMESPACES
from zenbrain.layers.dynamics import review_updates
from zenbrain.layers.working import DEFAULT_SESSION
from zenbrain.models import Layer, Memory, Recollection
from zenbrain.recall import gist_view, keyword, rerank
from zenbrain.recall.channels import vector_candidates
from zenbrain.recall.gist_redirect import gist_targets, redirect, redirect_scores
from zenbrain.recall.graph_route import graph_candidates
from zenbrain.recall.hopfield_route import POOL_FROM_ROUTES, hopfield_scores, priority_pool
from zenbrain.recall.keyword import KeywordHit, keyword_candidates
from zenbrain.recall.profile_route import profile_candidates
from zenbrain.recall.recipes import DEFAULT, RecallRecipe
from zenbrain.recall.rerank import LAYER_WEIGHTS
from zenbrain.store.chroma import ChromaIndex
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["LAYER_WEIGHTS", "RecallRequest", "recall", "apply_practice"]

_LABILE = timedelta(hours=6)
CONTIGUITY_SEEDS = 20


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
    recipe: RecallRecipe = field(default=DEFAULT)
    device: str = "cpu"
    profile_slots: tuple[str, ...] = ()  # the fact slots the query asks about (profile_route)
    focus_gists: bool = True  # quote a gist's sentences that bear on the query (`gist_view`)
    scan_exactly: bool = False  # the user's vectors are scanned in SQLite, not the index


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
    """The ranked results; the first k of a larger k are the same k (the head below)."""
    recipe = req.recipe
    qtype = kinds.classify_query(req.query)
    window = timeexpr.query_window(req.query, at=req.at) if qtype == "temporal" else None
    qctx = rerank.query_context(req.query, req.at)
    names = rerank.query_names(req.query)
    terms = tuple(keyword.query_terms(req.query))
    name_terms = keyword.query_name_terms(req.query) if recipe.addressed_only != 1.0 else set()

    def score_all(routes: dict[str, _Route], fused: dict[str, float], mems: dict[str, Memory],
                  stale: dict[str, tuple[str, str, str]], rrf_top: float | None = None
                  ) -> list[_Scored]:
        via = _via(routes)
        mems.update(store.get_many([m for m in fused if m not in mems]
                                   + [via[m] for m in fused if m in via and via[m] not in mems]))
        visible = {mid: mems[mid] for mid in fused if mid in mems and _visible(mems[mid], req)}
        top = rrf_top if rrf_top is not None else max(
            (fused[mid] for mid in visible), default=0.0)
        stale.update(_stale_slots(store, req, [m for m in visible if m not in stale]))
        out: list[_Scored] = []
        for mid, mem in visible.items():
            if mid in stale and stale[mid][0] == "contradicted" and (
                    mem.pinned or mem.layer is Layer.CORE):
                del stale[mid]  # a core or pinned memory wins its conflicts (SPEC §4.2.2)
            f = rerank.factors(mem, qtype=qtype, at=req.at, window=window, qctx=qctx,
                               stale=mid in stale, names=names, recipe=recipe,
                               addressed_only=keyword.only_addresses(mem.text, terms, name_terms))
            source = mems.get(via.get(mid, ""))
            if source is not None:
                # A gist matched through its archived episode ranks as that episode would have
                # (layer, speaker, time window), so serving the gist costs the episode no rank.
                fs = rerank.factors(source, qtype=qtype, at=req.at, window=window, qctx=qctx,
                                    stale=mid in stale, names=names, recipe=recipe,
                                    addressed_only=keyword.only_addresses(source.text, terms,
                                                                          name_terms))
                f = max(f, fs, key=lambda x: x.product(recipe))
            rel = (fused[mid] / top if top > 0 else 0.0) * f.relevance(recipe)
            out.append(_Scored(rel * f.dynamics(recipe), rel, mem, f))
        out.sort(key=lambda s: (-s.score, s.mem.id))
        return _dedup(out)

    # The head: every candidate of the routes' first `min_candidates`, whatever k is, so that
    # the first k results never depend on how many were asked for (a larger k only appends).
    routes = _gather(store=store, index=index, qvec=qvec, req=req, n=recipe.min_candidates)
    fused = _fuse(routes, recipe)
    mems: dict[str, Memory] = {}
    if recipe.contiguity > 0:
        fused = _contiguity(store, fused, recipe, mems)
    stale: dict[str, tuple[str, str, str]] = {}
    scored = score_all(routes, fused, mems, stale)
    if recipe.updates_window > 0 and req.profile_slots:
        # Only for a question about a lasting attribute ("which town am I living in?"): there
        # the newest statement answers. For a question about events it displaced the evidence
        # (LoCoMo recall@10 0.661 without it, 0.647 with it on every question).
        said = {g: mems[src] for g, src in _via(routes).items() if src in mems}
        scored = _updates(store, scored, stale, recipe, asked=req.profile_slots, said=said)
    scored = _after_successors(scored, stale)
    slots = [_working_slot(req, m) for m in _slot_memories(store, req)]
    want = req.k + len(slots) + 1
    if len(scored) < want and 5 * req.k > recipe.min_candidates:
        # The tail, for a large k: deeper candidates, ranked after the whole head on the head's
        # scale (their fused scores are below the head's best, so they normalise by it).
        deep = _gather(store=store, index=index, qvec=qvec, req=req, n=5 * req.k)
        deep_fused = _fuse(deep, recipe)
        head_ids = set(fused)
        extra = {m: v for m, v in deep_fused.items() if m not in head_ids}
        if extra:
            top = max(fused.values(), default=0.0) or max(extra.values())
            # Route ranks of the tail items, for their reasons.
            for name, r in deep.items():
                known = routes.setdefault(name, _route([], {}))
                for m in extra:
                    if m in r.rank:
                        known.rank[m] = r.rank[m]
                        known.detail[m] = r.detail.get(m)
            taken = {key for s in scored for key in (s.mem.id, s.mem.content_hash, s.mem.root_id)}
            scored += _after_successors(
                [s for s in score_all(deep, extra, mems, stale, rrf_top=top)
                 if not {s.mem.id, s.mem.content_hash, s.mem.root_id} & taken], stale)

    results = slots
    taken = {r.memory.id for r in results}
    seen_text = {r.memory.content_hash for r in results}
    seen_words = {content_key(r.memory.text) for r in results}
    for item in scored:
        score, rel, mem, f = item.score, item.relevance, item.mem, item.factors
        if len(results) >= req.k:
            break
        # The same words said again ("The dog woke me up at 5am AGAIN.") are one result: a
        # repeat adds no evidence, and ten copies of small talk would bury everything else.
        key = content_key(mem.text)
        if mem.id in taken or mem.content_hash in seen_text or key in seen_words:
            continue
        seen_text.add(mem.content_hash)
        seen_words.add(key)
        reasons = _route_reasons(mem.id, routes, recipe, req.explain)
        reasons += rerank.factor_reasons(mem, f, qtype=qtype, at=req.at, explain=req.explain,
                                         recipe=recipe)
        if mem.id in stale:
            relation, newer, when = stale[mem.id]
            verb = {"contradicted": "by", "updated": "by the newer"}.get(relation, "superseded by")
            reasons.append(f"stale: {relation} {verb} {newer} on {when[:10]}"
                           if req.explain else f"stale:{relation}")
        if mem.layer is Layer.CROSS_CONTEXT and mem.user_id != req.user_id:
            reasons.append(f"shared on purpose by {mem.user_id}" if req.explain
                           else f"shared-by:{mem.user_id}")
        text = mem.text
        if f.avail.copy == "deep" and mem.consolidated_into:
            gist = store.get(mem.consolidated_into)
            if gist is not None:
                text = gist.text
                reasons.append("recovered from consolidated gist" if req.explain else "gist")
        ranks = {name: r.rank[mem.id] for name, r in routes.items() if mem.id in r.rank}
        results.append(Recollection(
            memory=mem, score=round(score, 6), relevance=round(rel, 6), reasons=reasons,
            routes=ranks, copy=f.avail.copy, text=text, sudden_recall=f.avail.sudden_recall))
    if not req.focus_gists:
        return results[: req.k]
    return gist_view.focus(store, results[: req.k], qvec=qvec, query=req.query,
                           explain=req.explain)


# "I ride my scooter now", "taken up film photography instead", "we moved", "no longer": a
# first-person statement that announces a change of something the user had said before.
_CHANGE = re.compile(
    r"\b(?:now|these days|nowadays|instead|switched|switching|moved|new|no longer|anymore|"
    r"started|taken up|took up|gave up|given up|changed|left|joined|quit|replaced)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|we|we're|we've|our|us)\b", re.I)
_ROLES_OF_ASSISTANT = frozenset({"assistant", "system"})


def _updates(store: SQLiteStore, scored: list[_Scored], stale: dict[str, tuple[str, str, str]],
             recipe: RecallRecipe, *, asked: Sequence[str] = (),
             said: Mapping[str, Memory] | None = None) -> list[_Scored]:
    """An update answers what it updates [D, issue 13]. Among the strongest candidates, a newer
    first-person statement that announces a change ("I ride my scooter now") and is close in
    meaning to an older first-person statement of the same speaker that the query matched ("I
    take the train to the office") supersedes it for this query: the newer one takes the older
    one's relevance and the older one ranks right below it, marked stale in `explain`.

    The query decides the topic (both are among the best candidates for it); the similarity
    floor and the relevance ratio keep an unrelated announcement from taking over, and a newer
    statement whose slots are known and are not among the slots the query asks about (`asked`)
    updates nothing for it: a new diet does not answer "what's my workout routine?".

    A gist that recall reached through an archived episode (`said`: gist id → that episode)
    speaks for the episode: after sleep, "I've paused the old lessons and started German
    instead" still updates the older statement, and the gist that now holds it is lifted."""
    said = said or {}

    def stated(s: _Scored) -> Memory:
        return said.get(s.mem.id, s.mem)

    head = scored[: recipe.updates_window]
    people = [s for s in head if stated(s).speaker not in _ROLES_OF_ASSISTANT
              and _FIRST_PERSON.search(stated(s).text)]
    # A sleep gist retells what was said ("…my new job… now…"); it announces nothing itself.
    news = [s for s in people if _CHANGE.search(stated(s).text)
            and stated(s).metadata.get("zb_source") != trust.DERIVED
            and _may_answer(stated(s), asked)]
    if not news:
        return scored
    by_statement = _claims(store, [stated(s) for s in people])
    claims = {s.mem.id: by_statement[stated(s).id] for s in people if stated(s).id in by_statement}
    # Each older statement is updated by the newer claim closest to it, not by the first one
    # found: "I switched to a gluten-free diet" and "I play five-a-side football these days"
    # both clear the floor against "did hot yoga again this morning"; the workout updates it.
    best: dict[str, tuple[float, _Scored]] = {}
    for new in news:
        cn = claims.get(new.mem.id)
        for old in people:
            # A gist is never the older side: it retells more than the one statement.
            if old.mem.id == new.mem.id or old.mem.metadata.get("zb_source") == trust.DERIVED \
                    or old.mem.created_at >= stated(new).created_at \
                    or old.mem.speaker != stated(new).speaker or old.mem.id in stale:
                continue
            co = claims.get(old.mem.id)
            if cn is None or co is None or cn.shape[1] != co.shape[1]:
                continue
            sim = float(np.max(cn @ co.T))
            if sim < recipe.updates_min_similarity \
                    or new.relevance < recipe.updates_min_relevance * old.relevance:
                continue
            old_slots = set(old.mem.metadata.get("zb_slots") or {})
            new_slots = set(stated(new).metadata.get("zb_slots") or {})
            if old_slots and new_slots and not old_slots & new_slots:
                continue  # both known, about different things: a birthday is no workout
            if old.mem.id not in best or sim > best[old.mem.id][0]:
                best[old.mem.id] = (sim, new)
    lifted: dict[str, float] = {}
    for old in people:
        if old.mem.id in best:
            new = best[old.mem.id][1]
            stale[old.mem.id] = ("updated", new.mem.id, utc_iso(stated(new).created_at))
            lifted[new.mem.id] = max(lifted.get(new.mem.id, new.relevance), old.relevance)
    if not lifted:
        return scored
    out = [dataclasses.replace(s, relevance=lifted[s.mem.id],
                               score=s.score * lifted[s.mem.id] / s.relevance)
           if s.mem.id in lifted and s.relevance > 0 else s for s in scored]
    return sorted(out, key=lambda s: (-s.score, s.mem.id))


def _may_answer(mem: Memory, asked: Sequence[str]) -> bool:
    """False when the memory's slots are known and none is a slot the query asks about (a
    `pet:<species>` slot answers "pet")."""
    slots = {s.split(":", 1)[0] for s in mem.metadata.get("zb_slots") or {}}
    return not (asked and slots) or bool(slots & set(asked))


def _claims(store: SQLiteStore, mems: list[Memory]) -> dict[str, np.ndarray]:
    """Per memory, the vectors of what it states about its speaker: its first-person sentences
    that are not questions (k × d), else its whole text's vector.

    Two statements update one another when they make close claims, not when they share the
    chat around them: "I take the tram to work. Anyway, how was your day?" and "My weekends go
    to woodworking now. Anyway, how was your day?" are close as wholes (the same tail) and far
    as claims. Whole texts let such tails mark unrelated facts stale."""
    ids = [m.id for m in mems]
    whole, parts = store.vectors(ids), store.sentence_vectors(ids)
    out: dict[str, np.ndarray] = {}
    for mem in mems:
        vec = whole.get(mem.id)
        if vec is None:
            continue
        rows = parts.get(mem.id)
        texts = passages.sentences(mem.text)
        keep = [i for i, t in enumerate(texts) if _FIRST_PERSON.search(t) and "?" not in t] \
            if rows is not None and len(texts) == rows.shape[0] else []
        out[mem.id] = rows[keep] if keep else vec[None, :]  # type: ignore[index]
    return out


def _after_successors(scored: list[_Scored], stale: dict[str, tuple[str, str, str]]
                      ) -> list[_Scored]:
    """A stale memory never ranks above the memory that superseded it: when both are
    candidates, the stale one moves to just below its successor (truth before relevance)."""
    present = {s.mem.id for s in scored}
    emitted: set[str] = set()
    held: dict[str, list[_Scored]] = {}
    out: list[_Scored] = []

    def emit(item: _Scored) -> None:
        out.append(item)
        emitted.add(item.mem.id)
        for follower in held.pop(item.mem.id, []):
            emit(follower)

    for item in scored:
        newer = stale[item.mem.id][1] if item.mem.id in stale else None
        if newer is not None and newer != item.mem.id and newer in present \
                and newer not in emitted:
            held.setdefault(newer, []).append(item)
        else:
            emit(item)
    for rest in list(held.values()):  # a cycle of contradictions: keep their own order
        for item in rest:
            if item.mem.id not in emitted:
                emit(item)
    return out


@dataclass(frozen=True)
class _Scored:
    score: float
    relevance: float
    mem: Memory
    factors: rerank.Factors


def _via(routes: dict[str, _Route]) -> dict[str, str]:
    """gist id → the archived episode a route reached it through."""
    return {g: src for r in routes.values() for g, src in r.via.items()}


def _fuse(routes: dict[str, _Route], recipe: RecallRecipe) -> dict[str, float]:
    """Weighted RRF of the routes, the vector route's weight lifted when the keyword route found
    no memory holding the query's words (`fusion.vector_lift`)."""
    weights = dict(recipe.weights)
    if recipe.vector_when_keywords_miss > 0 and "vector" in routes \
            and "keyword" in recipe.routes:
        kw = routes.get("keyword")  # absent: the keyword route found nothing at all
        best = max((_coverage(kw.detail[m]) for m in kw.ranked[:10]),  # type: ignore[arg-type]
                   default=0.0) if kw is not None else 0.0
        weights["vector"] *= fusion.vector_lift(best, strength=recipe.vector_when_keywords_miss,
                                                below=recipe.keywords_hit_coverage)
    return fusion.weighted_rrf({name: r.ranked for name, r in routes.items()}, weights=weights,
                               k=recipe.rrf_k, multi_route_boost=recipe.multi_route_boost)


@dataclass
class _Route:
    ranked: list[str]
    rank: dict[str, int]
    detail: dict[str, object]
    via: dict[str, str] = field(default_factory=dict)  # gist → the archived source it matched


def _route(ranked: list[str], detail: dict[str, object],
           via: dict[str, str] | None = None) -> _Route:
    return _Route(ranked, {m: i + 1 for i, m in enumerate(ranked)}, detail, via or {})


def _gather(*, store: SQLiteStore, index: ChromaIndex, qvec: np.ndarray,
            req: RecallRequest, n: int) -> dict[str, _Route]:
    """Run the recipe's routes, `n` candidates each; Hopfield last, over the union of the
    others (SPEC §5.2 step 3)."""
    recipe = req.recipe
    # Archived episodes stay searchable and lead to their gist, unless the caller asked for
    # the archive itself (see `gist_redirect`).
    to_gist = recipe.gist_redirect and not req.include_archived
    routes: dict[str, _Route] = {}
    sims = vector_candidates(store=store, index=index, user_id=req.user_id, qvec=qvec, n=n,
                             scan_exactly=req.scan_exactly)
    vec_via: dict[str, str] = {}
    if to_gist:
        targets = gist_targets(store, sims)
        vec_via = redirect(sorted(sims, key=lambda i: (-sims[i], i)), targets)[1]
        sims = redirect_scores(sims, targets)
    if "vector" in recipe.routes:
        ranked = sorted(sims, key=lambda i: (-sims[i], i))
        routes["vector"] = _route(ranked, dict(sims), vec_via)
    if "keyword" in recipe.routes:
        hits = keyword_candidates(store=store, user_id=req.user_id, query=req.query, n=n,
                                  at=req.at, include_archived=req.include_archived or to_gist)
        routes["keyword"] = _redirected([h.memory_id for h in hits],
                                        {h.memory_id: h for h in hits}, store, to_gist)
    if "graph" in recipe.routes:
        ghits = graph_candidates(store=store, user_id=req.user_id, query=req.query, at=req.at,
                                 n=n, include_archived=req.include_archived or to_gist,
                                 tiebreak=sims, min_strength=recipe.graph_min_strength)
        routes["graph"] = _redirected([h.memory_id for h in ghits],
                                      {h.memory_id: h for h in ghits}, store, to_gist)
    if "profile" in recipe.routes and req.profile_slots:
        held = profile_candidates(store=store, user_id=req.user_id, slots=req.profile_slots,
                                  at=req.at, n=n)
        # A statement sleep consolidated is served through its gist, like on the other routes.
        routes["profile"] = _redirected([m for m, _ in held], dict(held), store, to_gist)
    if "hopfield" in recipe.routes:
        pre = fusion.weighted_rrf({k: r.ranked for k, r in routes.items()},
                                  weights=recipe.weights, k=recipe.rrf_k)
        pool = sorted(pre, key=lambda m: (-pre[m], m))[:POOL_FROM_ROUTES]
        pool += priority_pool(store, req.user_id, req.at, recipe.hopfield_priority_pool)
        p = hopfield_scores(store=store, pool=pool, qvec=qvec, device=req.device)
        ranked = sorted(p, key=lambda i: (-p[i], i))[:n]
        routes["hopfield"] = _route(ranked, {m: p[m] for m in ranked})
    return {k: r for k, r in routes.items() if r.ranked}


def _coverage(hit: KeywordHit) -> float:
    """The share of the query's content words the memory contains (crude stems)."""
    return len(hit.terms) / len(hit.query_terms) if hit.query_terms else 0.0


def _redirected(ranked: list[str], detail: dict[str, object], store: SQLiteStore,
                on: bool) -> _Route:
    if not on:
        return _route(ranked, detail)
    ranked, via = redirect(ranked, gist_targets(store, ranked))
    return _route(ranked, {m: detail[via.get(m, m)] for m in ranked}, via)


def _contiguity(store: SQLiteStore, fused: dict[str, float], recipe: RecallRecipe,
                loaded: dict[str, Memory]) -> dict[str, float]:
    """Temporal contiguity [D]: a turn recorded right before or after a strong candidate in the
    same session receives `contiguity` × that candidate's fused score (Kahana's lag-CRP: recalling
    one event cues its neighbours in time). `loaded` receives the memories read on the way."""
    top = sorted(fused, key=lambda m: (-fused[m], m))[:CONTIGUITY_SEEDS]
    if not top:
        return fused
    loaded.update(store.get_many(top))
    seeds = [loaded[m] for m in top if m in loaded and loaded[m].session_id is not None]
    if not seeds:
        return fused
    out = dict(fused)
    span = timedelta(minutes=recipe.contiguity_minutes)
    # One query for all seeds (a VALUES table joined on the session index); the neighbours are
    # then credited seed by seed, in the seeds' order, so the sums are the ones a query per seed
    # gave. ISO-8601 UTC text sorts like time, so the window is a range on that index.
    params: list[object] = []
    for pos, mem in enumerate(seeds):
        params += [pos, mem.user_id, mem.session_id, utc_iso(mem.created_at - span),
                   utc_iso(mem.created_at + span), mem.id]
    values = ",".join(["(?,?,?,?,?,?)"] * len(seeds))
    near: list[list[str]] = [[] for _ in seeds]
    for pos, mid in store.conn.execute(
            f"WITH s(pos, uid, sid, lo, hi, seed) AS (VALUES {values}) "
            f"SELECT s.pos, m.id FROM s {store.ordered_join} memories m ON m.user_id = s.uid "
            f"AND m.session_id = s.sid AND m.created_at >= s.lo AND m.created_at <= s.hi "
            f"AND m.archived = 0 AND m.id != s.seed", params):
        near[pos].append(mid)
    for mem, ids in zip(seeds, near, strict=True):
        for mid in ids:
            out[mid] = out.get(mid, 0.0) + recipe.contiguity * fused[mem.id]
    return out


# Among copies of one text (the short-term turn and the episode made from it), the more
# consolidated copy is the one to show: it carries provenance and outlives the turn.
_DURABILITY = {Layer.WORKING: 0, Layer.SHORT_TERM: 1, Layer.EPISODIC: 2, Layer.CROSS_CONTEXT: 2,
               Layer.PROCEDURAL: 3, Layer.SEMANTIC: 3, Layer.CORE: 4}


def _dedup(scored: list[_Scored]) -> list[_Scored]:
    """One record per content_hash/root_id (SPEC §5.2 step 4): the one with the higher layer
    weight wins, then the more consolidated layer, then the higher score (the list comes best
    first); it ranks where the best copy would."""
    kept: list[_Scored] = []
    slot: dict[str, int] = {}
    for item in scored:
        mem, f = item.mem, item.factors
        keys = (f"h:{mem.content_hash}", f"r:{mem.root_id}")
        pos = next((slot[k] for k in keys if k in slot), None)
        if pos is None:
            pos = len(kept)
            kept.append(item)
        elif (f.layer, _DURABILITY[mem.layer]) > (kept[pos].factors.layer,
                                                   _DURABILITY[kept[pos].mem.layer]):
            # The same words are the same evidence: the copy shown keeps the group's best score.
            best = kept[pos]
            kept[pos] = dataclasses.replace(item, score=max(item.score, best.score),
                                            relevance=max(item.relevance, best.relevance))
        for k in keys:
            slot[k] = pos
    return sorted(kept, key=lambda s: (-s.score, s.mem.id))


def _route_reasons(mid: str, routes: dict[str, _Route], recipe: RecallRecipe,
                   explain: bool) -> list[str]:
    out: list[str] = []
    found = 0
    for name in ("vector", "keyword", "graph", "profile", "hopfield"):
        r = routes.get(name)
        if r is None or mid not in r.rank:
            continue
        found += 1
        rank, d = r.rank[mid], r.detail.get(mid)
        if name == "vector":
            out.append(f"vector similarity {d:.2f} (rank {rank})" if explain else f"vector#{rank}")
        elif name == "keyword":
            terms = ", ".join(f"'{t}'" for t in d.terms) or "stemmed terms"  # type: ignore[union-attr]
            out.append(f"keyword match on {terms} (bm25 rank {rank})" if explain
                       else f"bm25#{rank}")
        elif name == "graph":
            out.append(f"reached through entity {d.via} (activation {d.activation:.2f})"  # type: ignore[union-attr]
                       if explain else f"graph:{d.via}")  # type: ignore[union-attr]
        elif name == "profile":
            out.append(f"states your current {d} (the question asks about it)"
                       if explain else f"profile:{d}")
        else:
            out.append(f"Hopfield completion p = {d:.3f} (rank {rank})" if explain
                       else f"hopfield#{rank}")
    source = next((r.via[mid] for r in routes.values() if mid in r.via), None)
    if source is not None:
        out.append(f"matched through {source}, an archived episode consolidated into this gist"
                   if explain else f"via-archived:{source}")
    if not out:
        out.append("recalled through a neighbouring turn (temporal contiguity)" if explain
                   else "contiguity")
    elif explain and found >= 2 and recipe.multi_route_boost != 1.0:
        out.append(f"found by {found} routes (fused score ×{recipe.multi_route_boost})")
    return out


def _stale_slots(store: SQLiteStore, req: RecallRequest,
                 candidates: list[str]) -> dict[str, tuple[str, str, str]]:
    """memory id → (relation, newer memory id, when) for candidates that asserted a functional
    slot value (lives_in, works_at, …) that a later memory closed before `at` (SPEC §5.2 `stale`).

    A memory with any closed slot counts as stale, not only one whose every slot closed: it
    still states something that is no longer true. A memory another one `contradicts` (a link
    recorded by `at`) is stale too: reconsolidation found the newer statement in conflict.
    """
    if not candidates:
        return {}
    when = utc_iso(req.at)
    out: dict[str, tuple[str, str, str]] = {}
    successors: dict[tuple[str, str], list[str]] = {}
    for chunk in (candidates[i:i + 400] for i in range(0, len(candidates), 400)):
        marks = ",".join("?" * len(chunk))
        closed = store.rows(
            f"SELECT e.src AS src, e.relation AS relation, e.valid_to AS valid_to, j.value AS mid "
            f"FROM kg_edges e, {store.json_array_items('e.source_memory_ids', 'j')} "
            f"WHERE e.user_id = ? "
            f"AND e.valid_to IS NOT NULL AND e.valid_to <= ? AND j.value IN ({marks})",
            [req.user_id, when, *chunk])
        for edge in closed:
            # Closed edges of one slot share their successor: ask once per (src, relation).
            slot = (edge["src"], edge["relation"])
            if slot not in successors:
                newer = store.rows(
                    "SELECT source_memory_ids AS sources FROM kg_edges WHERE user_id = ? "
                    "AND src = ? AND relation = ? AND valid_from <= ? "
                    "AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1",
                    (req.user_id, *slot, when, when))
                successors[slot] = (json.loads(newer[0]["sources"]) if newer
                                    else ["a newer memory"])
            ids = successors[slot]
            if edge["mid"] not in ids:
                out[edge["mid"]] = (edge["relation"], ids[-1], edge["valid_to"])
        for link in store.rows(
            f"SELECT src, dst, created_at FROM memory_links WHERE type = 'contradicts' "
            f"AND created_at <= ? AND dst IN ({marks})", [when, *chunk]):
            out.setdefault(link["dst"], ("contradicted", link["src"], link["created_at"]))
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


def practice_candidates(results: list[Recollection], recipe: RecallRecipe) -> list[Recollection]:
    """The results a recall may count as retrieval practice: ranks 1–3 that are strong matches.

    Being returned is not being used (that is `Brain.feedback(..., "used")`), so only a result
    whose relevance is at least `practice_min_relevance` of the best one's and that the vector
    route also ranked among its first `practice_max_vector_rank` earns a light review; a weak
    match never strengthens itself by being shown.
    """
    best = max((r.relevance or 0.0 for r in results), default=0.0)
    return [r for r in results[:3]
            if r.relevance is not None and best > 0
            and r.relevance >= recipe.practice_min_relevance * best
            and r.routes.get("vector", recipe.practice_max_vector_rank + 1)
            <= recipe.practice_max_vector_rank]


def apply_practice(
    *, store: SQLiteStore, results: list[Recollection], at: datetime, qtype: str, user_id: str,
    recipe: RecallRecipe = DEFAULT,
) -> None:
    """Retrieval practice (SPEC §5.2 step 9) for the strong matches among ranks 1–3
    (`practice_candidates`), skipped for time-travel queries. A light review (FSRS grade 2)."""
    for rec in practice_candidates(results, recipe):
        mem = store.get(rec.memory.id)
        if mem is None or mem.layer in (Layer.WORKING,):
            continue
        if mem.last_recalled_at is not None and at <= mem.last_recalled_at:
            continue
        if at < mem.created_at:
            continue
        updates: dict[str, object] = {
            "recall_count": mem.recall_count + 1, "last_recalled_at": at,
            "labile_until": at + _LABILE, "fast_at": at, "updated_at": at,
            **review_updates(mem, at, grade=2),
        }
        store.update(mem.id, **updates)
    store.conn.execute(
        "INSERT INTO recall_log(user_id, at, query_type, returned_ids, layers) VALUES (?,?,?,?,?)",
        (user_id, utc_iso(at), qtype, json.dumps([r.memory.id for r in results]),
         json.dumps(sorted({str(r.memory.layer) for r in results}))),
    )
