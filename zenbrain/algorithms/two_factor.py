"""Two-factor synaptic model for knowledge-graph edges, plus Bjork's record-level strengths.

SPEC §4.1.1 [P; closed-form protected step P~] and §4.3.1 [D]. An edge carries a weight w and a
variance sigma^2; each co-activation moves w by ``LR_w*(1 - 0.5*lock)*tag*act`` and shrinks sigma^2,
so the edge matures and its importance ``I = 1/sigma^2`` grows (an Elastic-Weight-Consolidation
analogue). Homeostatic decay is ``w <- max(0.05, w*(1 - r/(1 + 0.1*I)))`` and a proposed change is
damped to ``delta/(1 + lambda*I)``. For records, storage strength grows by ``0.1 + 0.9*(1 - R)``
per successful review and gives "savings" on relearning: ``S_lapse*(1 + 0.5*ln(1 + SS))``.
Persisting edges is the graph store's job, not this module's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from zenbrain.algorithms._validate import clamp, finite, integer, non_negative, positive, unit
from zenbrain.errors import InvalidInputError

__all__ = [
    "TWO_FACTOR_DEFAULT",
    "EdgeState",
    "TwoFactorParams",
    "apply_change",
    "co_activate",
    "homeostatic_decay",
    "importance",
    "lock",
    "protected_change",
    "savings_stability",
    "storage_strength_gain",
]


@dataclass(frozen=True)
class TwoFactorParams:
    """Constants of the two-factor model (SPEC §4.1.1 and §4.3.1).

    Attributes:
        init_weight, init_variance: a new edge starts at w = 1.0, sigma^2 = 1.0 [P].
        w_min, w_max: weight limits [0.05, 10] [P].
        var_min: variance floor 0.01 [P].
        lr_w, lr_var: learning rates LR_w = 0.1 and LR_sigma = 0.15 [P].
        lambda_ewc: strength of the EWC penalty, 0.5 [P].
        decay_rate: homeostatic (SHY) decay r = 0.05 [P].
        decay_importance_scale: importance damping of decay, 1 + 0.1*I [P].
        ss_base, ss_gain: storage-strength gain 0.1 + 0.9*(1 - R) [D].
        savings_gain: savings factor 1 + 0.5*ln(1 + SS) [D].
    """

    init_weight: float = 1.0
    init_variance: float = 1.0
    w_min: float = 0.05
    w_max: float = 10.0
    var_min: float = 0.01
    lr_w: float = 0.1
    lr_var: float = 0.15
    lambda_ewc: float = 0.5
    decay_rate: float = 0.05
    decay_importance_scale: float = 0.1
    ss_base: float = 0.1
    ss_gain: float = 0.9
    savings_gain: float = 0.5

    def __post_init__(self) -> None:
        positive("w_min", self.w_min)
        if not self.w_min <= finite("w_max", self.w_max):
            raise InvalidInputError(f"w_max is {self.w_max}; it must be >= w_min ({self.w_min})")
        positive("var_min", self.var_min)
        positive("init_variance", self.init_variance)
        if not self.w_min <= finite("init_weight", self.init_weight) <= self.w_max:
            raise InvalidInputError(
                f"init_weight is {self.init_weight}; it must lie in [{self.w_min}, {self.w_max}]"
            )
        non_negative("lr_w", self.lr_w)
        unit("lr_var", self.lr_var)
        non_negative("lambda_ewc", self.lambda_ewc)
        unit("decay_rate", self.decay_rate)
        non_negative("decay_importance_scale", self.decay_importance_scale)
        non_negative("ss_base", self.ss_base)
        non_negative("ss_gain", self.ss_gain)
        non_negative("savings_gain", self.savings_gain)


TWO_FACTOR_DEFAULT = TwoFactorParams()


@dataclass(frozen=True)
class EdgeState:
    """The learning state of one knowledge-graph edge.

    Attributes:
        weight: synaptic weight w.
        variance: sigma^2; low variance means a mature edge.
        activation_count: n, the number of co-activations so far.
    """

    weight: float = 1.0
    variance: float = 1.0
    activation_count: int = 0

    def __post_init__(self) -> None:
        finite("weight", self.weight)
        positive("variance", self.variance)
        integer("activation_count", self.activation_count)


def importance(variance: float) -> float:
    """EWC importance ``I = 1/sigma^2``."""
    return 1.0 / positive("variance", variance)


def lock(variance: float) -> float:
    """Edge lock ``1 - clamp(sigma^2, 0, 1)`` (SPEC §4.1.1 step 1 and §4.2.5)."""
    return 1.0 - clamp(finite("variance", variance))


def co_activate(
    state: EdgeState,
    *,
    tag: float = 1.0,
    act: float = 1.0,
    params: TwoFactorParams = TWO_FACTOR_DEFAULT,
) -> EdgeState:
    """One Hebbian co-activation: strengthen w, count it, and shrink sigma^2.

    ``w <- clamp(w + LR_w*(1 - 0.5*lock)*tag*act)``, ``n <- n + 1``,
    ``sigma^2 <- max(0.01, sigma^2*(1 - LR_sigma/(1 + 0.1*n)))``.
    """
    t = non_negative("tag", tag)
    a = non_negative("act", act)
    lk = lock(state.variance)
    w = clamp(state.weight + params.lr_w * (1.0 - 0.5 * lk) * t * a, params.w_min, params.w_max)
    n = state.activation_count + 1
    # The shrink step itself shrinks with n, so maturation slows rather than collapsing at once.
    var = max(params.var_min, state.variance * (1.0 - params.lr_var / (1.0 + 0.1 * n)))
    return EdgeState(weight=w, variance=var, activation_count=n)


def homeostatic_decay(
    state: EdgeState, *, params: TwoFactorParams = TWO_FACTOR_DEFAULT
) -> EdgeState:
    """SHY downscaling ``w <- max(0.05, w*(1 - r/(1 + 0.1*I)))``; mature edges decay less."""
    i = importance(state.variance)
    w = max(
        params.w_min,
        state.weight * (1.0 - params.decay_rate / (1.0 + params.decay_importance_scale * i)),
    )
    return replace(state, weight=w)


def protected_change(
    *, delta: float, importance: float, params: TwoFactorParams = TWO_FACTOR_DEFAULT
) -> float:
    """The applied change ``delta/(1 + lambda*I)``.

    It minimises ``0.5*(d' - delta)^2 + (lambda/2)*I*d'^2``: the paper gives the penalty [P], the
    closed-form step is ours [P~].
    """
    d = finite("delta", delta)
    i = non_negative("importance", importance)
    return d / (1.0 + params.lambda_ewc * i)


def apply_change(
    state: EdgeState, *, delta: float, params: TwoFactorParams = TWO_FACTOR_DEFAULT
) -> EdgeState:
    """Apply a reconsolidation-proposed weight change through `protected_change`, within limits."""
    d = protected_change(delta=delta, importance=importance(state.variance), params=params)
    return replace(state, weight=clamp(state.weight + d, params.w_min, params.w_max))


def storage_strength_gain(
    *, retrievability: float, params: TwoFactorParams = TWO_FACTOR_DEFAULT
) -> float:
    """Bjork storage-strength gain per successful review: ``0.1 + 0.9*(1 - R)``."""
    r = unit("retrievability", retrievability)
    return params.ss_base + params.ss_gain * (1.0 - r)


def savings_stability(
    *, lapse_stability: float, storage_strength: float, params: TwoFactorParams = TWO_FACTOR_DEFAULT
) -> float:
    """Relearning "savings": ``S_new = S_lapse*(1 + 0.5*ln(1 + SS))``."""
    s = positive("lapse_stability", lapse_stability)
    ss = non_negative("storage_strength", storage_strength)
    return s * (1.0 + params.savings_gain * math.log1p(ss))
