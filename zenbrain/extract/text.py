"""Text primitives shared by the extractors: whitespace/quote cleaning, normalisation, content hashing
and tokenisation. Everything here is pure, stdlib-only and deterministic; it knows nothing about
memories, layers or the knowledge graph.
"""

from __future__ import annotations

import hashlib
import re

from zenbrain.algorithms.reconsolidation import STOP_WORDS

__all__ = ["clean", "content_hash", "content_key", "normalize", "tokenize"]

_CONTENT_WORD = re.compile(r"[a-z0-9]+")

# Typographic quotes come from phones and word processors; folding them lets one regex match
# "don't" and "don’t" alike.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_TOKEN = re.compile(r"\w+(?:'\w+)*")


def clean(text: str) -> str:
    """Fold typographic quotes and collapse runs of whitespace, keeping case.

    Args:
        text: Any string.

    Returns:
        The cleaned text with single spaces and no leading or trailing whitespace.
    """
    return " ".join(text.translate(_QUOTES).split())


def normalize(text: str) -> str:
    """Lower-case `text` and collapse its whitespace (the form `content_hash` is taken of)."""
    return clean(text).lower()


def content_hash(text: str) -> str:
    """Return the sha256 hex digest of `normalize(text)`, so case and spacing never split a duplicate."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def content_key(text: str) -> str:
    """The text's content words, lower-cased, in order: two texts with the same key say the same
    thing (case, punctuation and stop words aside; "Ugh. Mondays" and "ugh, mondays!"). Sleep
    groups a recurring line by it; recall shows such repeats once."""
    words = [w for w in _CONTENT_WORD.findall(text.lower()) if w not in STOP_WORDS]
    return " ".join(words) if words else text.strip().lower()


def tokenize(text: str) -> list[str]:
    """Split `text` into lower-case word tokens; contractions such as "didn't" stay one token."""
    return _TOKEN.findall(normalize(text))
