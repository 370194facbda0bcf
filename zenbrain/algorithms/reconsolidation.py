"""Pure parts of the reconsolidation engine: prediction error and mode (SPEC §4.2.2) [P modes].

Defines `ReconsolidationParams`, the package's fixed English `STOP_WORDS`, the `ANTONYM_PAIRS`
table and pure functions: content words (lower-case, split on non-alphanumerics, stop words
removed), the Jaccard distance, antonym conflict, ``PE = min(1, d_J + 0.2*contra)``, the mode table
(< 0.1 confirmed, < 0.3 selective_edit, < 0.7 integration, else new_episode) and the template
merge text. Matching memories, the stability gate and versioning belong to the write path.
Negations and quantifiers (not, no, never, always, ...) are deliberately *not* stop words: they
change what a statement means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from zenbrain.algorithms._validate import clamp, finite, unit
from zenbrain.errors import InvalidInputError

__all__ = [
    "ANTONYM_PAIRS",
    "RECONSOLIDATION_DEFAULT",
    "STOP_WORDS",
    "content_key",
    "Mode",
    "ReconsolidationParams",
    "content_words",
    "has_antonym_conflict",
    "jaccard_distance",
    "merge_text",
    "mode_for",
    "prediction_error",
]

Mode = Literal["confirmed", "selective_edit", "integration", "new_episode"]

_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me might more most must my myself of off on once only or other ought our ours ourselves
    out over own same shall she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up upon us very was we were what when
    where which while who whom whose why will with would you your yours yourself yourselves
    s t d ll m re ve
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Opposite pairs [P examples, D list]; contractions are matched whole ("isn't").
ANTONYM_PAIRS: tuple[tuple[str, str], ...] = (
    ("always", "never"),
    ("true", "false"),
    ("yes", "no"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increases", "decreases"),
    ("positive", "negative"),
    ("like", "dislike"),
    ("likes", "dislikes"),
    ("liked", "disliked"),
    ("love", "hate"),
    ("loves", "hates"),
    ("loved", "hated"),
    ("agree", "disagree"),
    ("enabled", "disabled"),
    ("allow", "deny"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("is", "isn't"),
    ("are", "aren't"),
    ("was", "wasn't"),
    ("were", "weren't"),
    ("do", "don't"),
    ("does", "doesn't"),
    ("did", "didn't"),
    ("can", "can't"),
    ("will", "won't"),
    ("has", "hasn't"),
    ("have", "haven't"),
)

_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class ReconsolidationParams:
    """Mode boundaries and the contradiction weight (SPEC §4.2.2) [P].

    Attributes:
        confirm_below: PE below this confirms the old memory [P: 0.1].
        edit_below: PE below this (and >= confirm_below) is a selective edit [P: 0.3].
        integrate_below: below this (and >= edit_below) integrate; else a new episode [P: 0.7].
        contra_weight: PE added by a contradiction [P: 0.2].
    """

    confirm_below: float = 0.1
    edit_below: float = 0.3
    integrate_below: float = 0.7
    contra_weight: float = 0.2

    def __post_init__(self) -> None:
        for name in ("confirm_below", "edit_below", "integrate_below", "contra_weight"):
            unit(name, getattr(self, name))
        if not self.confirm_below <= self.edit_below <= self.integrate_below:
            raise InvalidInputError(
                "mode boundaries must satisfy confirm_below <= edit_below <= integrate_below; got "
                f"{self.confirm_below}, {self.edit_below}, {self.integrate_below}"
            )


RECONSOLIDATION_DEFAULT = ReconsolidationParams()


def _text(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a str; got {type(value).__name__}")
    return value


def content_words(text: str) -> set[str]:
    """Lower-cased alphanumeric words of `text` without stop words."""
    return {w for w in _WORD.findall(_text("text", text).lower()) if w not in STOP_WORDS}


def content_key(text: str) -> str:
    """The content words of `text` in order (`content_words`, keeping order and repeats): two
    texts with the same key say the same thing, case, punctuation and stop words aside ("Ugh.
    Mondays" and "ugh, mondays!"). Sleep groups a recurring line by it; recall shows such
    repeats once."""
    words = [w for w in _WORD.findall(_text("text", text).lower()) if w not in STOP_WORDS]
    return " ".join(words) if words else text.strip().lower()


def jaccard_distance(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    """``1 - |a & b|/|a | b|``; two empty sets are identical (0.0)."""
    union = len(a | b)
    return 0.0 if union == 0 else 1.0 - len(a & b) / union


def _tokens(text: str) -> set[str]:
    # Curly apostrophes are common in chat text; fold them so "isn’t" matches "isn't".
    return set(_TOKEN.findall(text.lower().replace("\u2019", "'")))


def has_antonym_conflict(old: str, new: str) -> bool:
    """True when one text has one side of an antonym pair and the other text has only the other."""
    a, b = _tokens(_text("old", old)), _tokens(_text("new", new))
    for x, y in ANTONYM_PAIRS:
        if (x in a and x not in b and y in b and y not in a) or (
            y in a and y not in b and x in b and x not in a
        ):
            return True
    return False


def prediction_error(
    *,
    old_text: str,
    new_text: str,
    slot_conflict: bool = False,
    params: ReconsolidationParams = RECONSOLIDATION_DEFAULT,
) -> float:
    """``PE = min(1, d_J + 0.2*contra)``; contra: an antonym pair or a functional-slot conflict."""
    d = jaccard_distance(content_words(old_text), content_words(new_text))
    contra = slot_conflict or has_antonym_conflict(old_text, new_text)
    return min(1.0, d + (params.contra_weight if contra else 0.0))


def mode_for(pe: float, *, params: ReconsolidationParams = RECONSOLIDATION_DEFAULT) -> Mode:
    """The reconsolidation mode for a prediction error."""
    p = clamp(finite("pe", pe))
    if p < params.confirm_below:
        return "confirmed"
    if p < params.edit_below:
        return "selective_edit"
    if p < params.integrate_below:
        return "integration"
    return "new_episode"


def merge_text(old: str, new: str) -> str:
    """Template merge for integration mode without an LLM: ``"<old> — update: <new>"``."""
    return f"{_text('old', old).rstrip()} \u2014 update: {_text('new', new).strip()}"
