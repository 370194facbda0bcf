"""Knowledge-graph persistence: entity nodes and relation edges in SQLite tables.

The tables (`kg_nodes`, `kg_edges`, `memory_entities`) commit in the same transaction as the memory
that caused them, so the graph never falls out of step with the system of record. `load_graph`
builds a fresh `networkx.MultiDiGraph` for one user on demand.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zenbrain.clock import utc_iso
from zenbrain.ids import new_id
from zenbrain.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphStore"]


class GraphStore:
    """Entity/edge rows of every user, scoped by `user_id` on each call."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def upsert_entity(
        self, *, user_id: str, namespace: str, key: str, name: str, type_: str,
        memory_id: str, at: datetime,
    ) -> str:
        conn = self.store.conn
        row = conn.execute(
            "SELECT id, source_memory_ids, first_seen, last_seen FROM kg_nodes "
            "WHERE user_id = ? AND key = ?", (user_id, key),
        ).fetchone()
        if row is None:
            ent_id = new_id("ent")
            conn.execute(
                "INSERT INTO kg_nodes(id, user_id, namespace, name, key, type, mention_count, "
                "first_seen, last_seen, source_memory_ids) VALUES (?,?,?,?,?,?,1,?,?,?)",
                (ent_id, user_id, namespace, name, key, type_, utc_iso(at), utc_iso(at),
                 json.dumps([memory_id])),
            )
            return ent_id
        ent_id, sources_json, first_seen, last_seen = row
        sources = json.loads(sources_json)
        if memory_id not in sources:
            sources.append(memory_id)
        when = utc_iso(at)
        conn.execute(
            "UPDATE kg_nodes SET mention_count = mention_count + 1, source_memory_ids = ?, "
            "first_seen = ?, last_seen = ?, archived = 0 WHERE id = ?",
            (json.dumps(sources), min(first_seen, when), max(last_seen, when), ent_id),
        )
        return ent_id

    def link_memory(self, memory_id: str, entity_id: str, role: str = "mention") -> None:
        self.store.conn.execute(
            "INSERT INTO memory_entities(memory_id, entity_id, role) VALUES (?,?,?) "
            "ON CONFLICT DO NOTHING",
            (memory_id, entity_id, role),
        )

    def open_edges(self, user_id: str, src: str, relation: str) -> list[dict[str, Any]]:
        return self.store.rows(
            "SELECT * FROM kg_edges WHERE user_id = ? AND src = ? AND relation = ? "
            "AND valid_to IS NULL AND archived = 0",
            (user_id, src, relation),
        )

    def add_or_reinforce_edge(
        self, *, user_id: str, src: str, dst: str, relation: str, memory_id: str,
        at: datetime, event_time: datetime, weight: float = 1.0, variance: float = 1.0,
    ) -> str:
        """Reinforce an open edge with the same (src, relation, dst), else open a new one."""
        row = self.store.conn.execute(
            "SELECT id, source_memory_ids FROM kg_edges WHERE user_id = ? AND src = ? AND dst = ? "
            "AND relation = ? AND valid_to IS NULL AND archived = 0",
            (user_id, src, dst, relation),
        ).fetchone()
        if row is not None:
            edge_id, sources_json = row
            sources = json.loads(sources_json)
            if memory_id not in sources:
                sources.append(memory_id)
            self.store.conn.execute(
                "UPDATE kg_edges SET weight = ?, variance = ?, activation_count = "
                "activation_count + 1, source_memory_ids = ?, last_activated_at = ? WHERE id = ?",
                (weight, variance, json.dumps(sources), utc_iso(at), edge_id),
            )
            return edge_id
        edge_id = new_id("rel")
        self.store.conn.execute(
            "INSERT INTO kg_edges(id, user_id, src, dst, relation, weight, variance, "
            "activation_count, valid_from, recorded_at, source_memory_ids, last_activated_at) "
            "VALUES (?,?,?,?,?,?,?,1,?,?,?,?)",
            (edge_id, user_id, src, dst, relation, weight, variance, utc_iso(event_time),
             utc_iso(at), json.dumps([memory_id]), utc_iso(at)),
        )
        return edge_id

    def edge(self, edge_id: str) -> dict[str, Any] | None:
        rows = self.store.rows("SELECT * FROM kg_edges WHERE id = ?", (edge_id,))
        return rows[0] if rows else None

    def close_edge(self, edge_id: str, valid_to: datetime) -> None:
        self.store.conn.execute(
            "UPDATE kg_edges SET valid_to = ? WHERE id = ?", (utc_iso(valid_to), edge_id)
        )

    def entity_ids_of(self, memory_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {m: [] for m in memory_ids}
        if not memory_ids:
            return out
        marks = ",".join("?" * len(memory_ids))
        for mid, eid in self.store.conn.execute(
            f"SELECT memory_id, entity_id FROM memory_entities WHERE memory_id IN ({marks})",
            memory_ids,
        ):
            out[mid].append(eid)
        return out

    def entities(self, user_id: str) -> list[dict[str, Any]]:
        return self.store.rows("SELECT * FROM kg_nodes WHERE user_id = ? ORDER BY id", (user_id,))

    def edges(self, user_id: str) -> list[dict[str, Any]]:
        return self.store.rows("SELECT * FROM kg_edges WHERE user_id = ? ORDER BY id", (user_id,))

    def counts(self, user_id: str | None) -> tuple[int, int]:
        if user_id is None:
            return (self.store.scalar("SELECT COUNT(*) FROM kg_nodes"),
                    self.store.scalar("SELECT COUNT(*) FROM kg_edges"))
        return (
            self.store.scalar("SELECT COUNT(*) FROM kg_nodes WHERE user_id = ?", (user_id,)),
            self.store.scalar("SELECT COUNT(*) FROM kg_edges WHERE user_id = ?", (user_id,)),
        )

    def load_graph(self, user_id: str) -> nx.MultiDiGraph:
        """Entity nodes and relation edges of one user (memory nodes are added by the caller)."""
        import networkx as nx  # only graph export needs it (half a second to import)

        graph = nx.MultiDiGraph(user_id=user_id)
        for node in self.entities(user_id):
            attrs = {k: v for k, v in node.items() if k != "id"}
            attrs["aliases"] = json.loads(attrs["aliases"])
            attrs["source_memory_ids"] = json.loads(attrs["source_memory_ids"])
            attrs["archived"] = bool(attrs["archived"])
            graph.add_node(node["id"], node_type="entity", **attrs)
        for edge in self.edges(user_id):
            attrs = {k: v for k, v in edge.items() if k not in ("id", "src", "dst")}
            attrs["source_memory_ids"] = json.loads(attrs["source_memory_ids"])
            attrs["archived"] = bool(attrs["archived"])
            graph.add_edge(edge["src"], edge["dst"], key=edge["id"], edge_type="relation", **attrs)
        return graph
