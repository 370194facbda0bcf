"""Neuromodulator engine: tonic and phasic DA, NE, 5HT and ACh levels (SPEC §4.2.1) [P; D formulas].

Defines `NeuroParams`, the levels `NeuroLevels`, the immutable `NeuroState` (tonic levels plus the
recent phasic bursts), the event table `EVENT_DELTAS` [P] and pure functions: `apply_event`
(``tonic <- 0.95*tonic + 0.05*clamp(tonic + delta)`` and a new burst), `effective_levels`
(``clamp(tonic + sum delta*2^(-(t - t0)/5 min))``, bursts older than 50 min dropped) and the
encoding gain ``g = 1 + 0.5*(ACh - 0.5) + 0.5*(NE - 0.5)``. Times are datetimes (naive ones are read
as UTC) or plain seconds; deciding which events to emit, and persisting the state, is the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from zenbrain.algorithms._validate import clamp, finite, non_negative, positive, unit
from zenbrain.errors import InvalidInputError

__all__ = [
    "CHANNELS",
    "EVENT_DELTAS",
    "NEURO_DEFAULT",
    "NeuroLevels",
    "NeuroParams",
    "NeuroState",
    "PhasicEvent",
    "apply_event",
    "effective_levels",
    "encoding_gain",
    "to_seconds",
]

CHANNELS: tuple[str, ...] = ("da", "ne", "ht", "ach")

# Event -> per-unit-magnitude deltas [P]; the DA<->5HT opposition coefficient is -0.3.
EVENT_DELTAS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "novelty": MappingProxyType({"da": 1.0, "ht": -0.3}),
        "prediction_error": MappingProxyType({"ne": 1.0}),
        "stable_focus": MappingProxyType({"ht": 1.0, "da": -0.3}),
        "exploration": MappingProxyType({"ach": 1.0}),
        "routine": MappingProxyType({"da": -0.2, "ht": 0.2}),
        "confirmation": MappingProxyType({"ne": -0.1}),
        "rejection": MappingProxyType({"ne": 0.5, "da": -0.2}),
        "context_switch": MappingProxyType({"ht": -0.3, "ach": 0.3}),
    }
)


@dataclass(frozen=True)
class NeuroParams:
    """Constants of the neuromodulator dynamics (SPEC §4.2.1).

    Attributes:
        tonic_rate: weight of the new value in the tonic update [D: 0.05].
        half_life_s: half-life of a phasic burst [D: 5 min].
        horizon_s: bursts older than this are dropped [D: 50 min, ten half-lives].
        gain_ach, gain_ne: slopes of the encoding gain [D: 0.5 each].
    """

    tonic_rate: float = 0.05
    half_life_s: float = 300.0
    horizon_s: float = 3000.0
    gain_ach: float = 0.5
    gain_ne: float = 0.5

    def __post_init__(self) -> None:
        unit("tonic_rate", self.tonic_rate)
        positive("half_life_s", self.half_life_s)
        non_negative("horizon_s", self.horizon_s)
        non_negative("gain_ach", self.gain_ach)
        non_negative("gain_ne", self.gain_ne)


NEURO_DEFAULT = NeuroParams()


@dataclass(frozen=True)
class NeuroLevels:
    """Levels of the four channels, each in [0, 1]; 0.5 is the neutral baseline."""

    da: float = 0.5
    ne: float = 0.5
    ht: float = 0.5
    ach: float = 0.5

    def __post_init__(self) -> None:
        for name in CHANNELS:
            unit(name, getattr(self, name))


@dataclass(frozen=True)
class PhasicEvent:
    """One phasic burst: per-channel deltas added at `t0` (seconds since the epoch)."""

    t0: float
    da: float = 0.0
    ne: float = 0.0
    ht: float = 0.0
    ach: float = 0.0

    def __post_init__(self) -> None:
        for name in ("t0", *CHANNELS):
            finite(name, getattr(self, name))


@dataclass(frozen=True)
class NeuroState:
    """Tonic levels plus the phasic bursts of the last `horizon_s` seconds, oldest first."""

    tonic: NeuroLevels = field(default_factory=NeuroLevels)
    phasic: tuple[PhasicEvent, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "phasic", tuple(self.phasic))


def to_seconds(at: datetime | float) -> float:
    """Seconds since the epoch for a datetime (naive = UTC) or a number of seconds."""
    if isinstance(at, datetime):
        aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        return aware.timestamp()
    if isinstance(at, bool):
        raise InvalidInputError(f"at must be a datetime or seconds; got {at!r}")
    return finite("at", at)


def apply_event(
    state: NeuroState,
    *,
    event: str,
    magnitude: float,
    at: datetime | float,
    params: NeuroParams = NEURO_DEFAULT,
) -> NeuroState:
    """Return the state after one event of the given magnitude at time `at`.

    Raises:
        InvalidInputError: for an unknown event or a negative magnitude.
    """
    if event not in EVENT_DELTAS:
        raise InvalidInputError(
            f"unknown neuromodulator event {event!r}; expected one of {sorted(EVENT_DELTAS)}"
        )
    m = non_negative("magnitude", magnitude)
    t = to_seconds(at)
    deltas = {ch: EVENT_DELTAS[event].get(ch, 0.0) * m for ch in CHANNELS}
    r = params.tonic_rate
    tonic = NeuroLevels(
        **{
            ch: (1.0 - r) * getattr(state.tonic, ch)
            + r * clamp(getattr(state.tonic, ch) + deltas[ch])
            for ch in CHANNELS
        }
    )
    kept = tuple(e for e in state.phasic if t - e.t0 <= params.horizon_s)
    return NeuroState(tonic=tonic, phasic=(*kept, PhasicEvent(t0=t, **deltas)))


def effective_levels(
    state: NeuroState, *, at: datetime | float, params: NeuroParams = NEURO_DEFAULT
) -> NeuroLevels:
    """Tonic plus the decayed phasic bursts at time `at`, clamped to [0, 1].

    Bursts after `at` (an as-of query into the past) and bursts older than the horizon are ignored.
    """
    t = to_seconds(at)
    totals = {ch: getattr(state.tonic, ch) for ch in CHANNELS}
    for e in state.phasic:
        age = t - e.t0
        if age < 0.0 or age > params.horizon_s:
            continue
        k = 2.0 ** (-age / params.half_life_s)
        for ch in CHANNELS:
            totals[ch] += getattr(e, ch) * k
    return NeuroLevels(**{ch: clamp(v) for ch, v in totals.items()})


def encoding_gain(levels: NeuroLevels, *, params: NeuroParams = NEURO_DEFAULT) -> float:
    """Encoding gain ``g = 1 + 0.5*(ACh - 0.5) + 0.5*(NE - 0.5)``, in [0.5, 1.5] by default."""
    return 1.0 + params.gain_ach * (levels.ach - 0.5) + params.gain_ne * (levels.ne - 0.5)
