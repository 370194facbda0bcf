"""Helpers shared by tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

DAY0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    """SPEC §7: "day n" = 2026-01-01T09:00Z + n days."""
    return DAY0 + timedelta(days=n)


def hypothesis_examples(n: int) -> int:
    """A property's example budget under the active Hypothesis profile (tests/conftest.py).

    `ci` (the default, and `make test`) runs the budget the test names, derandomized; `deep`
    (`make test-deep`) runs ten times as many, at least 200, from fresh random seeds;
    ZENBRAIN_HYPOTHESIS_EXAMPLES overrides the deep floor.
    """
    if os.environ.get("ZENBRAIN_HYPOTHESIS", "ci") != "deep":
        return n
    return max(10 * n, int(os.environ.get("ZENBRAIN_HYPOTHESIS_EXAMPLES", "200")))
