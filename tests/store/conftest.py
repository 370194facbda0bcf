"""Real servers for the backend tests, started once per session on loopback ports."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from benchmarks.servers import chroma_server as start_chroma
from benchmarks.servers import find_chroma_bin, find_postgres_bin, postgres_server

_names = itertools.count()


@pytest.fixture(scope="session")
def chroma_server():
    if find_chroma_bin() is None:
        pytest.skip("the `chroma` server binary is not installed (it ships with chromadb)")
    with start_chroma() as url:
        yield url


@pytest.fixture(scope="session")
def pg_server():
    if find_postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (initdb not found); apt-get install postgresql")
    with postgres_server() as server:
        yield server


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the test server."""
    return pg_server.new_database(f"conf_{next(_names)}")


@contextmanager
def chroma_client(url: str) -> Iterator[Any]:
    """An HttpClient to the test server, with its sockets closed afterwards."""
    import chromadb
    from chromadb.config import Settings

    from zenbrain.store.chroma import _http_sessions

    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port),
                                 settings=Settings(anonymized_telemetry=False))
    try:
        yield client
    finally:
        sessions = _http_sessions(client)
        client.close()
        for session in sessions:
            session.close()
