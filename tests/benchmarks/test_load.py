"""A short load run: concurrent writers and readers lose and duplicate nothing."""

from __future__ import annotations

import pytest

from benchmarks.load import run_load

pytestmark = pytest.mark.slow


def test_concurrent_writers_and_readers_exactly_once(brain):
    result = run_load(brain, writers=4, readers=4, seconds=4)
    assert result.errors == []
    assert result.writes > 0 and result.reads > 0
    assert result.missing == 0 and result.duplicated == 0
    assert brain.stats()["active"] == result.writes
