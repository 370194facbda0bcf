"""StabilityProtector: lock score, rigidity and the update gate (SPEC §4.2.5, §4.2.2) [P].

A NogoA/HDAC3 analogue. Defines `StabilityParams` and pure functions for
``lock = 0.3*a + 0.3*c + 0.2*min(age_d/365, 1) + 0.2*core`` with
``a = log2(1 + min(n, 10))/log2(11)``, ``rigidity = 1 + 0.1*log2(1 + age_d)``, the update gate
``theta = 0.5 + 0.3*lock*rigidity`` (``0.05 + ...`` while labile) ``- 0.1*(NE - 0.5)`` and the
extra-protection rule (lock >= 0.5, pinned or core). Edge locks live in `two_factor.lock`.
Note: SPEC's core example gives theta = 1.056 from the rounded rigidity 1.852; the exact value
is 0.5 + 0.3*1.85157 = 1.0555 (still > 1, so the conclusion holds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zenbrain.algorithms._validate import clamp, finite, integer, non_negative, positive, unit

__all__ = [
    "STABILITY_DEFAULT",
    "StabilityParams",
    "is_protected",
    "lock_score",
    "rigidity",
    "update_threshold",
]


@dataclass(frozen=True)
class StabilityParams:
    """Constants of the StabilityProtector (SPEC §4.2.5 and §4.2.2).

    Attributes:
        w_recall, w_confidence, w_age, w_core: lock weights 0.3/0.3/0.2/0.2 [P].
        recall_cap: recalls beyond this add nothing [P: 10].
        age_cap_days: age at which the age term saturates [P: 365 d].
        rigidity_slope: rigidity = 1 + slope*log2(1 + age_d) [P: 0.1].
        theta_base: normal gate base [P: 0.5].
        theta_labile: gate base while labile, i.e. recalled within 6 h [D: 0.05].
        theta_scale: gate slope on lock*rigidity [P: 0.3].
        ne_scale: NE lowers the gate by ne_scale*(NE - 0.5) [D: 0.1].
        protect_lock: lock at or above which a memory is protected [D: 0.5].
    """

    w_recall: float = 0.3
    w_confidence: float = 0.3
    w_age: float = 0.2
    w_core: float = 0.2
    recall_cap: int = 10
    age_cap_days: float = 365.0
    rigidity_slope: float = 0.1
    theta_base: float = 0.5
    theta_labile: float = 0.05
    theta_scale: float = 0.3
    ne_scale: float = 0.1
    protect_lock: float = 0.5

    def __post_init__(self) -> None:
        for name in (
            "w_recall",
            "w_confidence",
            "w_age",
            "w_core",
            "rigidity_slope",
            "theta_base",
            "theta_labile",
            "theta_scale",
            "ne_scale",
        ):
            non_negative(name, getattr(self, name))
        integer("recall_cap", self.recall_cap, 1)
        positive("age_cap_days", self.age_cap_days)
        unit("protect_lock", self.protect_lock)


STABILITY_DEFAULT = StabilityParams()


def lock_score(
    *,
    recall_count: int,
    confidence: float,
    age_days: float,
    is_core: bool = False,
    params: StabilityParams = STABILITY_DEFAULT,
) -> float:
    """Lock in [0, 1]: ``0.3*a + 0.3*c + 0.2*min(age_d/365, 1) + 0.2*core``."""
    n = non_negative("recall_count", recall_count)
    c = unit("confidence", confidence)
    age = max(0.0, finite("age_days", age_days))
    # log2 makes the first recalls count most; the cap stops use alone from locking a memory.
    a = math.log2(1.0 + min(n, params.recall_cap)) / math.log2(1.0 + params.recall_cap)
    return clamp(
        params.w_recall * a
        + params.w_confidence * c
        + params.w_age * min(age / params.age_cap_days, 1.0)
        + params.w_core * (1.0 if is_core else 0.0)
    )


def rigidity(*, age_days: float, params: StabilityParams = STABILITY_DEFAULT) -> float:
    """Rigidity ``1 + 0.1*log2(1 + age_d)``; older memories resist change more."""
    age = max(0.0, finite("age_days", age_days))
    return 1.0 + params.rigidity_slope * math.log2(1.0 + age)


def update_threshold(
    *,
    lock: float,
    rigidity: float,
    labile: bool = False,
    ne: float = 0.5,
    params: StabilityParams = STABILITY_DEFAULT,
) -> float:
    """Reconsolidation gate: an update needs PE >= theta.

    ``theta = base + 0.3*lock*rigidity - 0.1*(NE - 0.5)``, base 0.5 normally and 0.05 while labile.
    A theta above 1 can never be passed.
    """
    lk = unit("lock", lock)
    rg = non_negative("rigidity", rigidity)
    n = unit("ne", ne)
    base = params.theta_labile if labile else params.theta_base
    return base + params.theta_scale * lk * rg - params.ne_scale * (n - 0.5)


def is_protected(
    *,
    lock: float,
    pinned: bool = False,
    is_core: bool = False,
    params: StabilityParams = STABILITY_DEFAULT,
) -> bool:
    """True when a memory must not be archived, merged or changed by PE (SPEC §4.2.5) [D]."""
    return is_core or pinned or unit("lock", lock) >= params.protect_lock
