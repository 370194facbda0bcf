"""Context-adaptive Information-Bottleneck retention and token budget (SPEC §4.1.7) [P; P~ cost].

Defines `IBParams`, the context weights `BETA_CTX` (work 0.8, learning 0.6, personal 0.4,
creative 0.3 [P]; default 0.5 [D]) and pure functions: ``cost = 0.4*min(1, chars/5000) +
0.3*min(1, entities/20) + 0.3*novelty`` (novelty stands in for the paper's undefined "embedding
variance" [P~]), ``gain = 0.4*min(1, recalls/10) + 0.3*c + 0.3*max(0, 1 - days/90)``, the rule
"keep when beta_ctx*gain > cost" and the recall token budget ``1500*(0.5 + beta_ctx)`` [D].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from zenbrain.algorithms._validate import clamp, finite, non_negative, positive, unit

__all__ = [
    "BETA_CTX",
    "DEFAULT_BETA",
    "IB_DEFAULT",
    "IBParams",
    "beta_for",
    "cost",
    "gain",
    "should_retain",
    "token_budget",
]

BETA_CTX: Mapping[str, float] = MappingProxyType(
    {"work": 0.8, "learning": 0.6, "personal": 0.4, "creative": 0.3}
)
DEFAULT_BETA = 0.5


@dataclass(frozen=True)
class IBParams:
    """Scales of the IB cost and gain (SPEC §4.1.7).

    Attributes:
        chars_scale: characters at which the length term saturates [P: 5000].
        entities_scale: entities at which the entity term saturates [P: 20].
        recalls_scale: recalls at which the use term saturates [P: 10].
        recency_days: days over which the recency term falls to 0 [P: 90].
        base_tokens: token budget at beta_ctx = 0.5 is base_tokens [D: 1500].
    """

    chars_scale: float = 5000.0
    entities_scale: float = 20.0
    recalls_scale: float = 10.0
    recency_days: float = 90.0
    base_tokens: int = 1500

    def __post_init__(self) -> None:
        for name in (
            "chars_scale",
            "entities_scale",
            "recalls_scale",
            "recency_days",
            "base_tokens",
        ):
            positive(name, getattr(self, name))


IB_DEFAULT = IBParams()


def beta_for(kind: str | None) -> float:
    """beta_ctx for a context kind; unknown or missing kinds get the default 0.5."""
    return BETA_CTX.get(kind, DEFAULT_BETA) if kind is not None else DEFAULT_BETA


def cost(*, chars: float, entities: float, novelty: float, params: IBParams = IB_DEFAULT) -> float:
    """Storage cost of keeping an episode's raw text, in [0, 1]."""
    return (
        0.4 * min(1.0, non_negative("chars", chars) / params.chars_scale)
        + 0.3 * min(1.0, non_negative("entities", entities) / params.entities_scale)
        + 0.3 * clamp(finite("novelty", novelty))
    )


def gain(
    *,
    recall_count: float,
    confidence: float,
    days_since_last_access: float,
    params: IBParams = IB_DEFAULT,
) -> float:
    """Expected value of keeping an episode's raw text, in [0, 1]."""
    days = max(0.0, finite("days_since_last_access", days_since_last_access))
    return (
        0.4 * min(1.0, non_negative("recall_count", recall_count) / params.recalls_scale)
        + 0.3 * unit("confidence", confidence)
        + 0.3 * max(0.0, 1.0 - days / params.recency_days)
    )


def should_retain(*, beta_ctx: float, gain: float, cost: float) -> bool:
    """Keep the raw text when ``beta_ctx*gain > cost``."""
    return unit("beta_ctx", beta_ctx) * finite("gain", gain) > finite("cost", cost)


def token_budget(beta_ctx: float, *, params: IBParams = IB_DEFAULT) -> int:
    """Recall token budget ``1500*(0.5 + beta_ctx)``, rounded to whole tokens."""
    return round(params.base_tokens * (0.5 + unit("beta_ctx", beta_ctx)))
