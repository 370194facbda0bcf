"""Working memory: a bounded set of slots per (user, namespace, session) [P: 7±2].

A slot's relevance is `priority.composite × e^(−Δt / 30 min)`; when a session holds more items than
its capacity, the least relevant slots are evicted. Eviction frees the slot only: the memory itself
moves to episodic, so nothing the user said is lost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Slot", "choose_evictions", "relevance"]

DEFAULT_SESSION = "default"


@dataclass(frozen=True)
class Slot:
    memory_id: str
    composite: float
    updated_at: datetime


def relevance(*, composite: float, updated_at: datetime, now: datetime, tau_minutes: float = 30.0) -> float:
    minutes = max(0.0, (now - updated_at).total_seconds() / 60.0)
    return composite * math.exp(-minutes / tau_minutes)


def choose_evictions(
    slots: Sequence[Slot], *, capacity: int, now: datetime, tau_minutes: float = 30.0
) -> list[str]:
    """Memory ids to evict so that `capacity` slots remain; lowest relevance first.

    Ties go against the older slot, so a new goal never pushes out itself.
    """
    if len(slots) <= capacity:
        return []
    ranked = sorted(
        slots,
        key=lambda s: (
            relevance(composite=s.composite, updated_at=s.updated_at, now=now, tau_minutes=tau_minutes),
            s.updated_at,
            s.memory_id,
        ),
    )
    return [s.memory_id for s in ranked[: len(slots) - capacity]]
