"""The text rules of packing: parts, gist clauses, stems, relevance, change queries."""

from __future__ import annotations

import pytest

from zenbrain.context.text import (
    asks_about_change,
    gist_parts,
    norm,
    query_words,
    relevant_parts,
    sentences,
    stem,
)


def test_sentences_split_at_sentence_ends_and_line_breaks():
    assert sentences("I moved to Porto. Anyway, how was your day?") == (
        "I moved to Porto.", "Anyway, how was your day?")
    assert sentences("Wow! Really? Yes… fine") == ("Wow!", "Really?", "Yes…", "fine")
    assert sentences("first line\n\n- second line") == ("first line", "- second line")
    assert sentences("no end mark") == ("no end mark",)
    assert sentences("3.5 kg of flour") == ("3.5 kg of flour",)  # no space after the dot


def test_gist_parts_reads_the_template_and_nothing_else():
    assert gist_parts("Luna (pet): My cat Luna loves tuna; Luna knocked over my plant",
                      anchor="Luna", anchor_type="pet") == (
        "Luna (pet): ", ("My cat Luna loves tuna", "Luna knocked over my plant"))
    # a System-2 summary, or a gist without its anchor in the metadata: not a template
    assert gist_parts("Dana's cat likes fish.", anchor="Luna", anchor_type="pet") is None
    assert gist_parts("Luna (pet): x", anchor=None, anchor_type=None) is None


@pytest.mark.parametrize(("word", "stemmed"), [
    ("loves", "lov"), ("love", "lov"), ("loved", "lov"), ("eating", "eat"), ("eats", "eat"),
    ("eat", "eat"), ("cats", "cat"), ("lives", "liv"), ("living", "liv"), ("bus", "bus"),
    ("Tuna", "tuna"),
])
def test_stem(word, stemmed):
    assert stem(word) == stemmed


def test_query_words_drop_stop_words_and_question_scaffolding():
    assert query_words("What does my cat like to eat?") == {"cat", "lik", "eat"}
    assert query_words("Tell me what you remember") == frozenset()


def test_relevant_parts():
    parts = ("My cat Luna loves tuna", "Luna knocked over my plant", "Vet visit for Luna")
    assert relevant_parts(frozenset({"tuna"}), parts) == (0,)
    assert relevant_parts(query_words("which plants got knocked?"), parts) == (1,)
    # no part shares a word: the memory was recalled for its meaning, so all of it counts
    assert relevant_parts(frozenset({"dinosaur"}), parts) == (0, 1, 2)


@pytest.mark.parametrize(("query", "change"), [
    ("where did I use to live?", True), ("Where did I live before Lisbon?", True),
    ("has my job changed?", True), ("what was my previous car?", True),
    ("do I still play the cello?", True), ("I don't eat meat anymore, right?", True),
    ("where do I live?", False), ("what does my cat eat?", False), ("how old is Luna?", False),
])
def test_asks_about_change(query, change):
    assert asks_about_change(query) is change


def test_norm_ignores_case_punctuation_and_spacing():
    assert norm("My cat  Luna, loves TUNA!") == norm("my cat luna loves tuna") == \
        "my cat luna loves tuna"
