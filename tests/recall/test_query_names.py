"""Which names a query asks about (`rerank.query_names`): a name the text addresses ("Thanks,
Mel!") is not one it asks about, so it lends the addressee's own turns no speaker lift; and a
memory that only addresses a person the query names is no keyword match (`keyword.addressed_only`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from zenbrain.recall.keyword import KeywordHit, addressed_only, only_addresses, query_terms
from zenbrain.recall.recipes import DEFAULT
from zenbrain.recall.rerank import query_names

NAMES = {"mel", "caroline", "melanie", "jon"}


@pytest.mark.parametrize("query,asked", [
    ("What did Caroline research?", {"caroline"}),
    ("When did Melanie paint a sunrise?", {"melanie"}),
    ("Did Mel tell Caroline about the race?", {"mel", "caroline"}),
    ("Thanks to Mel the trip was great", {"mel"}),  # not addressed: "to Mel"
    ("Yes Mel is coming", {"mel"}),  # a subject, not an address
    ("hi mel", {"mel"}),  # lower case is no name we can tell apart
    ("Hey Mel! Good to see you!", set()),
    ("Thanks, Caroline. That means a lot", set()),
    ("Caroline, what did you paint?", set()),
    ("Wow, Mel, glad you had a blast at the concert.", set()),
    ("That sounds great, Jon!", set()),
    ("Hey Mel! What did Caroline paint?", {"caroline"}),
])
def test_addressed_names_are_not_asked_about(query, asked):
    assert query_names(query) & NAMES == asked


def test_an_exact_turn_is_not_outranked_by_the_addressees_turns(brain):
    # Mel's own turns would get the speaker lift if "Mel" in the cue counted as asking about Mel.
    turns = [("Mel", "I painted a sunrise over the lake last weekend."),
             ("Caroline", "Hey Mel! That painting of the lake is lovely, I love the colours."),
             ("Mel", "Thanks! The lake was so calm that morning, the colours were lovely."),
             ("Mel", "I might paint the lake again in autumn when the colours change.")]
    mems = brain.remember_many([{"text": t, "speaker": s} for s, t in turns], user_id="v",
                               session_id="s1")
    hits = brain.recall(turns[1][1], user_id="v", k=4, read_only=True)
    assert hits[0].memory.id == mems[1].id


@pytest.mark.parametrize("text,only", [
    ("Sounds great, Caroline! Let's plan something special!", True),
    ("Thanks, Caroline. It was tough, but I'm doing ok.", True),
    ("Caroline, that looks amazing!", True),
    ("Caroline went to the support group yesterday.", False),  # about her
    ("Thanks, Caroline! The support group sounds great.", False),  # another query word too
    ("I told Caroline about it.", False),
    # a sleep gist's label names its subject and says nothing of it
    ("Caroline (person): Hey Caroline! Good to see you; Thanks, Caroline.", True),
    ("Caroline (person): Caroline went hiking; Thanks, Caroline.", False),
    # another query word in an inflected form FTS5's stemmer matches ("grouped", "groups")
    ("Thanks, Caroline! Those groups sound great.", False),
])
def test_a_keyword_hit_only_by_an_addressed_name_is_no_hit(text, only):
    hit = KeywordHit("m", -1.0, text, tuple(query_terms("When did Caroline go to the support group?")))
    assert addressed_only(hit, {"caroline"}) is only


def test_the_keyword_route_skips_turns_that_only_address_the_person(brain):
    said = [("Melanie", "Sounds great, Caroline! Let's plan something special!"),
            ("Caroline", "I went to a support group yesterday, it was powerful."),
            ("Melanie", "Thanks, Caroline. It means a lot.")]
    mems = brain.remember_many([{"text": t, "speaker": s} for s, t in said], user_id="v",
                               session_id="s1")
    recs = brain.recall("What did Caroline say about the support group?", user_id="v", k=3,
                        read_only=True, explain=True)
    assert recs[0].memory.id == mems[1].id
    for r in recs[1:]:
        assert not any(reason.startswith("keyword match") for reason in r.reasons), r.reasons


@pytest.mark.parametrize("text,only", [
    ("Wow, Caroline, that looks amazing!", True),
    ("Caroline's research is about adoption.", False),
    ("That looks amazing!", False),  # no query word at all: nothing to demote it for
    # a gist's clause labels say who spoke, not of whom
    ("Mel (person): Melanie: Wow, Caroline; Melanie: Hey Caroline", True),
    ("Mel (person): Caroline: I did some research; Melanie: Hey Caroline", False),
    ("Mel (person): Melanie: I told Caroline about it; Melanie: Hey Caroline", False),
])
def test_only_addresses(text, only):
    query = "What did Caroline research?"
    assert only_addresses(text, tuple(query_terms(query)), {"caroline"}) is only


def test_a_memory_that_only_addresses_the_named_person_ranks_lower_by_the_recipe_factor(brain):
    assert DEFAULT.addressed_only < 1.0
    said = [("Melanie", "Wow, Caroline, that looks amazing!"),
            ("Caroline", "I researched adoption agencies all week."),
            ("Melanie", "I went hiking with the kids on Sunday.")]
    mems = brain.remember_many([{"text": t, "speaker": s} for s, t in said], user_id="v",
                               session_id="s1")
    query = "What did Caroline research?"
    with_factor = {r.memory.id: r for r in brain.recall(query, user_id="v", k=3, read_only=True,
                                                        explain=True)}
    without = {r.memory.id: r for r in brain.recall(
        query, user_id="v", k=3, read_only=True, explain=True,
        recipe=replace(DEFAULT, addressed_only=1.0))}
    addressed = mems[0].id
    assert any("only addresses a name the query asks about" in x
               for x in with_factor[addressed].reasons)
    assert with_factor[addressed].relevance == pytest.approx(
        without[addressed].relevance * DEFAULT.addressed_only, rel=1e-4)
    for other in (mems[1].id, mems[2].id):
        assert with_factor[other].relevance == pytest.approx(without[other].relevance, rel=1e-4)
        assert not any("only addresses" in x for x in with_factor[other].reasons)
