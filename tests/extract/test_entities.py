"""Rule-based entities and triples (SPEC §2.3, §5.1 step 5)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.errors import InvalidInputError
from zenbrain.extract.entities import (
    ENTITY_TYPES,
    FUNCTIONAL_RELATIONS,
    Entity,
    Triple,
    extract,
    is_functional,
    normalize_key,
)


def triples(text: str, **kw: str | None) -> set[tuple[str, str, str, str]]:
    return {
        (t.subject_key, t.relation, t.object_name, t.object_type)
        for t in extract(text, **kw).triples
    }


def types(text: str) -> dict[str, str]:
    return {e.key: e.type for e in extract(text).entities}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "My cat Luna loves tuna",
            {("self", "has_pet", "Luna", "pet"), ("luna", "likes", "tuna", "concept")},
        ),
        ("my dog, Rex, barked", {("self", "has_pet", "Rex", "pet")}),
        ("my cat's name is Luna", {("self", "has_pet", "Luna", "pet")}),
        (
            "my cats Luna and Milo sleep",
            {("self", "has_pet", "Luna", "pet"), ("self", "has_pet", "Milo", "pet")},
        ),
        ("my sister Anna visited", {("self", "has_sister", "Anna", "person")}),
        ("my mom Carol called", {("self", "has_mother", "Carol", "person")}),
        ("my wife Sam cooked", {("self", "partner_is", "Sam", "person")}),
        ("Anna is my sister", {("self", "has_sister", "Anna", "person")}),
        ("Luna is my cat", {("self", "has_pet", "Luna", "pet")}),
        ("I live in Berlin", {("self", "lives_in", "Berlin", "place")}),
        ("I moved to Munich, I live in Munich now", {("self", "lives_in", "Munich", "place")}),
        ("We live in New York", {("self", "lives_in", "New York", "place")}),
        ("I work at Acme Corp", {("self", "works_at", "Acme Corp", "org")}),
        ("I work for Google", {("self", "works_at", "Google", "org")}),
        ("My name is Dana", {("self", "named", "Dana", "concept")}),
        ("call me Dee", {("self", "named", "Dee", "concept")}),
        ("I am a teacher", {("self", "job_title", "teacher", "concept")}),
        ("I work as a software engineer", {("self", "job_title", "software engineer", "concept")}),
        ("I'm 34 years old", {("self", "age_is", "34", "concept")}),
        ("my birthday is March 3", {("self", "birthday_is", "March 3", "concept")}),
        ("I'm married to Chris", {("self", "partner_is", "Chris", "person")}),
        (
            "I am allergic to peanuts and shellfish",
            {
                ("self", "allergic_to", "peanuts", "concept"),
                ("self", "allergic_to", "shellfish", "concept"),
            },
        ),
        (
            "I love hiking in the mountains and I hate mosquitoes",
            {("self", "likes", "hiking", "concept"), ("self", "dislikes", "mosquitoes", "concept")},
        ),
        (
            "I really enjoy sushi and ramen",
            {("self", "likes", "sushi", "concept"), ("self", "likes", "ramen", "concept")},
        ),
        ("I don't like mushrooms", {("self", "dislikes", "mushrooms", "concept")}),
        ("I can't stand traffic", {("self", "dislikes", "traffic", "concept")}),
        ("My favorite color is blue", {("self", "favorite_color", "blue", "concept")}),
        (
            "my favourite ice cream flavor is vanilla",
            {("self", "favorite_ice_cream_flavor", "vanilla", "concept")},
        ),
        ("Pizza is my favorite food", {("self", "favorite_food", "Pizza", "concept")}),
        ("Bob prefers coffee in the morning", {("bob", "likes", "coffee", "concept")}),
    ],
)
def test_triples(text: str, expected: set[tuple[str, str, str, str]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The printer uses A4 paper",
        "I like it",
        "I'd like to book a table",
        "I'm a huge fan",
        "my name is not important",
        "I will move to Munich next year",
        "call me later",
        "It looks like rain",
        "I work from home",
        "I'm a die-hard Ajax supporter",  # ends like a job ("-er") and names none
        "I'm such a procrastinator",
    ],
)
def test_no_triples(text: str) -> None:
    assert triples(text) == set()


def test_self_entity_and_functional_flags() -> None:
    result = extract("I live in Berlin and my cat Luna sleeps")
    assert Entity("user", "self", "self") in result.entities
    by_rel = {t.relation: t for t in result.triples}
    assert by_rel["lives_in"].functional is True
    assert by_rel["has_pet"].functional is False


def test_pattern_type_wins_over_proper_noun_type() -> None:
    assert types("Yesterday my cat Luna met Luna's friend") == {"self": "self", "luna": "pet"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Luna knocked over my plant", {"luna": "concept"}),  # sentence start, not a common word
        ("Took Luna to the vet", {"luna": "concept"}),  # "Took" opens the sentence; not a name
        ("Yesterday I met Sarah in Paris", {"sarah": "person", "paris": "place"}),
        ("We had lunch at Starbucks", {"starbucks": "org"}),
        ("The Beatles played", {"beatles": "concept"}),
        ("Thanks. Honestly, Monday was fine", {}),
        ("The printer uses A4 paper", {}),
    ],
)
def test_proper_nouns(text: str, expected: dict[str, str]) -> None:
    assert types(text) == expected


def test_assistant_first_person_is_skipped() -> None:
    assert triples("My name is Claude and I live in the cloud", speaker="assistant") == set()
    assert triples("Bob prefers tea", speaker="assistant") == {("bob", "likes", "tea", "concept")}


def test_functional_relations() -> None:
    assert {
        "lives_in",
        "works_at",
        "job_title",
        "named",
        "age_is",
        "birthday_is",
        "partner_is",
    } == FUNCTIONAL_RELATIONS
    assert is_functional("favorite_color")
    assert is_functional("lives_in")
    assert not is_functional("likes")
    assert not is_functional("has_pet")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Luna", "luna"),
        ("  New   York ", "new york"),
        ("The Beatles", "beatles"),
        ("Luna's", "luna"),
        ("Luna’s", "luna"),
        ("Acme, Inc.", "acme inc"),
        ("", ""),
    ],
)
def test_normalize_key(name: str, key: str) -> None:
    assert normalize_key(name) == key


def test_results_are_frozen() -> None:
    triple = extract("I live in Berlin").triples[0]
    with pytest.raises(AttributeError):
        triple.relation = "x"  # type: ignore[misc]
    assert isinstance(triple, Triple)


def test_bad_input() -> None:
    with pytest.raises(InvalidInputError):
        extract(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Entity("x", "x", "gadget")


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "user", "assistant"]))
def test_never_raises_and_stays_consistent(text: str, speaker: str | None) -> None:
    result = extract(text, speaker=speaker)
    keys = {e.key for e in result.entities}
    assert len(keys) == len(result.entities)
    for entity in result.entities:
        assert entity.type in ENTITY_TYPES
        assert entity.key == normalize_key(entity.name) or entity.key == "self"
    for t in result.triples:
        assert t.subject_key in keys
        assert normalize_key(t.object_name) in keys
        assert t.functional == is_functional(t.relation)


def test_deterministic() -> None:
    text = "My sister Anna and I moved to Lisbon; I love surfing. Bob hates sand."
    assert extract(text) == extract(text)


# ---- names worth a graph node (benchmarks/entities.py measures these on labelled chat) ----------


@pytest.mark.parametrize("text", [
    "Night shift again, I'm exhausted.", "Headache all afternoon.", "Deadline moved to Friday.",
    "Yoga helps my back.", "Ugh, Monday again.", "We're expecting a baby in October!",
])
def test_an_everyday_word_opening_a_sentence_is_not_a_name(text):
    assert [e.key for e in extract(text).entities] == []


def test_an_opening_word_the_text_capitalises_again_stays_a_name():
    assert "yoga" in types("Yoga is closed today. We met at Yoga for the class.")


def test_honorifics_and_kinship_titles_are_not_part_of_names():
    assert set(types("Had a call with Dr. Okafor about my knee.")) == {"okafor"}
    assert set(types("Grandpa Joe turned 90 today.")) == {"joe"}
    assert types("Mom wants us to visit.") == {}


def test_languages_are_attributes_not_nodes():
    assert set(types("I'm learning Spanish on Duolingo.")) == {"duolingo"}


def test_of_joins_a_capitalised_name():
    assert "university of edinburgh" in types("I studied at the University of Edinburgh.")


def test_a_second_predicate_after_and_is_not_a_liked_thing():
    got = triples("Luna loves tuna and sleeps on the sofa.")
    assert ("luna", "likes", "tuna", "concept") in got
    assert not any(t[2] == "sleeps" for t in got)
    assert {t[2] for t in triples("I love cats and dogs.")} >= {"cats", "dogs"}
