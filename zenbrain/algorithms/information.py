"""Information content of a statement, and how much a repeat of it strengthens a memory [D, issue 13].

A memory confirmed by a repeat ("ugh, Mondays" said for the 30th time, or "I live in Lisbon"
restated) is evidence that the statement was made again, not evidence that it is worth knowing.
Strengthening therefore scales with what the text carries:

    I = min(1, w_fact·F + w_entity·min(E, E_max) + w_words·min(max(W − W_free, 0), W_max))

where F = 1 when the text states a durable first-person fact (a slot of `extract.facts`), E counts
specific entities and numbers (a person, pet, place, organisation, a named thing, a date or an
amount; never a weekday or month) and W counts content words. Small talk has I ≈ 0, a restated
fact I ≥ 0.7. A repeat then applies the review it would have made, in proportion to I:

    S' = S + I·(S_review − S),  D' = D + I·(D_review − D),
    t_last' = t_last + I·(t_now − t_last)

(the same share of the storage-strength gain). The repeat itself is always counted (α += 1 as in
SPEC §4.2.2, and a repeat counter): with I = 0 it is evidence that the line was said again and
nothing is learnt; with I = 1 it is the full "confirmed" review (an FSRS Easy review). The
weights are ours [D].
"""

from __future__ import annotations

from dataclasses import dataclass

from zenbrain.algorithms._validate import clamp, finite, non_negative, unit

__all__ = ["INFORMATION_DEFAULT", "InformationParams", "information_content", "interpolate"]


@dataclass(frozen=True)
class InformationParams:
    """Weights of `information_content` [D].

    Attributes:
        w_fact: weight of a durable first-person fact (0.7: a restated fact alone earns most of a
            review).
        w_entity: weight per specific entity or number, up to `max_entities` (0.2).
        w_words: weight per content word beyond `free_words`, up to `max_words` (0.05).
        free_words: content words any sentence has without saying much (4).
    """

    w_fact: float = 0.7
    w_entity: float = 0.2
    max_entities: int = 2
    w_words: float = 0.05
    free_words: int = 4
    max_words: int = 4

    def __post_init__(self) -> None:
        for name in ("w_fact", "w_entity", "w_words"):
            unit(name, getattr(self, name))
        for name in ("max_entities", "free_words", "max_words"):
            non_negative(name, getattr(self, name))


INFORMATION_DEFAULT = InformationParams()


def information_content(*, durable_fact: bool, entities: int, content_words: int,
                        params: InformationParams = INFORMATION_DEFAULT) -> float:
    """I in [0, 1] for a text with `entities` specific entities and `content_words` content words.

    >>> information_content(durable_fact=False, entities=0, content_words=2)   # "ugh, Mondays"
    0.0
    >>> information_content(durable_fact=True, entities=1, content_words=2)    # "I live in Lisbon"
    0.9
    """
    e = min(int(non_negative("entities", entities)), params.max_entities)
    w = min(max(int(non_negative("content_words", content_words)) - params.free_words, 0),
            params.max_words)
    value = params.w_fact * float(bool(durable_fact)) + params.w_entity * e + params.w_words * w
    return round(clamp(value), 10)


def interpolate(*, old: float, reviewed: float, information: float) -> float:
    """old + I·(reviewed − old): the share `information` of a review's change to one quantity."""
    i = unit("information", information)
    return finite("old", old) + i * (finite("reviewed", reviewed) - old)
