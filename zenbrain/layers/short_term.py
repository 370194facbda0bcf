"""Short-term memory: verbatim turns of a session, 20 turns, 24 h after the last activity [P].

Turns beyond the capacity or past the TTL are archived with reason `short_term_expired` (never
deleted); their durable content lives on in the episodic layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

__all__ = ["EXPIRED_REASON", "overflow_ids", "session_expired"]

EXPIRED_REASON = "short_term_expired"


def overflow_ids(turn_ids_oldest_first: Sequence[str], *, capacity: int) -> list[str]:
    """The oldest turns beyond `capacity`."""
    excess = len(turn_ids_oldest_first) - capacity
    return list(turn_ids_oldest_first[:excess]) if excess > 0 else []


def session_expired(*, last_activity: datetime, now: datetime, ttl_hours: float) -> bool:
    return now - last_activity >= timedelta(hours=ttl_hours)
