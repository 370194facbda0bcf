"""Helpers shared by tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import itertools
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


_PEOPLE = ["my sister", "our neighbour", "my manager", "the kids", "my friend Ana", "Grandpa"]
_DOINGS = ["baked a lemon cake", "fixed the old bike", "booked a trip to Porto",
           "started learning the cello", "planted tomatoes on the balcony",
           "lost the car keys again", "ran a half marathon", "adopted a grey kitten",
           "painted the hallway blue", "found a great ramen place"]
NEWS_QUERIES = ["who went running?", "any news about pets?", "what did we cook?",
                "travel plans to Portugal", "music lessons", "gardening",
                "home repairs and decorating"]


def weekly_news(doings: int = len(_DOINGS)) -> list[str]:
    """Six people × the first `doings` activities: "Last week my sister baked a lemon cake.";
    a small user's memories, with an answer to each of `NEWS_QUERIES`."""
    return [f"Last week {who} {what}." for who, what in itertools.product(_PEOPLE, _DOINGS[:doings])]


def news_answers(brain, user: str) -> list[list[str]]:
    """The ids recall returns for each of `NEWS_QUERIES` (read-only, at day 9)."""
    return [[h.memory.id for h in brain.recall(q, user_id=user, at=day(9), read_only=True)]
            for q in NEWS_QUERIES]
