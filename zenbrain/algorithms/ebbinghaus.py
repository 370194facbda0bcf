"""Ebbinghaus exponential forgetting for `decay_model = exp` records (SPEC §4.3.2, §4.3.1) [P].

Defines `EbbinghausParams` and pure functions for retention ``R = exp(-t/S)``, the emotional
stability multiplier ``min(1 + 2*emotion, 3)`` [P: maximum 3x], episodic stability after a
successful recall ``S <- min(365, S*(1 + 1.5*(1 - R)))`` [D], the lapse rule ``S <- 0.5*S`` [P] and
the archive threshold scaled by 5HT patience (SPEC §4.2.1). Archiving itself lives in
`consolidation/forgetting.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zenbrain.algorithms._validate import clamp, finite, non_negative, positive, unit
from zenbrain.errors import InvalidInputError

__all__ = [
    "EBBINGHAUS_DEFAULT",
    "EbbinghausParams",
    "archive_threshold",
    "emotional_multiplier",
    "episodic_recall_stability",
    "lapse_stability",
    "retention",
]


@dataclass(frozen=True)
class EbbinghausParams:
    """Constants of exponential forgetting.

    Attributes:
        archive_threshold: theta_archive, below which a record may be archived [P: 0.1].
        max_emotion_multiplier: cap of the emotional multiplier [P: 3x].
        emotion_gain: slope of the emotional multiplier, 1 + gain*emotion [P: 2].
        recall_gain: growth of S on a successful recall, x(1 + gain*(1 - R)) [D: 1.5].
        cap_days: the largest stability a recall or replay can reach [P: 365 d].
        lapse_factor: S is multiplied by this on a lapse [P: 0.5].
    """

    archive_threshold: float = 0.1
    max_emotion_multiplier: float = 3.0
    emotion_gain: float = 2.0
    recall_gain: float = 1.5
    cap_days: float = 365.0
    lapse_factor: float = 0.5

    def __post_init__(self) -> None:
        unit("archive_threshold", self.archive_threshold)
        if finite("max_emotion_multiplier", self.max_emotion_multiplier) < 1.0:
            raise InvalidInputError(
                f"max_emotion_multiplier is {self.max_emotion_multiplier}; it must be >= 1"
            )
        non_negative("emotion_gain", self.emotion_gain)
        non_negative("recall_gain", self.recall_gain)
        positive("cap_days", self.cap_days)
        unit("lapse_factor", self.lapse_factor)


EBBINGHAUS_DEFAULT = EbbinghausParams()


def retention(*, elapsed_days: float, stability: float) -> float:
    """Retention ``R = exp(-t/S)``; t < 0 (an as-of time before the review) gives 1.0."""
    t = finite("elapsed_days", elapsed_days)
    s = positive("stability", stability)
    if t <= 0.0:
        return 1.0
    return math.exp(-t / s)


def emotional_multiplier(*, emotion: float, params: EbbinghausParams = EBBINGHAUS_DEFAULT) -> float:
    """Stability multiplier ``min(1 + 2*emotion, 3)`` for emotion in [0, 1]."""
    e = clamp(finite("emotion", emotion))
    return min(1.0 + params.emotion_gain * e, params.max_emotion_multiplier)


def episodic_recall_stability(
    *,
    stability: float,
    retrievability: float,
    cap_days: float = 365.0,
    params: EbbinghausParams = EBBINGHAUS_DEFAULT,
) -> float:
    """Stability after a successful recall: ``min(cap, S*(1 + 1.5*(1 - R)))`` (SPEC §4.3.1).

    The gain is largest when recall was hard (low R), the desirable-difficulty effect. A stability
    already above the cap is left as it is rather than cut down.
    """
    s = positive("stability", stability)
    r = unit("retrievability", retrievability)
    cap = positive("cap_days", cap_days)
    grown = s * (1.0 + params.recall_gain * (1.0 - r))
    return s if s >= cap else min(cap, grown)


def lapse_stability(*, stability: float, params: EbbinghausParams = EBBINGHAUS_DEFAULT) -> float:
    """Stability after a lapse: ``0.5*S`` [P]."""
    return params.lapse_factor * positive("stability", stability)


def archive_threshold(*, ht: float = 0.5, params: EbbinghausParams = EBBINGHAUS_DEFAULT) -> float:
    """Archive threshold scaled by serotonin patience: ``theta*(1.5 - 5HT)`` (SPEC §4.2.1)."""
    return params.archive_threshold * (1.5 - clamp(finite("ht", ht)))
