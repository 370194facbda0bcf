"""One conformance suite (tests/store/conformance.py) on every backend combination:
embedded (SQLite + Chroma under the home), vectors on a Chroma server (`chroma run`), and the team
setup (PostgreSQL system of record + Chroma server). The servers are real, started here on
loopback ports from the installed binaries; tests skip with the reason when a binary is missing.
"""

from __future__ import annotations

import shutil

import pytest
from store import conformance
from store.conftest import chroma_client

pytestmark = pytest.mark.own_servers


def wipe_chroma_server(url: str) -> None:
    with chroma_client(url) as client:
        for col in client.list_collections():
            client.delete_collection(col.name)


@pytest.fixture(params=["embedded", "chroma-server", "postgres+chroma-server"])
def backend(request, open_brain):
    if request.param == "embedded":
        def wipe(brain):
            shutil.rmtree(brain.home / "chroma")
        return open_brain, wipe
    url = request.getfixturevalue("chroma_server")
    database = request.getfixturevalue("pg_url") if request.param.startswith("postgres") else None

    def make(home, **kwargs):
        return open_brain(home, vectors=url, database=database, **kwargs)

    return make, lambda brain: wipe_chroma_server(url)


@pytest.mark.parametrize("behaviour", conformance.BEHAVIOURS, ids=lambda f: f.__name__)
def test_conformance(backend, behaviour, tmp_path):
    make, _ = backend
    behaviour(make, tmp_path)


def test_index_rebuilt_after_loss(backend, tmp_path):
    make, wipe = backend
    conformance.index_rebuilt_after_loss(make, tmp_path, wipe)


@pytest.mark.embedded_only("two homes are two brains")
def test_brains_sharing_a_server_stay_apart(chroma_server, open_brain, tmp_path):
    a = open_brain(tmp_path / "a", vectors=chroma_server)
    b = open_brain(tmp_path / "b", vectors=chroma_server)
    a.remember("Only in brain A: the blue door", user_id="u1")
    assert b.recall("blue door", user_id="u1") == []
