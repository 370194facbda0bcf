"""Time: the injectable `Clock` and the one place naive datetimes become UTC.

Nothing below `brain.py` reads the wall clock; it receives `now`/`at` as arguments. A naive
datetime means UTC (the documented rule), and ISO strings are accepted at the API edge.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SystemClock", "to_utc", "utc_iso", "parse_utc"]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to: for tests, notebooks and replays."""

    def __init__(self, start: datetime | str | None = None) -> None:
        self._now = to_utc(start) if start is not None else datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime | str) -> None:
        self._now = to_utc(when)

    def advance(self, **kwargs: float) -> datetime:
        """Move forward by `timedelta(**kwargs)` and return the new instant."""
        self._now = self._now + timedelta(**kwargs)
        return self._now


def to_utc(value: datetime | str) -> datetime:
    """Return an aware UTC datetime. Naive datetimes (and naive ISO strings) are read as UTC.

    Raises:
        ValueError: the value is not a datetime or an ISO-8601 string.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an ISO-8601 date/time") from exc
    if not isinstance(value, datetime):
        raise ValueError(f"expected a datetime or ISO string, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_iso(value: datetime) -> str:
    """Fixed-width ISO text (microseconds, +00:00) so that string order equals time order."""
    return to_utc(value).isoformat(timespec="microseconds")


def parse_utc(text: str | None) -> datetime | None:
    return None if text is None else to_utc(text)
