"""vmPFC-coupled FSRS-4.5 scheduling (SPEC §4.1.2) [P + FSRS-4.5].

Defines `FSRSParams` (the published FSRS-4.5 default weights, DECAY = -0.5, FACTOR = 19/81,
target retention 0.9) and pure functions for retrievability ``R = (1 + FACTOR*t/S)^DECAY``, the
interval that reaches a target retention, first-encoding stability and difficulty, the stability
after a successful review or a lapse, the difficulty update, and the vmPFC interval multiplier
``m = clamp(1 + (0.5 - sigmoid(6*(PE - 0.5)))*0.6, 0.3, 2.0)`` [P]. It does not map events to grades
or store review history; the write and read paths do that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zenbrain.algorithms._validate import clamp, finite, in_range, non_negative, positive
from zenbrain.errors import InvalidInputError

__all__ = [
    "FSRS_DEFAULT",
    "FSRSParams",
    "due_in_days",
    "initial_difficulty",
    "initial_stability",
    "interval_days",
    "next_difficulty",
    "next_stability",
    "prediction_error_from_cosine",
    "retrievability",
    "vmpfc_multiplier",
]

# FSRS-4.5 default weights (open-spaced-repetition, SPEC §4.1.2).
# fmt: off
_W45: tuple[float, ...] = (
    0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474,
    0.1367, 1.0461, 2.1072, 0.0793, 0.3246, 1.587, 0.2272, 2.8755,
)
# fmt: on


@dataclass(frozen=True)
class FSRSParams:
    """FSRS-4.5 weights and the vmPFC coupling constants.

    Attributes:
        w: the 17 FSRS-4.5 weights w0..w16 (SPEC §4.1.2).
        decay: exponent of the power forgetting curve (FSRS-4.5: -0.5).
        factor: 19/81, chosen by FSRS so that R(t = S) = 0.9.
        target_retention: r* used to schedule `due_at` (0.9).
        vmpfc_slope: steepness of the re-encoding sigmoid f = sigmoid(slope*(PE - 0.5)) [P].
        vmpfc_scale: how far f moves the interval multiplier [P].
        vmpfc_min, vmpfc_max: limits of the interval multiplier [P].
    """

    w: tuple[float, ...] = _W45
    decay: float = -0.5
    factor: float = 19.0 / 81.0
    target_retention: float = 0.9
    vmpfc_slope: float = 6.0
    vmpfc_scale: float = 0.6
    vmpfc_min: float = 0.3
    vmpfc_max: float = 2.0

    def __post_init__(self) -> None:
        if len(self.w) != 17:
            raise InvalidInputError(f"FSRSParams.w has {len(self.w)} weights; FSRS-4.5 needs 17")
        object.__setattr__(self, "w", tuple(finite(f"w[{i}]", x) for i, x in enumerate(self.w)))
        if finite("decay", self.decay) >= 0.0:
            raise InvalidInputError(f"decay is {self.decay}; it must be < 0")
        positive("factor", self.factor)
        in_range("target_retention", self.target_retention, 1e-9, 1.0 - 1e-9)
        positive("vmpfc_slope", self.vmpfc_slope)
        non_negative("vmpfc_scale", self.vmpfc_scale)
        if not 0.0 < self.vmpfc_min <= self.vmpfc_max:
            raise InvalidInputError(
                f"vmpfc limits are ({self.vmpfc_min}, {self.vmpfc_max}); need 0 < min <= max"
            )


FSRS_DEFAULT = FSRSParams()


def _grade(grade: int) -> int:
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
        raise InvalidInputError(f"grade is {grade!r}; it must be 1 (Again), 2, 3 or 4 (Easy)")
    return grade


def retrievability(
    *, elapsed_days: float, stability: float, params: FSRSParams = FSRS_DEFAULT
) -> float:
    """Probability of recall after `elapsed_days`: ``R = (1 + FACTOR*t/S)^DECAY``.

    A negative elapsed time (an as-of query before the last review) counts as 0, so R = 1.
    An infinite stability (core memories) gives R = 1.
    """
    t = max(0.0, finite("elapsed_days", elapsed_days))
    s = positive("stability", stability)
    return (1.0 + params.factor * t / s) ** params.decay


def interval_days(
    *, stability: float, retention: float = 0.9, params: FSRSParams = FSRS_DEFAULT
) -> float:
    """Days until R falls to `retention`: ``I = (S/FACTOR)*(r^(1/DECAY) - 1)``; I(0.9) = S."""
    s = positive("stability", stability)
    r = in_range("retention", retention, 1e-9, 1.0 - 1e-9)
    return (s / params.factor) * (r ** (1.0 / params.decay) - 1.0)


def initial_stability(grade: int = 3, *, params: FSRSParams = FSRS_DEFAULT) -> float:
    """First-encoding stability ``S0(G) = w[G-1]`` in days (Good: 3.7145)."""
    return params.w[_grade(grade) - 1]


def initial_difficulty(grade: int = 3, *, params: FSRSParams = FSRS_DEFAULT) -> float:
    """First-encoding difficulty ``D0(G) = w4 - (G-3)*w5``, kept in [1, 10] (Good: 5.1618)."""
    g = _grade(grade)
    return clamp(params.w[4] - (g - 3) * params.w[5], 1.0, 10.0)


def next_stability(
    *,
    difficulty: float,
    stability: float,
    retrievability: float,
    grade: int,
    params: FSRSParams = FSRS_DEFAULT,
) -> float:
    """Stability after a review: the success formula for grades 2-4, the lapse formula for 1.

    Success: ``S' = S*(1 + e^w8*(11-D)*S^-w9*(e^(w10*(1-R)) - 1)*h*b)`` with h = w15 for Hard and
    b = w16 for Easy. Lapse: ``S' = min(S, w11*D^-w12*((S+1)^w13 - 1)*e^(w14*(1-R)))``.
    """
    w = params.w
    g = _grade(grade)
    d = clamp(finite("difficulty", difficulty), 1.0, 10.0)
    s = positive("stability", stability)
    r = in_range("retrievability", retrievability, 0.0, 1.0)
    if math.isinf(s):
        return s
    if g == 1:
        lapse = w[11] * d ** (-w[12]) * ((s + 1.0) ** w[13] - 1.0) * math.exp(w[14] * (1.0 - r))
        return min(s, lapse)
    hard = w[15] if g == 2 else 1.0
    easy = w[16] if g == 4 else 1.0
    growth = math.exp(w[8]) * (11.0 - d) * s ** (-w[9]) * (math.exp(w[10] * (1.0 - r)) - 1.0)
    return s * (1.0 + growth * hard * easy)


def next_difficulty(*, difficulty: float, grade: int, params: FSRSParams = FSRS_DEFAULT) -> float:
    """Difficulty after a review: ``D' = clamp(w7*D0(3) + (1-w7)*(D - w6*(G-3)), 1, 10)``."""
    w = params.w
    g = _grade(grade)
    d = finite("difficulty", difficulty)
    # Mean reversion towards D0(Good) keeps difficulty from drifting to a bound for ever.
    return clamp(
        w[7] * initial_difficulty(3, params=params) + (1.0 - w[7]) * (d - w[6] * (g - 3)), 1.0, 10.0
    )


