"""Short load runs: concurrent writers and readers lose and duplicate nothing, on the embedded
brain and on the server backends (throwaway PostgreSQL + Chroma server on loopback)."""

from __future__ import annotations

import pytest

from benchmarks.load import run_load
from benchmarks.servers import chroma_server, find_chroma_bin, find_postgres_bin, postgres_server
from zenbrain import Brain
from zenbrain.config import load_config

pytestmark = pytest.mark.slow


def test_concurrent_writers_and_readers_exactly_once(brain):
    result = run_load(brain, writers=4, readers=4, seconds=4)
    assert result.errors == []
    assert result.writes > 0 and result.reads > 0
    assert result.missing == 0 and result.duplicated == 0 and result.unindexed == 0
    assert brain.stats()["active"] == result.writes


@pytest.mark.own_servers
@pytest.mark.skipif(find_postgres_bin() is None,
                    reason="PostgreSQL is not installed (no initdb); apt-get install postgresql")
@pytest.mark.skipif(find_chroma_bin() is None,
                    reason="the `chroma` server binary is not installed (it ships with chromadb)")
def test_concurrent_writers_and_readers_exactly_once_on_servers(tmp_path, clock, minilm):
    # exact_scan_max=2: the users cross it mid-run, so their collections are built on the
    # Chroma server while the other threads write and read (the default keeps them in SQLite).
    config = load_config(tmp_path / "b", exact_scan_max=2)
    with postgres_server() as pg, chroma_server() as vectors_url, \
            Brain(tmp_path / "b", database=pg.url, vectors=vectors_url, clock=clock,
                  embedder=minilm, config=config) as brain:
        result = run_load(brain, writers=4, readers=4, seconds=4)
        assert result.errors == []
        assert result.writes > 0 and result.reads > 0
        assert result.missing == 0 and result.duplicated == 0 and result.unindexed == 0
        assert brain.stats()["active"] == result.writes
        assert not (tmp_path / "b" / "brain.db").exists()  # the records went to the server
        kept = {r["user_id"] for r in brain._store.rows("SELECT user_id FROM vector_users")}
        assert kept and kept == set(brain._store.users_over(2))
