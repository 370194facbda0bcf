"""Text primitives shared by the extractors: whitespace/quote cleaning, normalisation, content hashing
and tokenisation. Everything here is pure, stdlib-only and deterministic; it knows nothing about
memories, layers or the knowledge graph.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["clean", "content_hash", "normalize", "tokenize"]

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


def tokenize(text: str) -> list[str]:
    """Split `text` into lower-case word tokens; contractions such as "didn't" stay one token."""
    return _TOKEN.findall(normalize(text))
