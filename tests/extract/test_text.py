"""Normalisation, content hashing and tokenisation."""

from __future__ import annotations

import hashlib

from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.extract.text import clean, content_hash, normalize, tokenize


def test_normalize() -> None:
    assert normalize("  Hello \n\t WORLD  ") == "hello world"
    assert normalize("") == ""
    assert normalize("Don’t") == "don't"


def test_clean_keeps_case() -> None:
    assert clean("  My  cat\nLuna ") == "My cat Luna"


def test_content_hash_known_value() -> None:
    assert content_hash("  My Cat ") == hashlib.sha256(b"my cat").hexdigest()
    assert len(content_hash("x")) == 64


def test_tokenize() -> None:
    assert tokenize("I didn't see Luna, 3 times!") == ["i", "didn't", "see", "luna", "3", "times"]
    assert tokenize("") == []


_ASCII_WORDS = st.lists(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'",
        min_size=1,
        max_size=8,
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    _ASCII_WORDS,
    st.lists(st.sampled_from([" ", "  ", "\t", "\n", " \n "]), min_size=12, max_size=12),
)
def test_hash_ignores_case_and_whitespace(words: list[str], gaps: list[str]) -> None:
    spaced = gaps[0] + "".join(w + gaps[i + 1] for i, w in enumerate(words))
    plain = " ".join(words)
    assert content_hash(spaced) == content_hash(plain)
    assert content_hash(plain.upper()) == content_hash(plain.lower()) == content_hash(plain)


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(st.text(max_size=200))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert content_hash(once) == content_hash(text)
