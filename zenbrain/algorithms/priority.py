"""PriorityMap composite with the amygdala fast-path (SPEC §4.2.4) [P; D inputs].

Defines `PriorityParams`, the four-input `PriorityVector` (saliency, emotion, reward, goal, each in
[0, 1]) and `composite`: ``0.2*sal + 0.25*emo + 0.25*rew + 0.3*goal`` with the weights shifted by
the neuromodulator levels and renormalised to sum 1, then floored to 0.5 when emotion > 0.6 (the
amygdala fast-path). Small helpers build the emotion and saliency inputs. Computing novelty,
urgency or goal similarity is left to the callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from zenbrain.algorithms._validate import clamp, finite, non_negative, unit
from zenbrain.algorithms.neuromodulators import NeuroLevels
from zenbrain.errors import InvalidInputError

__all__ = [
    "PRIORITY_DEFAULT",
    "PriorityParams",
    "PriorityVector",
    "composite",
    "emotion_input",
    "modulated_weights",
    "saliency_input",
]


@dataclass(frozen=True)
class PriorityParams:
    """Weights and thresholds of the PriorityMap (SPEC §4.2.4).

    Attributes:
        w_saliency, w_emotion, w_reward, w_goal: base weights 0.2/0.25/0.25/0.3 [P].
        amygdala_threshold: emotion above this triggers the fast-path [P: 0.6].
        amygdala_floor: the composite the fast-path guarantees [P: 0.5].
    """

    w_saliency: float = 0.2
    w_emotion: float = 0.25
    w_reward: float = 0.25
    w_goal: float = 0.3
    amygdala_threshold: float = 0.6
    amygdala_floor: float = 0.5

    def __post_init__(self) -> None:
        total = 0.0
        for name in ("w_saliency", "w_emotion", "w_reward", "w_goal"):
            total += non_negative(name, getattr(self, name))
        if total <= 0.0:
            raise InvalidInputError("PriorityParams weights sum to 0; at least one must be > 0")
        unit("amygdala_threshold", self.amygdala_threshold)
        unit("amygdala_floor", self.amygdala_floor)


PRIORITY_DEFAULT = PriorityParams()


@dataclass(frozen=True)
class PriorityVector:
    """The four priority inputs, each in [0, 1]; the defaults are SPEC's fallbacks [D]."""

    saliency: float = 0.0
    emotion: float = 0.0
    reward: float = 0.3
    goal: float = 0.5

    def __post_init__(self) -> None:
        for name in ("saliency", "emotion", "reward", "goal"):
            unit(name, getattr(self, name))


def emotion_input(*, valence: float, arousal: float | None = None) -> float:
    """Emotion input: ``|valence|``, or ``|valence|*arousal`` when arousal is known."""
    v = clamp(abs(finite("valence", valence)))
    return v if arousal is None else v * clamp(finite("arousal", arousal))


def saliency_input(*, novelty: float, urgency: float) -> float:
    """Saliency input: ``max(novelty, urgency)``, in [0, 1]."""
    return clamp(max(finite("novelty", novelty), finite("urgency", urgency)))


def modulated_weights(
    neuro: NeuroLevels | None = None, *, params: PriorityParams = PRIORITY_DEFAULT
) -> tuple[float, float, float, float]:
    """The (saliency, emotion, reward, goal) weights shifted by DA/NE/5HT/ACh, summing to 1."""
    n = neuro if neuro is not None else NeuroLevels()
    raw = (
        params.w_saliency * (1.0 + 0.3 * (n.da - 0.5) + 0.2 * (n.ach - 0.5)),
        params.w_emotion * (1.0 + 0.3 * (n.ne - 0.5)),
        params.w_reward * (1.0 + 0.2 * (n.ach - 0.5)),
        params.w_goal * (1.0 + 0.3 * (n.ht - 0.5)),
    )
    total = sum(raw)
    return (raw[0] / total, raw[1] / total, raw[2] / total, raw[3] / total)


def composite(
    vec: PriorityVector,
    *,
    neuro: NeuroLevels | None = None,
    params: PriorityParams = PRIORITY_DEFAULT,
) -> tuple[float, bool]:
    """The composite priority and whether the amygdala fast-path fired.

    Returns:
        (value in [0, 1], amygdala). `amygdala` is True when emotion > 0.6; the value is then
        at least 0.5, whether or not the weighted sum already exceeded that floor.
    """
    ws, we, wr, wg = modulated_weights(neuro, params=params)
    value = clamp(ws * vec.saliency + we * vec.emotion + wr * vec.reward + wg * vec.goal)
    amygdala = vec.emotion > params.amygdala_threshold
    if amygdala:
        value = max(value, params.amygdala_floor)
    return value, amygdala
