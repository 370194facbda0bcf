"""Graph work of sleep on the real SQLite store: duplicate entities merge (archived, never
deleted), homeostatic decay archives weak edges, λ₂ of the relation graph."""

from __future__ import annotations

from helpers import day

from zenbrain.consolidation import graph_upkeep


def test_spelling_duplicates_merge_into_the_most_mentioned(brain):
    g, store = brain._graph, brain._store
    with store.transaction():
        luna = g.upsert_entity(user_id="u1", namespace="default", key="luna", name="Luna",
                               type_="pet", memory_id="mem_a", at=day(0))
        g.upsert_entity(user_id="u1", namespace="default", key="luna", name="Luna", type_="pet",
                        memory_id="mem_b", at=day(0))
        dup = g.upsert_entity(user_id="u1", namespace="default", key="luna's", name="Luna's",
                              type_="pet", memory_id="mem_c", at=day(1))
        vet = g.upsert_entity(user_id="u1", namespace="default", key="vet", name="vet",
                              type_="place", memory_id="mem_c", at=day(1))
        g.link_memory("mem_c", dup)
        g.add_or_reinforce_edge(user_id="u1", src=dup, dst=vet, relation="co_occurs",
                                memory_id="mem_c", at=day(1), event_time=day(1))
        merged = graph_upkeep.merge_duplicates(store, "u1")
    assert merged == [{"kept": luna, "merged": dup}]
    node = {r["id"]: r for r in g.entities("u1")}
    assert node[dup]["archived"] == 1 and node[luna]["mention_count"] == 3
    assert "Luna's" in node[luna]["aliases"]
    assert [e["src"] for e in g.edges("u1")] == [luna]
    assert g.entity_ids_of(["mem_c"]) == {"mem_c": [luna]}


def test_homeostatic_decay_archives_weak_immature_edges(brain):
    g, store = brain._graph, brain._store
    with store.transaction():
        a = g.upsert_entity(user_id="u1", namespace="default", key="a", name="A", type_="person",
                            memory_id="m", at=day(0))
        b = g.upsert_entity(user_id="u1", namespace="default", key="b", name="B", type_="person",
                            memory_id="m", at=day(0))
        weak = g.add_or_reinforce_edge(user_id="u1", src=a, dst=b, relation="likes",
                                       memory_id="m", at=day(0), event_time=day(0), weight=0.2)
        strong = g.add_or_reinforce_edge(user_id="u1", src=b, dst=a, relation="knows",
                                         memory_id="m", at=day(0), event_time=day(0))
        # Two nodes joined by total weight w = 1.2: L = [[w, -w], [-w, w]], so λ₂ = 2w = 2.4.
        assert abs(graph_upkeep.fiedler(store, "u1") - 2.4) < 1e-9
        archived = graph_upkeep.decay_edges(store, "u1")
    assert archived == [weak]
    # SPEC §4.1.1: w = 1.0, σ² = 1 (I = 1) → 1·(1 − 0.05/1.1) = 0.954545…
    assert abs(g.edge(strong)["weight"] - (1 - 0.05 / 1.1)) < 1e-9
