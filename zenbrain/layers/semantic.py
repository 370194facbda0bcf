"""Semantic memory: FSRS-decaying knowledge; see `POLICIES` in `zenbrain.layers.base` and SPEC §3.

Durable first-person facts (`zenbrain.extract.facts`: home, job, family, pets, diet, allergies,
standing preferences and habits) enter semantic with `DURABLE_FACT_STABILITY` instead of the FSRS
"good" S₀ of 3.7 d [D, issue 13]: they are true until the user says otherwise, so two months
later R is still ≈ 0.98 rather than ≈ 0.45. A newer value of a functional slot supersedes them
through the knowledge graph (the old memory is marked stale), not through decay.
"""

from zenbrain.layers.base import POLICIES
from zenbrain.models import Layer

__all__ = ["DURABLE_FACT_STABILITY", "POLICY", "durable_stability"]

POLICY = POLICIES[Layer.SEMANTIC]

DURABLE_FACT_STABILITY = 365.0  # days: R(60 d) ≈ 0.98, R(1 y) ≈ 0.90 under FSRS-4.5


def durable_stability(gain: float = 1.0) -> float:
    """S₀ in days for a durable first-person fact entering semantic (scaled by the encoding gain)."""
    return DURABLE_FACT_STABILITY * gain
