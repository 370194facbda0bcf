"""Deterministic emotional tagging with a bundled lexicon (SPEC §4.3.5): valence, arousal and intensity.

`tag` looks each token up in `_lexicon.LEXICON` (about 300 English words; simple inflections such as
"crashed" -> "crash" or "worried" -> "worry" are folded), scales a word by a preceding intensifier
("very" x1.3, "extremely" x1.5, "slightly" x0.5) and flips it when a negator ("not", "never", "no",
any "n't" word) stands within the three tokens before it. The text's valence is the arousal-weighted
mean of its word valences (strong feelings dominate mild ones) and its arousal is the mean of the
strongest word's arousal and the average one. Text without lexicon words is neutral: (0, 0).
No model is called; the LLM tagger SPEC mentions is not part of this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from zenbrain.errors import InvalidInputError
from zenbrain.extract._lexicon import LEXICON
from zenbrain.extract.text import tokenize

__all__ = ["INTENSIFIERS", "NEGATORS", "Affect", "emotion_intensity", "tag"]

INTENSIFIERS: dict[str, float] = {
    "very": 1.3,
    "really": 1.3,
    "so": 1.2,
    "too": 1.2,
    "super": 1.3,
    "extremely": 1.5,
    "incredibly": 1.5,
    "absolutely": 1.4,
    "totally": 1.3,
    "completely": 1.4,
    "utterly": 1.5,
    "deeply": 1.4,
    "truly": 1.3,
    "highly": 1.3,
    "terribly": 1.4,
    "awfully": 1.3,
    "quite": 1.1,
    "pretty": 1.1,
    "fairly": 0.8,
    "somewhat": 0.7,
    "slightly": 0.5,
    "barely": 0.4,
    "bit": 0.6,
    "little": 0.7,
    "mildly": 0.6,
}
NEGATORS: frozenset[str] = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "hardly",
        "cannot",
    }
)
# How far back a negator reaches ("not at all happy" still flips "happy").
_NEGATION_SPAN = 3
# A negated feeling is weaker than its opposite ("not bad" is not "good").
_NEGATION_DAMPING = 0.5


@dataclass(frozen=True)
class Affect:
    """Valence in [-1, 1] (unpleasant to pleasant) and arousal in [0, 1] (calm to excited)."""

    valence: float
    arousal: float

    def __post_init__(self) -> None:
        if not -1.0 <= self.valence <= 1.0:
            raise InvalidInputError(f"valence {self.valence} is outside [-1, 1]")
        if not 0.0 <= self.arousal <= 1.0:
            raise InvalidInputError(f"arousal {self.arousal} is outside [0, 1]")


NEUTRAL = Affect(0.0, 0.0)


def _lookup(token: str) -> tuple[float, float] | None:
    if token in LEXICON:
        return LEXICON[token]
    candidates: list[str] = []
    if token.endswith("ied") or token.endswith("ies"):
        candidates.append(token[:-3] + "y")
    if token.endswith("ily"):
        candidates.append(token[:-3] + "y")
    if token.endswith("ing"):
        candidates += [token[:-3], token[:-3] + "e"]
    if token.endswith("ed"):
        candidates += [token[:-2], token[:-1]]
    if token.endswith("ly"):
        candidates.append(token[:-2])
    if token.endswith("es"):
        candidates.append(token[:-2])
    if token.endswith("s"):
        candidates.append(token[:-1])
    for cand in candidates:
        if cand in LEXICON:
            return LEXICON[cand]
    return None


def _negates(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def tag(text: str) -> Affect:
    """Return the affect of `text` from the bundled lexicon.

    Args:
        text: Any English text.

    Returns:
        An `Affect`; `Affect(0.0, 0.0)` when no lexicon word occurs.

    Raises:
        InvalidInputError: `text` is not a str.
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a str, got {type(text).__name__}")
    tokens = tokenize(text)
    hits: list[tuple[float, float]] = []
    for i, token in enumerate(tokens):
        found = _lookup(token)
        if found is None:
            continue
        valence, arousal = found
        window = tokens[max(0, i - _NEGATION_SPAN) : i]
        scale = 1.0
        for prev in tokens[max(0, i - 2) : i]:
            scale *= INTENSIFIERS.get(prev, 1.0)
        valence, arousal = valence * scale, arousal * scale
        if sum(1 for w in window if _negates(w)) % 2 == 1:
            valence, arousal = -valence * _NEGATION_DAMPING, arousal * _NEGATION_DAMPING
        hits.append((max(-1.0, min(1.0, valence)), max(0.0, min(1.0, arousal))))
    if not hits:
        return NEUTRAL
    weight = sum(a for _, a in hits)
    if weight > 0:
        valence = sum(v * a for v, a in hits) / weight
    else:
        valence = sum(v for v, _ in hits) / len(hits)
    arousal = (max(a for _, a in hits) + weight / len(hits)) / 2
    return Affect(round(max(-1.0, min(1.0, valence)), 6), round(max(0.0, min(1.0, arousal)), 6))


def emotion_intensity(affect: Affect) -> float:
    """Return how emotional an affect is: |valence| * arousal, or |valence| when arousal is 0."""
    if affect.arousal > 0:
        return abs(affect.valence) * affect.arousal
    return abs(affect.valence)
