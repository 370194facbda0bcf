"""Knowledge-graph work of a sleep cycle (SPEC §5.3 steps 5–7): merge duplicate entities, link
entities that keep appearing together, homeostatic decay, archive weak edges, spectral health.

Every function here runs inside the caller's transaction and touches one user's rows only.
Nothing is deleted: merged entities and weak edges are archived.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from itertools import combinations

from zenbrain.algorithms import spectral, two_factor
from zenbrain.clock import utc_iso
from zenbrain.ids import new_id
from zenbrain.store.sqlite import SQLiteStore

__all__ = ["decay_edges", "fiedler", "link_similar", "merge_duplicates"]

EDGE_ARCHIVE_WEIGHT = 0.2  # [P]
EDGE_ARCHIVE_IMPORTANCE = 5.0  # [P]
SIMILAR_MIN_CLUSTERS = 2  # SPEC §5.3 step 5


def _norm(key: str) -> str:
    """Spelling-insensitive entity key: possessives, punctuation and a plural -s removed [D]."""
    k = re.sub(r"'s\b", "", key.lower())
    k = re.sub(r"[^a-z0-9]+", "", k)
    return k[:-1] if len(k) > 3 and k.endswith("s") and not k.endswith("ss") else k


def merge_duplicates(store: SQLiteStore, user_id: str) -> list[dict[str, str]]:
    """Entities whose keys differ only in spelling become one (the most mentioned survives)."""
    nodes = store.rows("SELECT id, key, name, type, aliases, mention_count, source_memory_ids "
                       "FROM kg_nodes WHERE user_id = ? AND archived = 0 ORDER BY id", (user_id,))
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for n in nodes:
        if n["type"] != "self" and _norm(n["key"]):
            groups[(_norm(n["key"]), n["type"])].append(n)
    merged = []
    conn = store.conn
    for group in groups.values():
        if len(group) < 2:
            continue
        keep = min(group, key=lambda n: (-n["mention_count"], n["id"]))
        aliases = set(json.loads(keep["aliases"]))
        sources = list(json.loads(keep["source_memory_ids"]))
        mentions = keep["mention_count"]
        for dup in group:
            if dup["id"] == keep["id"]:
                continue
            aliases |= {dup["name"], *json.loads(dup["aliases"])}
            sources += [s for s in json.loads(dup["source_memory_ids"]) if s not in sources]
            mentions += dup["mention_count"]
            # Re-point mentions to the kept node; a memory that mentions both keeps one row.
            conn.execute("DELETE FROM memory_entities WHERE entity_id = ? AND memory_id IN "
                         "(SELECT memory_id FROM memory_entities WHERE entity_id = ?)",
                         (dup["id"], keep["id"]))
            conn.execute("UPDATE memory_entities SET entity_id = ? WHERE entity_id = ?",
                         (keep["id"], dup["id"]))
            conn.execute("UPDATE kg_edges SET src = ? WHERE user_id = ? AND src = ?",
                         (keep["id"], user_id, dup["id"]))
            conn.execute("UPDATE kg_edges SET dst = ? WHERE user_id = ? AND dst = ?",
                         (keep["id"], user_id, dup["id"]))
            conn.execute("UPDATE kg_nodes SET archived = 1 WHERE id = ?", (dup["id"],))
            merged.append({"kept": keep["id"], "merged": dup["id"]})
        aliases.discard(keep["name"])
        conn.execute("UPDATE kg_nodes SET aliases = ?, mention_count = ?, source_memory_ids = ? "
                     "WHERE id = ?", (json.dumps(sorted(aliases)), mentions, json.dumps(sources),
                                      keep["id"]))
        # A relation between two spellings of one thing is now a self-loop: retire it.
        conn.execute("UPDATE kg_edges SET archived = 1 WHERE user_id = ? AND src = dst AND src = ?",
                     (user_id, keep["id"]))
    return merged


def link_similar(store: SQLiteStore, user_id: str, now: datetime) -> int:
    """`similar_to` edges between entities that appear together in ≥ 2 current summaries."""
    rows = store.rows(
        "SELECT me.memory_id, me.entity_id FROM memory_entities me "
        "JOIN memories m ON m.id = me.memory_id JOIN kg_nodes n ON n.id = me.entity_id "
        "WHERE m.user_id = ? AND m.kind = 'summary' AND m.is_current = 1 AND m.archived = 0 "
        "AND n.type != 'self' AND n.archived = 0 ORDER BY me.memory_id, me.entity_id", (user_id,))
    by_summary: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_summary[r["memory_id"]].append(r["entity_id"])
    pairs: Counter[tuple[str, str]] = Counter()
    for ents in by_summary.values():
        pairs.update(combinations(sorted(set(ents))[:20], 2))
    existing = {(r["src"], r["dst"]) for r in store.rows(
        "SELECT src, dst FROM kg_edges WHERE user_id = ? AND relation = 'similar_to' "
        "AND archived = 0", (user_id,))}
    added = 0
    for (a, b), n in sorted(pairs.items()):
        if n < SIMILAR_MIN_CLUSTERS or (a, b) in existing or (b, a) in existing:
            continue
        store.conn.execute(
            "INSERT INTO kg_edges(id, user_id, src, dst, relation, weight, variance, "
            "activation_count, valid_from, recorded_at, source_memory_ids, last_activated_at) "
            "VALUES (?,?,?,?,'similar_to',1.0,1.0,0,?,?,?,?)",
            (new_id("rel"), user_id, a, b, utc_iso(now), utc_iso(now),
             json.dumps(sorted(m for m, es in by_summary.items() if a in es and b in es)),
             utc_iso(now)))
        added += 1
    return added


def decay_edges(store: SQLiteStore, user_id: str) -> list[str]:
    """SHY downscaling of every active edge; edges with w < 0.2 and I < 5 are archived."""
    archived = []
    for row in store.rows("SELECT id, weight, variance, activation_count FROM kg_edges "
                          "WHERE user_id = ? AND archived = 0 ORDER BY id", (user_id,)):
        state = two_factor.homeostatic_decay(two_factor.EdgeState(
            row["weight"], max(row["variance"], 1e-6), int(row["activation_count"])))
        weak = (state.weight < EDGE_ARCHIVE_WEIGHT
                and two_factor.importance(state.variance) < EDGE_ARCHIVE_IMPORTANCE)
        store.conn.execute("UPDATE kg_edges SET weight = ?, archived = ? WHERE id = ?",
                           (state.weight, int(weak), row["id"]))
        if weak:
            archived.append(row["id"])
    return archived


def fiedler(store: SQLiteStore, user_id: str) -> float:
    """λ₂ of the user's current relation graph (the entities that have a relation) [D]."""
    edges = [(r["src"], r["dst"], float(r["weight"])) for r in store.rows(
        "SELECT src, dst, weight FROM kg_edges WHERE user_id = ? AND archived = 0 "
        "AND valid_to IS NULL ORDER BY id", (user_id,))]
    return spectral.fiedler(edges) if edges else 0.0
