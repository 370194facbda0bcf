"""Graph channel of recall: spreading activation from the query's entities (SPEC §4.3.3).

Seeds are the user's entities whose key (normalised name) appears in the query as a 1–3 word
n-gram (A = 1.0). Activation spreads over the user's relation edges that are current at `at`
(valid_from ≤ at < valid_to, recorded by `at`, not archived), with `algorithms.spreading.spread`.
Edges are used in both directions [D]: "Luna —has_pet← self" should let a query about Luna reach
the user and back, and co-occurrence has no natural direction. The `self` node is never a seed and
does not pass activation on (it touches nearly every memory, so it would flood the route).
A memory's score is the sum over its entities of activation × associative strength, where the
strength follows ACT-R's fan effect at the entity → memory step, S_e = ln(N/fan_e)/ln(N) with N the
user's memory count (at least 100) and fan_e the memories mentioning e [D]: an entity named in one memory points
at it with strength 1, a hub named in every memory (the user, a speaker's name) points at nothing
in particular and adds ~0. Without it the route ranks hundreds of memories of a hub equally.
The entity that gave the most is kept to explain the result ("reached through entity Luna
(activation 0.50)").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from zenbrain.algorithms.spreading import SPREADING_DEFAULT, SpreadingParams, spread
from zenbrain.clock import utc_iso
from zenbrain.extract.entities import SELF_KEY, normalize_key
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["GraphHit", "graph_candidates", "query_ngrams"]

_WORD = re.compile(r"[A-Za-z0-9][\w'-]*")
_MAX_MEMORIES_PER_ENTITY = 400
_MAX_SCORING_ENTITIES = 48  # a hub entity ("user", a speaker) adds little but cost


@dataclass(frozen=True)
class GraphHit:
    memory_id: str
    score: float
    via: str  # display name of the entity that contributed most
    activation: float  # that entity's activation


def query_ngrams(query: str, *, max_n: int = 3) -> set[str]:
    """Normalised 1..max_n word n-grams of the query (candidate entity keys)."""
    words = _WORD.findall(query)
    out: set[str] = set()
    for n in range(1, max_n + 1):
        for i in range(len(words) - n + 1):
            key = normalize_key(" ".join(words[i : i + n]))
            if key and len(key) > 1:
                out.add(key)
    return out


def _seeds(store: SQLiteStore, user_id: str, query: str, at: datetime) -> dict[str, float]:
    keys = sorted(query_ngrams(query) - {SELF_KEY})
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    rows = store.rows(
        f"SELECT id FROM kg_nodes WHERE user_id = ? AND archived = 0 AND first_seen <= ? "
        f"AND key IN ({marks})", [user_id, utc_iso(at), *keys])
    return {r["id"]: 1.0 for r in rows}


def _adjacency(store: SQLiteStore, user_id: str, at: datetime, seeds: dict[str, float],
               params: SpreadingParams) -> dict[str, dict[str, float]]:
    """Current edges of every node that fires within `params.hops`, both directions, `self` left
    out.

    `spread` only reads the adjacency of a node whose wave reaches the threshold F, so only those
    nodes' edges are read: with delta = 0.5 a seed's neighbour fires only if it holds ≥ 20% of the
    seed's out-weight, i.e. a handful per seed instead of every neighbour (thousands of rows per
    query on a co-occurrence graph). Every edge touching a firing node is still read, in the same
    order, so `spread` sees exactly the weights and sums it saw before.
    """
    when = utc_iso(at)
    self_ids = {r["id"] for r in store.rows(
        "SELECT id FROM kg_nodes WHERE user_id = ? AND key = ?", (user_id, SELF_KEY))}
    adj: dict[str, dict[str, float]] = defaultdict(dict)
    fetched: set[str] = set()
    edges_seen: set[str] = set()
    wave = dict(seeds)
    # A small margin below F: reading a node that then does not fire costs a little, missing one
    # that fires would change the result.
    fires = params.threshold * (1.0 - 1e-6)
    for hop in range(params.hops):
        nodes = sorted(m for m, a in wave.items()
                       if a >= fires and a > 0.0 and m not in fetched and m not in self_ids)
        if nodes:
            fetched.update(nodes)
            marks = ",".join("?" * len(nodes))
            # Two indexed lookups (by src, by dst): with `src IN … OR dst IN …` the planner
            # scanned every edge of the user (43k rows at 100k memories). Sorted as that scan
            # read them (the src index's order), so the weights are summed in the same order.
            current = ("user_id = ? AND archived = 0 AND recorded_at <= ? AND "
                       "(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to > ?)")
            found = store.conn.execute(
                f"SELECT id, src, dst, weight, relation FROM kg_edges "
                f"WHERE {current} AND src IN ({marks}) UNION ALL "
                f"SELECT id, src, dst, weight, relation FROM kg_edges "
                f"WHERE {current} AND dst IN ({marks})",
                [user_id, when, when, when, *nodes, user_id, when, when, when, *nodes]).fetchall()
            for e in sorted(found, key=lambda e: (e[1], e[4], e[0])):
                eid, a, b, w = e[0], e[1], e[2], float(e[3])
                if a in self_ids or b in self_ids or eid in edges_seen:
                    continue
                edges_seen.add(eid)
                adj[a][b] = adj[a].get(b, 0.0) + w
                adj[b][a] = adj[b].get(a, 0.0) + w
        if hop + 1 < params.hops:
            wave = _next_wave(adj, wave, params)
            if not wave:
                break
    return adj


def _next_wave(adj: dict[str, dict[str, float]], wave: dict[str, float],
               params: SpreadingParams) -> dict[str, float]:
    """The activation each node receives in the next hop (the arithmetic of `spread`)."""
    received: dict[str, float] = {}
    for node, a in wave.items():
        if a < params.threshold or a <= 0.0:
            continue
        out = {j: w for j, w in adj.get(node, {}).items() if j != node and w > 0.0}
        fan = sum(out.values())
        for j, w in out.items():
            received[j] = received.get(j, 0.0) + a * (w / fan) * params.decay
    return received


def graph_candidates(
    *, store: SQLiteStore, user_id: str, query: str, at: datetime, n: int,
    params: SpreadingParams = SPREADING_DEFAULT, include_archived: bool = False,
    tiebreak: dict[str, float] | None = None, min_strength: float = 0.0,
) -> list[GraphHit]:
    """The user's memories reached from the query's entities, best first (at most `n`).

    Equal graph scores are common (every memory mentioning one seed gets 1.0); `tiebreak`
    (e.g. the vector similarities) orders them, higher first.
    """
    seeds = _seeds(store, user_id, query, at)
    if not seeds:
        return []
    activation = spread(_adjacency(store, user_id, at, seeds, params), seeds,
                        hops=params.hops,
                        decay=params.decay, threshold=params.threshold)
    active = {e: a for e, a in activation.items() if a >= params.threshold}
    if not active:
        return []
    # Two hops over co-occurrence edges can light up hundreds of entities; the weakest add
    # little but cost a read of all their memories, so only the most active ones score.
    ids = sorted(sorted(active, key=lambda e: (-active[e], e))[:_MAX_SCORING_ENTITIES])
    marks = ",".join("?" * len(ids))
    fan = {r["eid"]: r["n"] for r in store.rows(
        f"SELECT entity_id AS eid, COUNT(*) AS n FROM memory_entities WHERE entity_id IN ({marks}) "
        f"GROUP BY entity_id", ids)}
    # N has a floor of 100: in a brain of three memories every entity would look like a hub.
    total = max(100, store.memory_count(user_id))
    strength = {e: max(0.0, math.log(total / max(1, fan.get(e, 1)))) / math.log(total)
                for e in ids}
    # Hubs are dropped before their (many) memories are read.
    ids = [e for e in ids if strength[e] > max(0.0, min_strength)]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    names = {r["id"]: r["name"] for r in store.rows(
        f"SELECT id, name FROM kg_nodes WHERE id IN ({marks})", ids)}
    archived = "" if include_archived else " AND m.archived = 0"
    # CROSS JOIN (SQLite) keeps memory_entities (by its entity index) as the outer loop; left to itself
    # the planner walks all the user's memories first (20+ ms at 10k).
    rows = store.rows(
        f"SELECT me.memory_id AS mid, me.entity_id AS eid FROM memory_entities me "
        f"{store.ordered_join} memories m ON m.id = me.memory_id WHERE me.entity_id IN ({marks}) "
        f"AND m.user_id = ? AND m.created_at <= ?{archived} LIMIT ?",
        [*ids, user_id, utc_iso(at), _MAX_MEMORIES_PER_ENTITY * len(ids)])
    score: dict[str, float] = defaultdict(float)
    best: dict[str, tuple[float, str]] = {}
    for r in rows:
        a = active[r["eid"]] * strength[r["eid"]]
        score[r["mid"]] += a
        if a > best.get(r["mid"], (-1.0, ""))[0]:
            best[r["mid"]] = (a, r["eid"])
    tb = tiebreak or {}
    ranked = sorted(score, key=lambda m: (-round(score[m], 9), -tb.get(m, -1.0), m))[:n]
    return [GraphHit(m, score[m], names.get(best[m][1], best[m][1]), best[m][0]) for m in ranked]
