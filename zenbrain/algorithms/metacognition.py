"""Metacognitive monitor metrics: bias, concentration, calibration, urgency, MMR (SPEC §4.2.6).

[P bias families; D recall-specific metrics.] Defines `MetacogParams` (flag thresholds) and pure
functions: the Herfindahl index ``sum p_i^2``, recency bias (share of results under 7 days old
minus that share among active memories), confirmation bias ``max(0, acc_support - acc_contra)``,
expected calibration error over 10 equal-width bins, the Brier score, urgency
``min(1, 0.3*#keywords + 0.2*[len < 50])`` (each distinct keyword counts once) and maximal
marginal relevance re-ranking (lambda = 0.7). Reading `recall_log` and `feedback` is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from zenbrain.algorithms._validate import finite, integer, non_negative, unit
from zenbrain.errors import InvalidInputError

__all__ = [
    "METACOG_DEFAULT",
    "URGENCY_KEYWORDS",
    "MetacogParams",
    "brier",
    "confirmation_bias",
    "expected_calibration_error",
    "hhi",
    "mmr",
    "recency_bias",
    "urgency",
]

URGENCY_KEYWORDS: tuple[str, ...] = (
    "urgent",
    "asap",
    "deadline",
    "today",
    "immediately",
    "right away",
)
_URGENCY_RES = tuple(re.compile(rf"\b{re.escape(k)}\b") for k in URGENCY_KEYWORDS)


@dataclass(frozen=True)
class MetacogParams:
    """Flag thresholds and windows of the monitor (SPEC §4.2.6).

    Attributes:
        recency_flag: recency bias above this flags [D: 0.3].
        confirmation_flag: confirmation bias above this flags [P: 0.15].
        one_sided_flag: one-sided evidence rate above this flags [D: 0.5].
        source_hhi_flag, layer_hhi_flag: concentration flags [D: 0.5, 0.8].
        min_sources: sources needed among candidates before source HHI counts [D: 3].
        ece_flag: ECE above this flags [D: 0.15].
        recent_days: "recent" means younger than this [D: 7 d].
        mmr_lambda: relevance weight of MMR [D: 0.7].
        window_recalls, window_feedback: rolling windows [D: 200, 500].
    """

    recency_flag: float = 0.3
    confirmation_flag: float = 0.15
    one_sided_flag: float = 0.5
    source_hhi_flag: float = 0.5
    layer_hhi_flag: float = 0.8
    min_sources: int = 3
    ece_flag: float = 0.15
    recent_days: float = 7.0
    mmr_lambda: float = 0.7
    window_recalls: int = 200
    window_feedback: int = 500

    def __post_init__(self) -> None:
        for name in (
            "recency_flag",
            "confirmation_flag",
            "one_sided_flag",
            "source_hhi_flag",
            "layer_hhi_flag",
            "ece_flag",
            "mmr_lambda",
        ):
            unit(name, getattr(self, name))
        non_negative("recent_days", self.recent_days)
        for name in ("min_sources", "window_recalls", "window_feedback"):
            integer(name, getattr(self, name), 1)


METACOG_DEFAULT = MetacogParams()


def hhi(counts: Iterable[float] | Mapping[str, float]) -> float:
    """Herfindahl index of counts or shares (normalised first); 0 for no data."""
    values = list(counts.values()) if isinstance(counts, Mapping) else list(counts)
    xs = [non_negative("count", v) for v in values]
    total = sum(xs)
    if total <= 0.0:
        return 0.0
    return sum((x / total) ** 2 for x in xs)


def _recent_share(ages: Sequence[float], days: float) -> float:
    if not ages:
        return 0.0
    return sum(1 for a in ages if finite("age", a) < days) / len(ages)


def recency_bias(
    *,
    returned_ages_days: Sequence[float],
    active_ages_days: Sequence[float],
    params: MetacogParams = METACOG_DEFAULT,
) -> float:
    """Share of returned results under 7 days old minus the same share among active memories."""
    d = params.recent_days
    return _recent_share(returned_ages_days, d) - _recent_share(active_ages_days, d)


def confirmation_bias(*, accept_supporting: float, accept_contradicting: float) -> float:
    """``max(0, accept_rate(supporting) - accept_rate(contradicting))``."""
    return max(
        0.0,
        unit("accept_supporting", accept_supporting)
        - unit("accept_contradicting", accept_contradicting),
    )


def _pairs(preds: Sequence[float], outcomes: Sequence[float]) -> list[tuple[float, float]]:
    if len(preds) != len(outcomes):
        raise InvalidInputError(f"preds has {len(preds)} values but outcomes has {len(outcomes)}")
    return [(unit("pred", p), unit("outcome", o)) for p, o in zip(preds, outcomes, strict=True)]


def expected_calibration_error(
    preds: Sequence[float], outcomes: Sequence[float], bins: int = 10
) -> float:
    """ECE: ``sum_b (n_b/N)*|mean(pred_b) - mean(outcome_b)|`` over equal-width bins of [0, 1].

    Bin b holds predictions in [b/bins, (b+1)/bins); 1.0 goes in the last bin. 0 for no data.
    """
    integer("bins", bins, 1)
    pairs = _pairs(preds, outcomes)
    if not pairs:
        return 0.0
    sums: dict[int, list[float]] = {}
    for p, o in pairs:
        b = min(int(p * bins), bins - 1)
        acc = sums.setdefault(b, [0.0, 0.0, 0.0])
        acc[0] += p
        acc[1] += o
        acc[2] += 1.0
    n = len(pairs)
    return sum((c / n) * abs(sp / c - so / c) for sp, so, c in sums.values())


def brier(preds: Sequence[float], outcomes: Sequence[float]) -> float:
    """Brier score ``mean((pred - outcome)^2)``; 0 for no data."""
    pairs = _pairs(preds, outcomes)
    return sum((p - o) ** 2 for p, o in pairs) / len(pairs) if pairs else 0.0


def urgency(text: str) -> float:
    """``min(1, 0.3*#keywords + 0.2*[len(text) < 50])``; each distinct keyword counts once."""
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a str; got {type(text).__name__}")
    lowered = text.lower()
    hits = sum(1 for rx in _URGENCY_RES if rx.search(lowered))
    return min(1.0, 0.3 * hits + (0.2 if len(text) < 50 else 0.0))


def mmr(
    items: Sequence[str],
    *,
    relevance: Mapping[str, float],
    similarity: Callable[[str, str], float],
    lam: float = 0.7,
    k: int | None = None,
) -> list[str]:
    """Maximal marginal relevance order: pick ``argmax lam*rel - (1 - lam)*max_sim(selected)``.

    Ties keep the input order, so the result is deterministic.
    """
    lam_ = unit("lam", lam)
    limit = len(items) if k is None else max(0, min(k, len(items)))
    pool = list(dict.fromkeys(items))
    chosen: list[str] = []
    while pool and len(chosen) < limit:
        best, best_score = pool[0], float("-inf")
        for item in pool:
            redundancy = max((similarity(item, s) for s in chosen), default=0.0)
            score = lam_ * relevance.get(item, 0.0) - (1.0 - lam_) * redundancy
            if score > best_score:
                best, best_score = item, score
        chosen.append(best)
        pool.remove(best)
    return chosen
