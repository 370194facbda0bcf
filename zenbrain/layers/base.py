"""`LayerPolicy`: what every layer declares (decay model, starting stability, search rules).

The per-layer rules that need more than constants (working-memory slots, short-term overflow,
core blocks, cross-context visibility) live in the layer's own module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from zenbrain.models import Layer

__all__ = ["POLICIES", "LayerPolicy", "policy_for"]

# FSRS-4.5 w[2]: the first-review stability for grade Good (SPEC §4.1.2).
FSRS_GOOD_S0 = 3.7145


@dataclass(frozen=True)
class LayerPolicy:
    """Constants of one layer (SPEC §3 table).

    `initial_stability(emotion, gain)` gives S₀ in days; `searchable` says whether the vector and
    keyword routes look at this layer (working memory is served from its slots instead).
    """

    layer: Layer
    decay_model: Literal["exp", "fsrs", "none"]
    initial_stability: Callable[[float, float], float]
    searchable: bool = True
    description: str = ""


def _episodic_s0(emotion: float, gain: float) -> float:
    # Ebbinghaus emotional multiplier 1 + 2·emotion, capped at ×3 (SPEC §4.3.2 [P]).
    return 14.0 * min(1.0 + 2.0 * emotion, 3.0) * gain


CORE_STABILITY = 36_500.0  # core never decays (R ≡ 1); a finite stand-in keeps JSON/SQL simple

POLICIES: dict[Layer, LayerPolicy] = {
    Layer.WORKING: LayerPolicy(
        Layer.WORKING, "none", lambda e, g: 1.0, searchable=False,
        description="current goals and constraints of one session; 7 slots",
    ),
    Layer.SHORT_TERM: LayerPolicy(
        Layer.SHORT_TERM, "exp", lambda e, g: 4.0 / 24.0,  # fast copy τ = 4 h [P]
        description="verbatim turns of a session; 20 turns, 24 h TTL",
    ),
    Layer.EPISODIC: LayerPolicy(
        Layer.EPISODIC, "exp", _episodic_s0,
        description="concrete experiences with time and context",
    ),
    Layer.SEMANTIC: LayerPolicy(
        Layer.SEMANTIC, "fsrs", lambda e, g: FSRS_GOOD_S0 * g,
        description="facts, preferences and generalisations with provenance",
    ),
    Layer.PROCEDURAL: LayerPolicy(
        Layer.PROCEDURAL, "fsrs", lambda e, g: 7.0 * g,
        description="how-to knowledge: trigger → steps → outcome",
    ),
    Layer.CORE: LayerPolicy(
        Layer.CORE, "none", lambda e, g: CORE_STABILITY,
        description="pinned profile, persona and rules; always true",
    ),
    Layer.CROSS_CONTEXT: LayerPolicy(
        Layer.CROSS_CONTEXT, "fsrs", lambda e, g: FSRS_GOOD_S0 * g,
        description="knowledge shared on purpose across namespaces or users",
    ),
}


def policy_for(layer: Layer | str) -> LayerPolicy:
    return POLICIES[Layer(layer)]
