"""Bayesian Beta confidence for memories and edges (SPEC §4.1.4) [P propagation; D Beta form].

Defines `ConfidenceParams`, the source priors `PRIORS`, the relation factors `RELATION_FACTORS`
and pure functions: the mean ``c = alpha/(alpha + beta)``, the 95% interval (Beta quantiles at
0.025 and 0.975, computed here by bisection on the regularised incomplete beta function, whose
continued fraction follows Numerical Recipes' ``betacf``, so scipy is not needed), evidence
updates, damped propagation over one relation and the write-back that keeps alpha + beta.
Note: `propagate` takes the edge weight already scaled to [0, 1]; `scale_weight` does the
``w/10`` step. SPEC's example "supports edge (w = 1) ... gives 0.95" uses the scaled weight 1.
Walking the graph (sleep REM phase, write-path 1-hop) is the caller's job.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from zenbrain.algorithms._validate import (
    clamp,
    finite,
    in_range,
    integer,
    non_negative,
    positive,
    unit,
)
from zenbrain.errors import InvalidInputError

__all__ = [
    "CONFIDENCE_DEFAULT",
    "PRIORS",
    "RELATION_FACTORS",
    "ConfidenceParams",
    "beta_cdf",
    "beta_ppf",
    "expected",
    "interval95",
    "observe",
    "prior_for",
    "propagate",
    "relation_factor",
    "rescale",
    "scale_weight",
]

# Priors [D]: (alpha, beta) by source. "abstraction" adds the number of source episodes to alpha.
PRIORS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "user": (3.0, 1.0),
        "assistant": (1.5, 1.0),
        "abstraction": (1.0, 1.0),
        "import": (2.0, 1.0),
        "procedure": (1.0, 1.0),
    }
)

# Relation factors [P]; every relation not listed has factor 0 and does not propagate.
RELATION_FACTORS: Mapping[str, float] = MappingProxyType(
    {
        "supports": 1.0,
        "contradicts": -1.0,
        "causes": 0.8,
        "requires": 0.6,
        "part_of": 0.3,
        "similar_to": 0.2,
    }
)


@dataclass(frozen=True)
class ConfidenceParams:
    """Propagation constants (SPEC §4.1.4).

    Attributes:
        damping: share of the proposed value kept, c <- 0.7*c' + 0.3*c [P].
        min_change: changes smaller than this are skipped [P: 0.01].
        max_iterations: propagation sweeps per run [P: 3].
        weight_scale: KG weights in [0, 10] are divided by this to lie in [0, 1] [D].
    """

    damping: float = 0.7
    min_change: float = 0.01
    max_iterations: int = 3
    weight_scale: float = 10.0

    def __post_init__(self) -> None:
        unit("damping", self.damping)
        non_negative("min_change", self.min_change)
        integer("max_iterations", self.max_iterations)
        positive("weight_scale", self.weight_scale)


CONFIDENCE_DEFAULT = ConfidenceParams()


def _shape(alpha: float, beta: float) -> tuple[float, float]:
    a = positive("alpha", alpha)
    b = positive("beta", beta)
    if math.isinf(a) or math.isinf(b):
        raise InvalidInputError(f"alpha and beta must be finite; got ({alpha}, {beta})")
    return a, b


def expected(alpha: float, beta: float) -> float:
    """Confidence ``c = alpha/(alpha + beta)``, the mean of Beta(alpha, beta)."""
    a, b = _shape(alpha, beta)
    return a / (a + b)


def _betacf(a: float, b: float, x: float) -> float:
    # Modified Lentz evaluation of the continued fraction for I_x(a, b) (Numerical Recipes 6.4).
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def beta_cdf(x: float, alpha: float, beta: float) -> float:
    """Regularised incomplete beta function I_x(alpha, beta), the Beta CDF."""
    a, b = _shape(alpha, beta)
    x = finite("x", x)
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast only below the mean; use the symmetry above it.
    if x < (a + 1.0) / (a + b + 2.0):
        return clamp(front * _betacf(a, b, x) / a)
    return clamp(1.0 - front * _betacf(b, a, 1.0 - x) / b)


def beta_ppf(q: float, alpha: float, beta: float) -> float:
    """Beta quantile: the x with I_x(alpha, beta) = q, by bisection (the CDF is monotone)."""
    a, b = _shape(alpha, beta)
    q = unit("q", q)
    if q == 0.0:
        return 0.0
    if q == 1.0:
        return 1.0
    lo, hi = 0.0, 1.0
    # Halve until the bracket has no float between its ends: full relative precision even for
    # quantiles near 0, where a steep CDF (alpha < 1) needs x to many significant digits.
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if beta_cdf(mid, a, b) < q:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def interval95(alpha: float, beta: float) -> tuple[float, float]:
    """The 95% credible interval: Beta quantiles at 0.025 and 0.975."""
    return beta_ppf(0.025, alpha, beta), beta_ppf(0.975, alpha, beta)


def prior_for(source: str, n_sources: int = 0) -> tuple[float, float]:
    """The Beta prior for a memory's source; a sleep abstraction gets (1 + n_sources, 1).

    Raises:
        InvalidInputError: for an unknown source or a negative `n_sources`.
    """
    if source not in PRIORS:
        raise InvalidInputError(
            f"unknown confidence source {source!r}; expected one of {sorted(PRIORS)}"
        )
    integer("n_sources", n_sources)
    a, b = PRIORS[source]
    return (a + n_sources, b) if source == "abstraction" else (a, b)


def observe(alpha: float, beta: float, *, success: bool) -> tuple[float, float]:
    """Evidence: a confirmation or success adds 1 to alpha, a contradiction or failure to beta."""
    a, b = _shape(alpha, beta)
    return (a + 1.0, b) if success else (a, b + 1.0)


def relation_factor(relation: str) -> float:
    """The propagation factor of a relation type; 0 for relations that do not propagate."""
    return RELATION_FACTORS.get(relation, 0.0)


def scale_weight(weight: float, *, params: ConfidenceParams = CONFIDENCE_DEFAULT) -> float:
    """A KG edge weight in [0, 10] scaled to [0, 1] as ``w/10``."""
    return clamp(finite("weight", weight) / params.weight_scale)


def propagate(
    *,
    c: float,
    c_src: float,
    factor: float,
    weight: float,
    params: ConfidenceParams = CONFIDENCE_DEFAULT,
) -> float:
    """One damped propagation step along an edge; returns the new confidence.

    Positive factor: ``c' = c + f*w*c_src*(1 - c)``; negative: ``c' = c*(1 - |f|*w*c_src)``; then
    ``c_new = 0.7*c' + 0.3*c``. A change below `min_change` is skipped (c is returned). `weight` is
    the scaled weight in [0, 1] (see `scale_weight`).
    """
    c0 = unit("c", c)
    src = unit("c_src", c_src)
    f = in_range("factor", factor, -1.0, 1.0)
    w = unit("weight", weight)
    # A supporting source pulls c towards 1, a contradicting one scales it towards 0.
    proposed = c0 + f * w * src * (1.0 - c0) if f >= 0.0 else c0 * (1.0 - abs(f) * w * src)
    damped = params.damping * proposed + (1.0 - params.damping) * c0
    return c0 if abs(damped - c0) < params.min_change else damped


def rescale(alpha: float, beta: float, c: float) -> tuple[float, float]:
    """Write a new confidence back keeping the evidence total: ``alpha = c*n``, ``beta = (1-c)*n``.

    c is kept a hair inside (0, 1) so that both shapes stay positive and the result is a valid Beta.
    """
    a, b = _shape(alpha, beta)
    cc = clamp(unit("c", c), 1e-9, 1.0 - 1e-9)
    n = a + b
    return cc * n, (1.0 - cc) * n