def prediction_error_from_cosine(*, cosine: float) -> float:
    """vmPFC prediction error ``PE_v = clamp(1 - cos(c_last, c_now), 0, 1)`` [P]."""
    return clamp(1.0 - finite("cosine", cosine))


def vmpfc_multiplier(*, prediction_error: float, params: FSRSParams = FSRS_DEFAULT) -> float:
    """Interval multiplier ``m = clamp(1 + (0.5 - f)*0.6, 0.3, 2.0)``, f = sigmoid(6*(PE - 0.5)).

    A high PE shortens the interval (a good moment to re-encode); PE = 0.5 leaves it unchanged.
    """
    pe = clamp(finite("prediction_error", prediction_error))
    f = 1.0 / (1.0 + math.exp(-params.vmpfc_slope * (pe - 0.5)))
    return clamp(1.0 + (0.5 - f) * params.vmpfc_scale, params.vmpfc_min, params.vmpfc_max)


def due_in_days(
    *, stability: float, prediction_error: float, params: FSRSParams = FSRS_DEFAULT
) -> float:
    """Days from the review to `due_at`: ``m(PE) * I(r*, S')`` (SPEC §4.1.2, vmPFC coupling)."""
    base = interval_days(stability=stability, retention=params.target_retention, params=params)
    return vmpfc_multiplier(prediction_error=prediction_error, params=params) * base
