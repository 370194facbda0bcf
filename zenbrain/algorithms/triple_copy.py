"""Triple-copy memory strengths: fast, medium and deep copies of one event (SPEC §4.2.3).

[P curves; D mapping to layers.] Defines `TripleCopyParams` and pure functions for the initial
strength ``s0 = clamp((0.6 + 0.4*composite)*g)``, the fast copy ``F = s0*exp(-t/4 h)``, the
medium copy ``M = 0.8*s0*exp(-t/S)`` (S0 = 14 d), the deep gist copy ``G = min(1, s0*tanh(t/7 d))``
(0 until the gist exists), availability ``max(F, M, G)`` and the retrieval cascade (fast, else
medium, else deep at >= 0.3; deep alone is a "sudden recall"). Note: SPEC quotes the paper's
S(30 d) = 0.912 as the mean over s0 ~ U[0.8, 1.0]; with this G the mean is 0.9*tanh(30/7) = 0.8997,
so that number is not reproduced by these curves and is not a test. FSRS layers do not use
this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from zenbrain.algorithms._validate import clamp, finite, non_negative, positive, unit

__all__ = [
    "TRIPLE_COPY_DEFAULT",
    "CopyName",
    "TripleCopyParams",
    "availability",
    "deep",
    "fast",
    "initial_strength",
    "is_sudden_recall",
    "medium",
    "serving_copy",
]

CopyName = Literal["fast", "medium", "deep"]


@dataclass(frozen=True)
class TripleCopyParams:
    """Constants of the three copies (SPEC §4.2.3).

    Attributes:
        fast_tau_hours: time constant of the fast copy [P: 4 h].
        medium_scale: the medium copy starts at 0.8*s0 [P].
        medium_stability_days: S0 of the medium copy [P: tau = 14 d].
        deep_tau_days: time constant of the deep copy's tanh rise [P: 7 d].
        serve_threshold: a copy serves a recall when its strength is >= this [D: 0.3].
        s0_base, s0_slope: s0 = (0.6 + 0.4*composite)*g [D].
    """

    fast_tau_hours: float = 4.0
    medium_scale: float = 0.8
    medium_stability_days: float = 14.0
    deep_tau_days: float = 7.0
    serve_threshold: float = 0.3
    s0_base: float = 0.6
    s0_slope: float = 0.4

    def __post_init__(self) -> None:
        positive("fast_tau_hours", self.fast_tau_hours)
        unit("medium_scale", self.medium_scale)
        positive("medium_stability_days", self.medium_stability_days)
        positive("deep_tau_days", self.deep_tau_days)
        unit("serve_threshold", self.serve_threshold)
        non_negative("s0_base", self.s0_base)
        non_negative("s0_slope", self.s0_slope)


TRIPLE_COPY_DEFAULT = TripleCopyParams()


def initial_strength(
    *, composite: float, gain: float = 1.0, params: TripleCopyParams = TRIPLE_COPY_DEFAULT
) -> float:
    """Initial strength ``s0 = clamp((0.6 + 0.4*composite)*g, 0, 1)``."""
    c = unit("composite", composite)
    g = non_negative("gain", gain)
    return clamp((params.s0_base + params.s0_slope * c) * g)


def fast(*, s0: float, hours_since: float, params: TripleCopyParams = TRIPLE_COPY_DEFAULT) -> float:
    """Fast (verbatim) copy ``F = s0*exp(-t/4 h)``; t < 0 counts as 0."""
    s = unit("s0", s0)
    t = max(0.0, finite("hours_since", hours_since))
    return s * math.exp(-t / params.fast_tau_hours)


def medium(
    *,
    s0: float,
    days_since: float,
    stability: float = 14.0,
    params: TripleCopyParams = TRIPLE_COPY_DEFAULT,
) -> float:
    """Medium (episodic) copy ``M = 0.8*s0*exp(-t/S)``; t < 0 counts as 0."""
    s = unit("s0", s0)
    t = max(0.0, finite("days_since", days_since))
    st = positive("stability", stability)
    return params.medium_scale * s * math.exp(-t / st)


def deep(
    *, s0: float, days_since_deep: float, params: TripleCopyParams = TRIPLE_COPY_DEFAULT
) -> float:
    """Deep (gist) copy ``G = min(1, s0*tanh(t/7 d))`` for t > 0, else 0."""
    s = unit("s0", s0)
    t = finite("days_since_deep", days_since_deep)
    if t <= 0.0:
        return 0.0
    return min(1.0, s * math.tanh(t / params.deep_tau_days))


def availability(*, f: float, m: float, g: float) -> float:
    """Availability of an episode: ``max(F, M, G)``."""
    return max(finite("f", f), finite("m", m), finite("g", g))


def serving_copy(
    *, f: float, m: float, g: float, params: TripleCopyParams = TRIPLE_COPY_DEFAULT
) -> CopyName | None:
    """The copy that serves a recall: fast if F >= 0.3, else medium if M >= 0.3, else deep if
    G >= 0.3; None when no copy reaches the threshold."""
    th = params.serve_threshold
    if finite("f", f) >= th:
        return "fast"
    if finite("m", m) >= th:
        return "medium"
    if finite("g", g) >= th:
        return "deep"
    return None


def is_sudden_recall(
    *, f: float, m: float, g: float, params: TripleCopyParams = TRIPLE_COPY_DEFAULT
) -> bool:
    """True when only the deep copy is above the threshold ("recovered from consolidated gist")."""
    return serving_copy(f=f, m=m, g=g, params=params) == "deep"
