"""Helpers shared by tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DAY0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    """SPEC §7: "day n" = 2026-01-01T09:00Z + n days."""
    return DAY0 + timedelta(days=n)
