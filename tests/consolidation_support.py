"""Shared by the sleep tests: the Luna episodes and a content-keyed snapshot of a brain."""

from __future__ import annotations

LUNA = ["My cat Luna loves tuna", "Luna knocked over my plant", "Took Luna to the vet for her vaccination"]


def snapshot(brain, user="u1"):
    """Everything sleep may change, keyed by content (ids of new rows differ between runs)."""
    store = brain._store
    mems = store.select_memories("user_id = ? ORDER BY text, version", (user,))
    text_of = {m.id: m.text for m in mems}
    rows = sorted(
        (m.text, str(m.layer), m.version, m.is_current, m.archived, m.archive_reason,
         round(m.stability, 6), round(m.storage_strength, 6), text_of.get(m.consolidated_into),
         tuple(sorted(text_of.get(s, s) for s in m.sources)))
        for m in mems)
    names = {r["id"]: r["key"] for r in store.rows("SELECT id, key FROM kg_nodes")}
    edges = sorted((names.get(r["src"]), names.get(r["dst"]), r["relation"], round(r["weight"], 6),
                    r["archived"]) for r in store.rows("SELECT * FROM kg_edges WHERE user_id = ?",
                                                       (user,)))
    return rows, edges
