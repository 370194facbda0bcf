"""The seven layers on a real brain: routing, working slots, short-term, core, cross-context."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import day

from zenbrain import Layer
from zenbrain.layers import route
from zenbrain.layers.working import Slot, choose_evictions, relevance


@pytest.mark.parametrize(
    ("text", "speaker", "layer"),
    [
        ("How to reset the router: 1. unplug it 2. wait 30 s 3. plug it in", None, Layer.PROCEDURAL),
        ("My name is Dana", None, Layer.SEMANTIC),
        ("I always drink green tea in the morning", None, Layer.SEMANTIC),
        ("Took Luna to the vet yesterday", None, Layer.EPISODIC),
        ("We had pizza on 2025-03-01", None, Layer.EPISODIC),
        ("Sure, happy to help!", "assistant", Layer.SHORT_TERM),
        ("I'll remind you about the dentist on Friday", "assistant", Layer.EPISODIC),
    ],
)
def test_write_routing_rules(text, speaker, layer):
    assert route(text, speaker=speaker).layer is layer


def test_router_flags_core_candidates_and_kinds():
    decision = route("My name is Dana")
    assert decision.core_candidate and decision.kind.value in ("profile", "preference")
    assert route("Took Luna to the vet yesterday").kind.value == "event"
    assert route("I'll remind you tomorrow", speaker="assistant").kind.value == "plan"


def test_remember_routes_and_explicit_layer_wins(brain):
    proc = brain.remember("how to water the plants: 1. fill can 2. water 3. drain", user_id="u1")
    assert proc.layer is Layer.PROCEDURAL and proc.decay_model == "fsrs"
    ep = brain.remember("Visited grandma in Porto last week", user_id="u1")
    assert ep.layer is Layer.EPISODIC and ep.decay_model == "exp"
    forced = brain.remember("Visited grandma in Porto last week!", user_id="u1", layer="semantic")
    assert forced.layer is Layer.SEMANTIC and forced.metadata["zb_route"] == "explicit layer"
    core = brain.remember("Dana is vegetarian", user_id="u1", layer=Layer.CORE)
    assert core.pinned and core.decay_model == "none"


def test_working_relevance_and_eviction_math():
    now = day(0)
    assert relevance(composite=0.8, updated_at=now, now=now) == pytest.approx(0.8)
    # 30 minutes = one time constant: 0.8·e^-1
    assert relevance(composite=0.8, updated_at=now - timedelta(minutes=30), now=now) == pytest.approx(0.2943, abs=1e-4)
    slots = [Slot(f"m{i}", 0.1 * (i + 1), now) for i in range(9)]
    assert choose_evictions(slots, capacity=7, now=now) == ["m0", "m1"]


def test_nine_goals_leave_seven_slots_and_keep_the_memories(brain, clock):
    goals = []
    for i in range(9):
        clock.set(day(0) + timedelta(minutes=i))
        importance = 0.05 if i in (2, 5) else 0.9
        goals.append(brain.remember(f"Goal {i}: finish task number {i}", user_id="u1",
                                    session_id="s1", layer="working",
                                    metadata={"importance": importance}))
    slots = brain._store.rows("SELECT memory_id FROM working_slots WHERE session_id = 's1'")
    kept = {r["memory_id"] for r in slots}
    assert len(kept) == 7
    assert kept == {g.id for i, g in enumerate(goals) if i not in (2, 5)}
    for i in (2, 5):  # evicted from the slot, still a memory (now episodic)
        evicted = brain.get(goals[i].id)
        assert evicted is not None and not evicted.archived and evicted.layer is Layer.EPISODIC
    results = brain.recall("what are my goals", user_id="u1", session_id="s1", k=10)
    assert {r.memory.id for r in results[:7]} == kept
    assert all("working" in r.reasons[0] for r in results[:7])


def test_short_term_keeps_twenty_turns_per_session(brain):
    turns = [{"role": "assistant", "content": f"Reply number {i} about the weather"} for i in range(25)]
    brain.observe(turns, user_id="u1", session_id="s1", at=day(0))
    stats = brain.stats("u1")["layers"]["short_term"]
    assert stats == {"active": 20, "archived": 5, "superseded": 0}
    archived = brain._store.rows("SELECT text, archive_reason FROM memories WHERE archived = 1")
    assert {r["archive_reason"] for r in archived} == {"short_term_expired"}
    assert sorted(r["text"] for r in archived) == sorted(f"Reply number {i} about the weather" for i in range(5))


def test_short_term_expires_after_ttl(brain):
    brain.observe([{"role": "assistant", "content": "Old turn about sailing boats"}],
                  user_id="u1", session_id="old", at=day(0))
    brain.observe([{"role": "assistant", "content": "New turn about trains"}],
                  user_id="u1", session_id="new", at=day(2))
    st = brain.stats("u1")["layers"]["short_term"]
    assert st["active"] == 1 and st["archived"] == 1


def test_cross_context_visible_in_every_namespace_and_shared_only_on_purpose(brain):
    brain.remember("Team style guide: use British spelling", user_id="alice",
                   layer="cross_context", metadata={"shared_with": ["bob"]})
    brain.remember("Alice's private diary entry about spelling", user_id="alice")
    work = brain.recall("spelling", user_id="alice", namespace="work")
    assert [r.text for r in work] == ["Team style guide: use British spelling"]
    bob = brain.recall("spelling", user_id="bob")
    assert [r.text for r in bob] == ["Team style guide: use British spelling"]
    assert any("shared" in reason for reason in bob[0].reasons)
    assert brain.recall("spelling", user_id="carol") == []


def test_namespaces_separate_agents_of_one_user(brain):
    brain.remember("Work laptop password rotates monthly", user_id="u1", metadata={"namespace": "work"})
    brain.remember("Home wifi password is on the fridge", user_id="u1", metadata={"namespace": "home"})
    got = brain.recall("password", user_id="u1", namespace="home")
    assert [r.text for r in got] == ["Home wifi password is on the fridge"]
