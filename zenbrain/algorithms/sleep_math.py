"""Simulation-Selection sleep replay arithmetic (SPEC §4.1.3) [P].

Defines `SleepParams` and pure functions: the replay prediction error (max of encoding PE, last
reconsolidation PE and novelty [D]), the counterfactual test (PE > 0.6 and reward < 0.3), the TAG
score ``0.34*|PE| + 0.30*Rw + 0.21*min(1, 0.2*#entities) + 0.15*|valence|*arousal`` and the replay
stability update: TAG > 0.5 strengthens ``S <- min(365, S*1.5)`` with an extra x1.2 when E > 0.5
[P], otherwise ``S <- 0.95*S``. The cap applies after both multipliers, and a stability already
above the cap is never lowered by a strengthening replay. Picking candidates, limits and the
20-hour spacing are the sleep cycle's job (the constants live here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zenbrain.algorithms._validate import clamp, finite, integer, non_negative, positive, unit

__all__ = [
    "SLEEP_DEFAULT",
    "SleepParams",
    "emotion_e",
    "is_counterfactual",
    "replay_pe",
    "replay_stability",
    "should_strengthen",
    "strengthen_cut",
    "tag_score",
]


@dataclass(frozen=True)
class SleepParams:
    """Constants of sleep replay (SPEC §4.1.3).

    Attributes:
        w_pe, w_reward, w_entities, w_emotion: TAG weights 0.34/0.30/0.21/0.15 [P].
        entity_scale: N = min(1, 0.2*#entities) [P].
        strengthen_above: TAG above this strengthens [P: 0.5].
        strengthen_quantile: a TAG above this quantile of the night's pool also strengthens
            [D: 0.4, i.e. the better-tagged 60%]. TAG's absolute scale depends on how PE, reward
            and entities are measured; with this implementation's extractors only 7-17% of a
            LoCoMo night clears 0.5 (pool median 0.31-0.35), which made replay a no-op for the
            memories sleep keeps (docs/BENCHMARKS.md, sleep section). 1.0 = the paper's rule.
        strengthen_factor: S multiplier of a strengthening replay [P: 1.5].
        emotion_bonus, emotion_bonus_above: extra x1.2 when E > 0.5 [P].
        cap_days: the largest stability replay reaches [P: 365 d].
        decay: a weak replay multiplies S by 1 - decay [P: 0.05].
        ss_bonus: storage strength added by a strengthening replay [D: 0.1].
        counterfactual_pe, counterfactual_reward: "surprising failure" limits [P: 0.6, 0.3].
        max_replays: replays per user per run [D: 1000; the paper's code uses 20]. Replay is
            arithmetic here, not an LLM call, and a smaller budget left most of what sleep keeps
            unreplayed on its first night (LoCoMo: 100 of 370-690 memories).
        min_gap_hours: a memory replays at most once per this many hours [D: 20].
    """

    w_pe: float = 0.34
    w_reward: float = 0.30
    w_entities: float = 0.21
    w_emotion: float = 0.15
    entity_scale: float = 0.2
    strengthen_above: float = 0.5
    strengthen_quantile: float = 0.4
    strengthen_factor: float = 1.5
    emotion_bonus: float = 1.2
    emotion_bonus_above: float = 0.5
    cap_days: float = 365.0
    decay: float = 0.05
    ss_bonus: float = 0.1
    counterfactual_pe: float = 0.6
    counterfactual_reward: float = 0.3
    max_replays: int = 1000
    min_gap_hours: float = 20.0

    def __post_init__(self) -> None:
        for name in (
            "w_pe",
            "w_reward",
            "w_entities",
            "w_emotion",
            "entity_scale",
            "strengthen_factor",
            "emotion_bonus",
            "ss_bonus",
            "min_gap_hours",
        ):
            non_negative(name, getattr(self, name))
        for name in (
            "strengthen_above",
            "emotion_bonus_above",
            "decay",
            "counterfactual_pe",
            "counterfactual_reward",
        ):
            unit(name, getattr(self, name))
        positive("cap_days", self.cap_days)
        integer("max_replays", self.max_replays)


SLEEP_DEFAULT = SleepParams()


def replay_pe(
    *, encoding_pe: float, reconsolidation_pe: float = 0.0, novelty: float = 0.0
) -> float:
    """Replay PE: the largest of the encoding PE, the last reconsolidation PE and novelty [D]."""
    return clamp(
        max(
            finite("encoding_pe", encoding_pe),
            finite("reconsolidation_pe", reconsolidation_pe),
            finite("novelty", novelty),
        )
    )


def emotion_e(*, valence: float, arousal: float) -> float:
    """Emotional weight ``E = |valence|*arousal``."""
    return clamp(abs(finite("valence", valence))) * clamp(finite("arousal", arousal))


def is_counterfactual(*, pe: float, reward: float, params: SleepParams = SLEEP_DEFAULT) -> bool:
    """A "surprising failure" for System-2 review: PE > 0.6 and reward < 0.3."""
    return (
        finite("pe", pe) > params.counterfactual_pe
        and finite("reward", reward) < params.counterfactual_reward
    )


def tag_score(
    *,
    pe: float,
    reward: float,
    n_entities: int,
    valence: float,
    arousal: float,
    params: SleepParams = SLEEP_DEFAULT,
) -> float:
    """TAG = ``0.34*|PE| + 0.30*Rw + 0.21*min(1, 0.2*#entities) + 0.15*|valence|*arousal``."""
    n = min(1.0, params.entity_scale * non_negative("n_entities", n_entities))
    return (
        params.w_pe * abs(finite("pe", pe))
        + params.w_reward * finite("reward", reward)
        + params.w_entities * n
        + params.w_emotion * emotion_e(valence=valence, arousal=arousal)
    )


def strengthen_cut(tags: Sequence[float], *, params: SleepParams = SLEEP_DEFAULT) -> float:
    """The TAG a replay must exceed to strengthen tonight: the lower of 0.5 [P] and the pool's
    `strengthen_quantile` (linear interpolation between order statistics) [D].

    With an empty pool, or `strengthen_quantile` = 1, it is the paper's 0.5.
    """
    values = sorted(finite("tag", t) for t in tags)
    if not values or params.strengthen_quantile >= 1.0:
        return params.strengthen_above
    pos = params.strengthen_quantile * (len(values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    q = values[lo] + (values[hi] - values[lo]) * (pos - lo)
    return min(params.strengthen_above, q)


def should_strengthen(
    tag: float, *, params: SleepParams = SLEEP_DEFAULT, cut: float | None = None
) -> bool:
    """True when a replay strengthens: TAG > `cut` (default the paper's 0.5)."""
    return finite("tag", tag) > (params.strengthen_above if cut is None else cut)


def replay_stability(
    *, stability: float, tag: float, emotion_e: float, params: SleepParams = SLEEP_DEFAULT,
    strengthen: bool | None = None,
) -> float:
    """Stability after a replay: strengthen (x1.5, x1.2 more if E > 0.5, cap 365) or x0.95.

    `strengthen` is the night's decision (`strengthen_cut` over the pool); None applies TAG > 0.5.
    """
    s = positive("stability", stability)
    e = finite("emotion_e", emotion_e)
    if strengthen is None:
        strengthen = should_strengthen(tag, params=params)
    if not strengthen:
        return s * (1.0 - params.decay)
    if s >= params.cap_days:
        return s
    grown = s * params.strengthen_factor
    if e > params.emotion_bonus_above:
        grown *= params.emotion_bonus
    return min(params.cap_days, grown)
