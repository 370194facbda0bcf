"""Tenants never mix: random memories of several users; no read path of one user ever returns
another's (hypothesis property on a real brain).

The property holds for everything the product may legitimately do with the writes: a later
`remember` may reconsolidate an earlier memory (its id is then superseded by a new version of
the *same* user), duplicates may merge. So the invariant is stated over version chains: every id
`remember` returned is current, or leads through `superseded_by` to a current version of the
same user, and the user's counts are over those current versions.
"""

from __future__ import annotations

import json
import uuid

import anyio
import pytest
from helpers import hypothesis_examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zenbrain import MemoryNotFoundError
from zenbrain.agents import ZenBrainStore
from zenbrain.mcp import build_server

USERS = ["ana", "ben", "chen"]
WORDS = ["Luna", "Berlin", "tea", "router", "vet", "Acme", "piano", "garden", "Lisbon", "chess"]

memory_item = st.tuples(
    st.sampled_from(USERS),
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map(lambda ws: "My " + " ".join(ws)),
)

# Found by a random run on PostgreSQL (issue 12): the eighth write reconsolidates the second one,
# so an id an earlier `remember` returned is superseded and only four of five ids are current.
RECONSOLIDATED = [
    ("ana", "My Luna Luna"), ("ana", "My piano Lisbon chess Lisbon Lisbon"), ("ana", "My Luna Luna"),
    ("ana", "My Luna Luna Luna Luna Luna"), ("ana", "My Luna Luna"), ("ana", "My Luna Luna Luna"),
    ("ana", "My Luna Luna Luna"), ("ana", "My piano Berlin Luna Luna Lisbon"), ("ana", "My Luna Luna"),
    ("ana", "My Luna Luna Luna Luna Luna"), ("chen", "My Berlin piano tea"), ("ben", "My garden vet"),
]


def current_head(brain, memory_id: str, user: str) -> str:
    """Follow `superseded_by` from `memory_id` to its current version; every hop is `user`'s."""
    seen: set[str] = set()
    mem = brain.get(memory_id)
    while True:
        assert mem is not None, f"{memory_id}: a version in its chain is missing"
        assert mem.user_id == user, f"{memory_id}: chain crosses into {mem.user_id}"
        if mem.is_current:
            return mem.id
        assert mem.superseded_by and mem.id not in seen, f"{mem.id}: superseded without a successor"
        seen.add(mem.id)
        mem = brain.get(mem.superseded_by)


def mcp_call(server, tool: str, args: dict) -> dict:
    async def call():
        result = await server.call_tool(tool, args)
        assert not result.is_error, result.content
        return result.structured_content or json.loads(result.content[0].text)

    return anyio.run(call)


@settings(max_examples=hypothesis_examples(6), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=st.lists(memory_item, min_size=3, max_size=12),
       query=st.sampled_from(WORDS))
@example(items=RECONSOLIDATED, query="Lisbon")
def test_no_read_path_crosses_users(open_brain, tmp_path_factory, items, query):
    brain = open_brain(tmp_path_factory.mktemp("tenancy") / "b")
    # Hypothesis runs many examples in one test call: close each brain (its connections,
    # files) before the next one, or a deep run exhausts them.
    try:
        # Fresh user ids per example: with --postgres, every example's brain shares one database.
        run = uuid.uuid4().hex[:8]
        users = [f"{u}-{run}" for u in USERS]
        store = ZenBrainStore(brain)
        server = build_server(brain)
        returned: dict[str, list[str]] = {u: [] for u in users}
        for user, text in items:
            returned[f"{user}-{run}"].append(brain.remember(text, user_id=f"{user}-{run}").id)

        for user in users:
            others = [u for u in users if u != user]
            heads = {current_head(brain, mid, user) for mid in returned[user]}
            versions = {m.id for mid in heads for m in brain.history(mid, user_id=user)}

            got = brain.recall(query, user_id=user, k=50)
            assert {r.memory.user_id for r in got} <= {user}
            assert {r.memory.id for r in got} <= heads  # recall returns current versions only
            assert {m.id for m in brain.memories(user)} == heads
            assert brain.stats(user)["active"] == len(heads)
            for mid in returned[user]:
                assert brain.get(mid, user_id=user) is not None
                for other in others:
                    assert brain.get(mid, user_id=other) is None
                    with pytest.raises(MemoryNotFoundError):
                        brain.history(mid, user_id=other)
                assert {m.user_id for m in brain.history(mid, user_id=user)} == {user}

            graph = brain.graph(user)
            memory_nodes = {n for n, d in graph.nodes(data=True) if d["node_type"] == "memory"}
            assert heads <= memory_nodes <= versions
            entity_sources = {s for _, d in graph.nodes(data=True) if d["node_type"] == "entity"
                              for s in d["source_memory_ids"]}
            assert entity_sources <= versions

            exported = [json.loads(json.dumps(r, default=str)) for r in brain.export(user)]
            exported_ids = {r["record"]["id"] for r in exported if r["type"] == "memory"}
            assert heads <= exported_ids <= versions
            for r in exported:
                if r["type"] == "memory":
                    assert r["record"]["user_id"] == user
                if r["type"] in ("entity", "edge"):
                    assert r["row"]["user_id"] == user

            via_mcp = mcp_call(server, "recall", {"query": query, "user_id": user, "k": 50})
            assert {row["id"] for row in via_mcp["results"]} <= heads
            assert mcp_call(server, "stats", {"user_id": user})["active"] == len(heads)
            block = brain.context(query, user_id=user, budget_tokens=2000)
            assert set(block.memory_ids) <= versions and set(block.left_out) <= versions
            via_mcp = mcp_call(server, "context", {"query": query, "user_id": user})
            assert set(via_mcp["memory_ids"]) <= versions

        # The LangGraph store: each user's items, searched by every user.
        for user in users:
            store.put((user, "notes"), "latest", {"content": f"{user} notes about {query}"})
        for user in users:
            found = store.search((user,), query=query, limit=50)
            assert found and {item.namespace[0] for item in found} == {user}
            assert {item.value["content"].split()[0] for item in found} == {user}
    finally:
        brain.close()