"""Input checks at the API boundary. Every check runs before anything is written.

Messages name the value, the limit and the way out. All failures raise `InvalidInputError`
(a `ValueError`).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from zenbrain.clock import to_utc
from zenbrain.errors import InvalidInputError
from zenbrain.models import Kind, Layer

__all__ = [
    "check_at", "check_id", "check_k", "check_layer", "check_layers", "check_metadata",
    "check_text", "check_user_id",
]

_MAX_ID_CHARS = 256


def check_text(text: Any, *, max_chars: int, what: str = "text") -> str:
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} must be a string, got {type(text).__name__}")
    if not text.strip():
        raise InvalidInputError(f"{what} is empty; give the memory some content")
    if len(text) > max_chars:
        raise InvalidInputError(
            f"{what} is {len(text):,} characters; the limit is {max_chars:,} "
            "(BrainConfig.max_text_chars). Split it or raise the limit."
        )
    if "\x00" in text:
        raise InvalidInputError(f"{what} contains a NUL character")
    return text


def check_id(value: Any, *, what: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    if len(value) > _MAX_ID_CHARS:
        raise InvalidInputError(f"{what} is {len(value)} characters; the limit is {_MAX_ID_CHARS}")
    if any(ord(c) < 32 for c in value):
        raise InvalidInputError(f"{what} {value!r} contains control characters")
    return value


def check_user_id(value: Any) -> str:
    result = check_id(value, what="user_id")
    assert result is not None
    return result


def check_at(value: Any, *, what: str = "at") -> datetime | None:
    """`None`, a datetime or an ISO string; naive values mean UTC."""
    if value is None:
        return None
    try:
        return to_utc(value)
    except ValueError as exc:
        raise InvalidInputError(f"{what}: {exc}") from exc


def check_layer(value: Any) -> Layer | None:
    if value is None:
        return None
    try:
        return Layer(value)
    except ValueError:
        valid = ", ".join(layer.value for layer in Layer)
        raise InvalidInputError(f"unknown layer {value!r}; use one of: {valid}") from None


def check_layers(values: Any) -> set[Layer] | None:
    if values is None:
        return None
    if isinstance(values, str | Layer):
        values = [values]
    layers = {check_layer(v) for v in values}
    if not layers:
        raise InvalidInputError("layers is empty; pass None for all layers")
    return layers  # type: ignore[return-value]


def check_kind(value: Any) -> Kind | None:
    if value is None:
        return None
    try:
        return Kind(value)
    except ValueError:
        valid = ", ".join(k.value for k in Kind)
        raise InvalidInputError(f"unknown kind {value!r}; use one of: {valid}") from None


def check_metadata(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInputError(f"metadata must be a dict, got {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            raise InvalidInputError(f"metadata keys must be strings, got {key!r}")
        if key.startswith("zb_"):
            raise InvalidInputError(f"metadata key {key!r}: keys starting with 'zb_' are reserved")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"metadata is not JSON-serialisable: {exc}") from exc
    return dict(value)


def check_k(value: Any, *, max_k: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"k must be an integer, got {value!r}")
    if value <= 0:
        raise InvalidInputError(f"k is {value}; it must be at least 1")
    if value > max_k:
        raise InvalidInputError(f"k is {value:,}; the limit is {max_k:,} (BrainConfig.max_k)")
    return value


def check_unit(value: Any, *, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise InvalidInputError(f"{what} must be a number in [0, 1], got {value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise InvalidInputError(f"{what} is {value}; it must be in [0, 1]")
    return float(value)
