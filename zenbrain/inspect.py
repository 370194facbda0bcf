"""Read-only views of a brain for people: `stats()` and the NetworkX `graph()`.

Both are scoped to one user (or totals over all users for stats) and never change state.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Any

from zenbrain.layers.dynamics import availability
from zenbrain.models import Layer
from zenbrain.store.graph import GraphStore
from zenbrain.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["stats", "user_graph"]

_LINK_EDGES = {"derived_from", "supersedes", "contradicts", "refines", "confirms"}


def _dir_size(path: Path) -> int:
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def stats(store: SQLiteStore, graph: GraphStore, user_id: str | None, *, at: datetime,
          home: Path) -> dict[str, Any]:
    where, params = ("WHERE user_id = ?", [user_id]) if user_id is not None else ("", [])
    layers: dict[str, dict[str, int]] = {
        str(layer): {"active": 0, "archived": 0, "superseded": 0} for layer in Layer}
    namespaces: dict[str, int] = {}
    for row in store.rows(
        f"SELECT layer, namespace, archived, is_current, COUNT(*) AS n FROM memories {where} "
        "GROUP BY layer, namespace, archived, is_current", params
    ):
        bucket = "archived" if row["archived"] else ("active" if row["is_current"] else "superseded")
        layers[row["layer"]][bucket] += row["n"]
        if bucket == "active":
            namespaces[row["namespace"]] = namespaces.get(row["namespace"], 0) + row["n"]
    active_where = f"{where + ' AND' if where else 'WHERE'} archived = 0 AND is_current = 1"
    active = store.select_memories(active_where.removeprefix("WHERE "), params)
    decaying = [m for m in active if m.layer not in (Layer.CORE, Layer.WORKING)]
    nodes, edges = graph.counts(user_id)
    runs = store.rows(
        f"SELECT run_id, user_id, namespace, started_at, finished_at, status, report_json "
        f"FROM sleep_runs {where} ORDER BY started_at DESC LIMIT 5", params)
    result: dict[str, Any] = {
        "user_id": user_id,
        "active": sum(v["active"] for v in layers.values()),
        "archived": sum(v["archived"] for v in layers.values()),
        "superseded": sum(v["superseded"] for v in layers.values()),
        "layers": layers,
        "namespaces": namespaces,
        "mean_stability_days": fmean(m.stability for m in decaying) if decaying else None,
        "mean_retrievability": fmean(availability(m, at).value for m in decaying) if decaying else None,
        "mean_confidence": fmean(m.confidence for m in active) if active else None,
        "index_pending": store.scalar(
            f"SELECT COUNT(*) FROM memories {where + ' AND' if where else 'WHERE'} index_pending = 1",
            params),
        "kg_nodes": nodes,
        "kg_edges": edges,
        "last_sleep": [
            {k: v for k, v in r.items() if k != "report_json"}
            | {"summary": _summary(r["report_json"])} for r in runs],
        "storage_bytes": store.storage_bytes() + _dir_size(home / "chroma"),
    }
    if user_id is None:
        result["users"] = {
            r["user_id"]: {"active": r["active"], "archived": r["archived"]}
            for r in store.rows(
                "SELECT user_id, SUM(CASE WHEN archived = 0 AND is_current = 1 THEN 1 ELSE 0 END) AS active, "
                "SUM(archived) AS archived FROM memories GROUP BY user_id ORDER BY user_id")
        }
    return result


def _summary(report_json: str | None) -> dict[str, Any]:
    if not report_json:
        return {}
    report = json.loads(report_json)
    keys = ("status", "active_count_before", "active_count_after", "semantic_created",
            "archived_ids")
    return {k: (len(report[k]) if isinstance(report.get(k), list) else report.get(k)) for k in keys}


def user_graph(store: SQLiteStore, graph: GraphStore, user_id: str, *, at: datetime) -> nx.MultiDiGraph:
    """Entities, relations, memories and provenance/version links of one user (archived too)."""
    g = graph.load_graph(user_id)
    mems = store.select_memories("user_id = ?", (user_id,))
    for m in mems:
        # The archive/supersede instants let a picture show the graph as it was at an earlier time.
        g.add_node(m.id, node_type="memory", layer=str(m.layer), kind=str(m.kind), text=m.text,
                   created_at=m.created_at.isoformat(), archived=m.archived,
                   is_current=m.is_current, retrievability=availability(m, at).value,
                   confidence=m.confidence, event_time=m.event_time.isoformat(),
                   archived_at=_iso(m.archived_at), archive_reason=m.archive_reason,
                   superseded_at=_iso(m.superseded_at), recall_count=m.recall_count)
    ids = [m.id for m in mems]
    for mid, ents in graph.entity_ids_of(ids).items():
        for ent in ents:
            if ent in g:
                g.add_edge(mid, ent, edge_type="mentions")
    id_set = set(ids)
    for link in store.rows("SELECT src, dst, type, weight, created_at FROM memory_links"):
        if link["type"] in _LINK_EDGES and link["src"] in id_set and link["dst"] in id_set:
            g.add_edge(link["src"], link["dst"], edge_type=link["type"], weight=link["weight"],
                       created_at=link["created_at"])
    return g


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
