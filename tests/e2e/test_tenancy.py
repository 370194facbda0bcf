"""Tenants never mix: random memories of several users; no recall, stats, graph or export of
one user ever returns another's (hypothesis property on a real brain)."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

USERS = ["ana", "ben", "chen"]
WORDS = ["Luna", "Berlin", "tea", "router", "vet", "Acme", "piano", "garden", "Lisbon", "chess"]

memory_item = st.tuples(
    st.sampled_from(USERS),
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map(lambda ws: "My " + " ".join(ws)),
)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=st.lists(memory_item, min_size=3, max_size=12),
       query=st.sampled_from(WORDS))
def test_no_read_path_crosses_users(open_brain, tmp_path_factory, items, query):
    brain = open_brain(tmp_path_factory.mktemp("tenancy") / "b")
    # Fresh user ids per example: with --postgres, every example's brain shares one database.
    run = uuid.uuid4().hex[:8]
    owner: dict[str, str] = {}
    for user, text in items:
        mem = brain.remember(text, user_id=f"{user}-{run}")
        owner[mem.id] = f"{user}-{run}"
    for user in (f"{u}-{run}" for u in USERS):
        mine = {mid for mid, u in owner.items() if u == user}
        got = brain.recall(query, user_id=user, k=50)
        assert {r.memory.id for r in got} <= mine
        assert {r.memory.user_id for r in got} <= {user}
        stats = brain.stats(user)
        assert stats["active"] == len(mine)
        graph = brain.graph(user)
        memory_nodes = {n for n, d in graph.nodes(data=True) if d["node_type"] == "memory"}
        assert memory_nodes == mine
        entity_sources = {s for _, d in graph.nodes(data=True) if d["node_type"] == "entity"
                          for s in d["source_memory_ids"]}
        assert entity_sources <= mine
        exported = [json.loads(json.dumps(r, default=str)) for r in brain.export(user)]
        exported_ids = {r["record"]["id"] for r in exported if r["type"] == "memory"}
        assert exported_ids == mine
        for r in exported:
            if r["type"] in ("entity", "edge"):
                assert r["row"]["user_id"] == user
