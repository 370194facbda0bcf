"""The fused read path (SPEC §5.2) on a real brain: routes, explanations, routing, TripleCopy."""

from __future__ import annotations

from helpers import day

from zenbrain import Layer
from zenbrain.recall.keyword import match_expression, query_terms


def test_keyword_query_is_built_from_quoted_content_words():
    terms = query_terms('When did Luna NOT go to the "vet"? NEAR(x) * luna:')
    assert terms == ["luna", "not", "vet", "near"]  # negations are kept; one-letter words not
    assert match_expression(terms) == '"luna" OR "not" OR "vet" OR "near"'
    assert match_expression(query_terms("what is it?")) is None


def test_a_request_to_the_memory_itself_is_not_a_keyword():
    assert query_terms("Remind me which town I'm living in.") == ["town", "living"]
    assert query_terms("Can you tell me where I work?") == ["work"]
    assert query_terms("Do you still remember my dog's name?") == ["dog", "name"]
    # The same words about something else stay: "remind" is what the photo does here.
    assert "remind" in query_terms("What does the photo on the cork board remind her of?")


def test_fts_operators_in_a_query_are_plain_words(brain):
    brain.remember("Luna went to the vet on Tuesday", user_id="u1", at=day(0))
    for q in ('luna AND OR NOT', '"unbalanced', "vet*", "NEAR(luna vet)", "col:luna", "?!"):
        brain.recall(q, user_id="u1", at=day(1))  # no FTS syntax error


def test_keyword_route_is_scoped_to_the_user(brain):
    brain.remember("Zanzibar trip planning notes", user_id="alice", at=day(0))
    assert brain.recall("Zanzibar", user_id="bob", at=day(1)) == []


def test_explain_names_routes_and_retrievability(brain):
    """SPEC §7 example 13."""
    brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    brain.remember("Took Luna to the vet for her vaccination", user_id="u1", at=day(2))
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(2))
    results = brain.recall("tell me about Luna and the vet", user_id="u1", at=day(3),
                           explain=True)
    for rec in results:
        assert any(r.startswith(("vector similarity", "keyword match", "reached through entity",
                                 "Hopfield", "recalled through")) for r in rec.reasons)
        assert any("retrievability" in r or "always available" in r for r in rec.reasons)
    vet = next(r for r in results if "vet" in r.text)
    assert results.index(vet) <= 1
    assert any(r.startswith("keyword match on 'luna', 'vet' (bm25 rank 1)") for r in vet.reasons)
    assert any(r.startswith("reached through entity Luna") for r in vet.reasons)
    assert any(r.startswith("vector similarity") for r in vet.reasons)


def test_a_graph_only_memory_names_the_linking_entity(brain):
    """SPEC §7 example 13: found only through the graph → the reason names the entity."""
    from dataclasses import replace

    from zenbrain.recall.recipes import DEFAULT

    brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    only_graph = replace(DEFAULT, routes=("graph",))
    (rec,) = brain.recall("Luna", user_id="u1", at=day(1), explain=True, recipe=only_graph)
    assert rec.routes == {"graph": 1}
    assert rec.reasons[0].startswith("reached through entity Luna (activation")


def test_procedural_query_prefers_the_procedure(brain):
    """SPEC §7 example 12, first half."""
    brain.remember("how to reset the router: 1. unplug it 2. wait 30 seconds 3. plug it in",
                   user_id="u1", at=day(0))
    brain.remember("I reset the router yesterday and it took ages", user_id="u1", at=day(0))
    top = brain.recall("how do I reset the router", user_id="u1", at=day(1))[0]
    assert top.memory.layer is Layer.PROCEDURAL


def test_temporal_query_prefers_the_episode_of_that_day(brain):
    """SPEC §7 example 12, second half."""
    brain.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    brain.remember("Luna knocked over my plant", user_id="u1", at=day(1))
    vet = brain.remember("Took Luna to the vet for her vaccination", user_id="u1", at=day(2))
    top = brain.recall("When did I visit the vet", user_id="u1", at=day(3))[0]
    assert top.memory.id == vet.id


def test_speaker_named_in_the_query_is_preferred(brain):
    brain.remember_many([
        {"text": "I painted a sunrise by the lake last week", "speaker": "Melanie"},
        {"text": "Wow Melanie, I love sunrise paintings!", "speaker": "Caroline"},
    ], user_id="u1", at=day(0))
    top = brain.recall("What did Melanie paint?", user_id="u1", at=day(1), explain=True)[0]
    assert top.memory.speaker == "Melanie"
    assert any("said by Melanie" in r for r in top.reasons)


def test_old_episode_is_served_from_its_gist(brain):
    """SPEC §7 example 11: consolidated on day 1, asked on day 60 → the deep copy serves it."""
    for text in ["My cat Luna loves tuna", "Luna knocked over my plant",
                 "Took Luna to the vet for her vaccination"]:
        brain.remember(text, user_id="u1", at=day(0))
    brain.sleep(user_id="u1", now=day(1))
    results = brain.recall("Luna knocked over my plant", user_id="u1", at=day(60),
                           layers=["episodic"])
    rec = results[0]
    assert rec.memory.consolidated_into is not None
    assert rec.copy == "deep" and rec.sudden_recall
    assert rec.text == brain.get(rec.memory.consolidated_into).text


def test_a_fact_inside_small_talk_is_scored_by_its_best_sentence_too(brain, minilm):
    """The vector route lifts a multi-sentence memory halfway to its best sentence's cosine."""
    from zenbrain.algorithms.fusion import passage_similarity
    from zenbrain.extract.passages import sentences

    mem = brain.remember("Random thought: my birthday is on July 3. Anyway, remind me to call "
                         "the dentist tomorrow.", user_id="u1", at=day(0))
    single = brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    stored = brain._store.sentence_vectors([mem.id, single.id])
    assert set(stored) == {mem.id} and stored[mem.id].shape == (2, minilm.dim)
    q = "When is my birthday?"
    qv = minilm.embed([q])[0]
    whole = float(minilm.embed([mem.text])[0] @ qv)
    best = float(max(minilm.embed(sentences(mem.text)) @ qv))
    assert best > whole
    rec = next(r for r in brain.recall(q, user_id="u1", at=day(1), explain=True, read_only=True)
               if r.memory.id == mem.id)
    assert f"vector similarity {passage_similarity(whole, best):.2f}" in rec.reasons[0]
    brain.delete(mem.id, user_id="u1")
    assert brain._store.sentence_vectors([mem.id]) == {}
