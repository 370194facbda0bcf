"""Memory kinds (SPEC §5.1 step 4), routing predicates (SPEC §3) and query classes (SPEC §5.2 step 2)."""

from __future__ import annotations

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.errors import InvalidInputError
from zenbrain.extract.kinds import (
    KINDS,
    QUERY_TYPES,
    classify_kind,
    classify_query,
    is_commitment,
    is_core_candidate,
    is_past_tense,
    is_procedure,
)


@pytest.mark.parametrize(
    "text",
    [
        "How do I reset the router? 1. unplug it 2. wait 10 s 3. plug it in",
        "How to bake bread: mix, knead, bake.",
        "First unplug the router, then wait ten seconds, finally plug it back in.",
        "Step 1: open the lid. Step 2: pour the water.",
        "1) fill the kettle\n2) boil\n3) pour",
        "- open the app\n- tap settings\n- choose reset",
    ],
)
def test_procedures(text: str) -> None:
    assert is_procedure(text)
    assert classify_kind(text) == "procedure"


@pytest.mark.parametrize(
    "text",
    [
        "The meeting went well",
        "how do I reset the router",  # a question, not a procedure
        "At first I was nervous, then it went well",
        "I don't know how to swim",
        "Version 2. That is all.",
        "We met 2 friends at 1. Fun.",
    ],
)
def test_not_procedures(text: str) -> None:
    assert not is_procedure(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("My name is Dana", "profile"),
        ("call me Dee", "profile"),
        ("I am a nurse", "profile"),
        ("I always take the stairs", "profile"),
        ("I'm vegetarian", "profile"),
        ("My cat Luna loves tuna", "preference"),
        ("I love hiking", "preference"),
        ("I hate mosquitoes", "preference"),
        ("I prefer tea over coffee", "preference"),
        ("My favorite color is blue", "preference"),
        ("Bob prefers coffee in the morning", "preference"),
        ("I'm a huge fan of jazz", "preference"),
        ("I will call mom tomorrow", "plan"),
        ("I'll finish the report", "plan"),
        ("Tomorrow I'm going to the gym", "plan"),
        ("remind me to buy milk", "plan"),
        ("I live in Berlin", "fact"),
        ("I moved to Munich, I live in Munich now", "fact"),
        ("Anna is my sister", "fact"),
        ("Paris is the capital of France", "fact"),
        ("Luna knocked over my plant", "event"),
        ("Took Luna to the vet for her vaccination", "event"),
        ("I was terrified when the car crashed on the highway", "event"),
        ("The meeting went well", "event"),
        ("dentist appointment on 2026-03-01", "event"),
        ("The printer uses A4 paper", "note"),
        ("It looks like rain", "note"),
        ("I'm a bit tired", "note"),
        ("", "note"),
    ],
)
def test_classify_kind(text: str, kind: str) -> None:
    assert classify_kind(text) == kind


def test_assistant_first_person_is_not_the_user() -> None:
    assert classify_kind("I'll remind you tomorrow at 9", speaker="assistant") == "plan"
    assert classify_kind("I love that idea", speaker="assistant") != "preference"
    assert classify_kind("My name is Claude", speaker="assistant") != "profile"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'll remind you tomorrow", True),
        ("I will send the report by Friday", True),
        ("I'm going to book the table for you", True),
        ("Let me check the schedule and get back to you", True),
        ("I’ll follow up next week", True),  # typographic apostrophe
        ("I'll be happy to help", False),
        ("I'll remember that", False),
        ("I will not do that", False),
        ("Sure, here it is", False),
    ],
)
def test_is_commitment(text: str, expected: bool) -> None:
    assert is_commitment(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My name is Dana", True),
        ("call me Dee", True),
        ("I always drink tea in the morning", True),
        ("I never eat meat", True),
        ("I am allergic to peanuts", True),
        ("I'm vegetarian", True),
        ("I'm lactose intolerant", True),
        ("what is my name?", False),
        ("I never said that", False),
        ("I went to the vet", False),
        ("I like pizza", False),
    ],
)
def test_is_core_candidate(text: str, expected: bool) -> None:
    assert is_core_candidate(text) is expected


def test_past_tense() -> None:
    assert is_past_tense("We visited Rome")
    assert is_past_tense("She took the train")
    assert not is_past_tense("I'm tired")
    assert not is_past_tense("I need a break")


@pytest.mark.parametrize(
    ("query", "qtype"),
    [
        ("when did I visit the vet", "temporal"),
        ("What did I do yesterday?", "temporal"),
        ("what happened 3 days ago", "temporal"),
        ("what did I eat last week", "temporal"),
        ("the first time I met Anna", "temporal"),
        ("what did I do in 2023", "temporal"),
        ("where did I live before I moved", "temporal"),
        ("how do I reset the router", "procedural"),
        ("how to set up the printer", "procedural"),
        ("steps to install python", "procedural"),
        ("fix the leaking tap", "procedural"),
        ("where do I live", "factual"),
        ("what is my favorite color", "factual"),
        ("what's my cat's name", "factual"),
        ("who is Anna", "factual"),
        ("which team do I work on", "factual"),
        ("do I like sushi", "factual"),
        ("tell me about Luna", "general"),
        ("Luna", "general"),
        ("", "general"),
    ],
)
def test_classify_query(query: str, qtype: str) -> None:
    assert classify_query(query) == qtype


def test_non_str_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        classify_kind(None)  # type: ignore[arg-type]


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "user", "assistant", "system"]))
def test_never_raises_on_arbitrary_text(text: str, speaker: str | None) -> None:
    assert classify_kind(text, speaker=speaker) in KINDS
    assert classify_query(text) in QUERY_TYPES
    assert isinstance(is_procedure(text), bool)
    assert isinstance(is_commitment(text), bool)
    assert isinstance(is_core_candidate(text), bool)
