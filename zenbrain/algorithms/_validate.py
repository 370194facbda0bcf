"""Small shared validators for the algorithm modules; they raise `InvalidInputError`.

Private to `zenbrain.algorithms`: the parameter dataclasses call these from `__post_init__`, and
the public functions call them on their numeric inputs.
"""

from __future__ import annotations

import math

from zenbrain.errors import InvalidInputError

__all__ = ["clamp", "finite", "in_range", "integer", "non_negative", "positive", "unit"]


def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    """Return x limited to [lo, hi]."""
    return lo if x < lo else hi if x > hi else x


def finite(name: str, value: float) -> float:
    """Return `value` as a float, or raise when it is not a finite number."""
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be a number; got {value!r}") from exc
    if not math.isfinite(v):
        raise InvalidInputError(f"{name} must be finite; got {value!r}")
    return v


def in_range(name: str, value: float, lo: float, hi: float) -> float:
    """Return `value`, or raise when it lies outside [lo, hi]."""
    v = finite(name, value)
    if not lo <= v <= hi:
        raise InvalidInputError(f"{name} is {v}; it must lie in [{lo}, {hi}]")
    return v


def unit(name: str, value: float) -> float:
    """Return `value`, or raise when it lies outside [0, 1]."""
    return in_range(name, value, 0.0, 1.0)


def positive(name: str, value: float) -> float:
    """Return `value`, or raise when it is not > 0 (infinity is allowed: core never decays)."""
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be a number; got {value!r}") from exc
    if math.isnan(v) or v <= 0.0:
        raise InvalidInputError(f"{name} is {value!r}; it must be > 0")
    return v


def non_negative(name: str, value: float) -> float:
    """Return `value`, or raise when it is negative or not finite."""
    v = finite(name, value)
    if v < 0.0:
        raise InvalidInputError(f"{name} is {v}; it must be >= 0")
    return v


def integer(name: str, value: int, minimum: int = 0) -> int:
    """Return `value`, or raise when it is not an int (bools excluded) of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInputError(f"{name} is {value!r}; it must be an int >= {minimum}")
    return value
