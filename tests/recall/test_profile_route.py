"""The profile route: a question about one of the user's lasting attributes reaches the memory
that states its current value, whatever the question's wording (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import day

from zenbrain.extract.slot_questions import SLOT_QUESTIONS, asks_about_self
from zenbrain.recall import profile_route
from zenbrain.recall.profile_route import SlotQuestions, question_slots, relations_of


def test_relations_of_slots_and_the_pet_family():
    assert relations_of(["home_city", "pet"]) == ["has_pet", "lives_in"]
    assert relations_of(["employer", "job_title"]) == ["job_title", "works_at"]
    assert relations_of([]) == []


@pytest.mark.parametrize("query,expected", [
    ("Where do I live?", True), ("what's MY job", True), ("Remind me of our anniversary", True),
    ("Where does Caroline live?", False), ("What did Melanie paint?", False),
])
def test_only_questions_about_the_asker_are_matched(query, expected):
    assert asks_about_self(query) is expected


def test_every_slot_question_names_a_known_slot():
    assert relations_of(list(SLOT_QUESTIONS))  # raises on an unknown slot
    assert all(q.endswith("?") for qs in SLOT_QUESTIONS.values() for q in qs)


def _one_hot(dim: int, i: int) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1.0
    return v


def test_question_slots_takes_the_best_slot_and_a_close_runner_up():
    # Hand-made vectors: the query is 0.8 from slot a, 0.78 from b (within 0.05), 0.3 from c.
    q = np.array([0.8, 0.78, 0.3], dtype=np.float32)
    questions = SlotQuestions(("a", "b", "c"), np.stack([_one_hot(3, i) for i in range(3)]))
    assert question_slots("what is my a?", q, questions) == ("a", "b")
    far = np.array([0.8, 0.7, 0.3], dtype=np.float32)
    assert question_slots("what is my a?", far, questions) == ("a",)
    weak = np.array([0.45, 0.2, 0.1], dtype=np.float32)
    assert question_slots("what is my a?", weak, questions) == ()
    assert question_slots("what is Tom's a?", q, questions) == ()  # not about the asker


@pytest.mark.parametrize("query,slot", [
    ("Which town am I based in these days?", "home_city"),
    ("Who's my employer at the moment?", "employer"),
    ("What do I drive?", "car"),
    ("How do I usually get to the office?", "commute"),
    ("Anything I'm allergic to?", "allergy"),
    ("What's the name of my cat?", "pet"),
])
def test_paraphrased_questions_find_their_slot_with_the_real_model(minilm, query, slot):
    questions = SlotQuestions.encode(minilm.embed)
    found = question_slots(query, minilm.embed([query])[0], questions)
    assert found and found[0] == slot


def test_a_question_in_other_words_reaches_the_current_value_first(brain):
    user = "prof"
    old = brain.remember_many(["I live in Melbourne, so the coast is a short train ride away.",
                               "ugh, Mondays", "the bus was late again",
                               "Can you remind me how to freeze fresh herbs?"],
                              user_id=user, at=day(0))[0]
    new = brain.remember("We did it, the move is done: our new address is in Lisbon.",
                         user_id=user, at=day(40))
    hits = brain.recall("Remind me which town I'm living in.", user_id=user, k=5, at=day(60),
                        explain=True, read_only=True)
    assert hits[0].memory.id == new.id
    assert any("states your current lives_in" in r for r in hits[0].reasons)
    # The older home is a version of the newer statement, not a rival answer.
    assert old.id in [m.id for m in brain.history(new.id, user_id=user)]
    assert all("Melbourne" not in h.text for h in hits)
    # As of a day before the move, the route names the home of that time.
    before = brain.recall("Which city do I live in?", user_id=user, k=3, at=day(39),
                          explain=True, read_only=True)
    assert before[0].memory.id == old.id


def test_the_route_never_reads_another_users_slots(brain):
    brain.remember("I live in Oslo.", user_id="a", at=day(0))
    brain.remember("the weather is nice", user_id="b", at=day(0))
    hits = brain.recall("Where do I live?", user_id="b", k=5, at=day(1), read_only=True)
    assert all(h.memory.user_id == "b" for h in hits)


def test_a_recipe_without_the_route_ignores_slots(brain):
    from dataclasses import replace

    from zenbrain.recall.recipes import DEFAULT
    brain.remember("I live in Oslo.", user_id="c", at=day(0))
    recipe = replace(DEFAULT, routes=tuple(r for r in DEFAULT.routes if r != "profile"))
    hits = brain.recall("Which town am I based in?", user_id="c", k=3, at=day(1),
                        read_only=True, recipe=recipe, explain=True)
    assert not any("states your current" in r for h in hits for r in h.reasons)
    assert profile_route.MIN_SIMILARITY > 0
