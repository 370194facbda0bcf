"""One conformance suite (tests/store/conformance.py) on every backend combination:
embedded Chroma, and a real Chroma server (`chroma run` on loopback, started here).
SQLite is the system of record in both; PostgreSQL is not implemented yet."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from store import conformance

from zenbrain.store.chroma import _http_sessions

CHROMA = shutil.which("chroma") or str(__import__("pathlib").Path(__import__("sys").executable).with_name("chroma"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    if not shutil.which(CHROMA):
        pytest.skip("the `chroma` server binary is not installed")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([CHROMA, "run", "--path", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        proc.wait()
        pytest.fail("chroma server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(params=["embedded", "chroma-server"])
def backend(request, open_brain):
    if request.param == "embedded":
        def wipe(brain):
            shutil.rmtree(brain.home / "chroma")
        return open_brain, wipe
    url = request.getfixturevalue("chroma_server")

    def make(home):
        return open_brain(home, vectors=url)

    def wipe(brain):
        import chromadb
        from chromadb.config import Settings

        host, port = url.removeprefix("http://").split(":")
        client = chromadb.HttpClient(host=host, port=int(port),
                                     settings=Settings(anonymized_telemetry=False))
        try:
            for col in client.list_collections():
                client.delete_collection(col.name)
        finally:
            sessions = _http_sessions(client)
            client.close()
            for session in sessions:
                session.close()
    return make, wipe


@pytest.mark.parametrize("behaviour", conformance.BEHAVIOURS, ids=lambda f: f.__name__)
def test_conformance(backend, behaviour, tmp_path):
    make, _ = backend
    behaviour(make, tmp_path)


def test_index_rebuilt_after_loss(backend, tmp_path):
    make, wipe = backend
    conformance.index_rebuilt_after_loss(make, tmp_path, wipe)


def test_brains_sharing_a_server_stay_apart(chroma_server, open_brain, tmp_path):
    a = open_brain(tmp_path / "a", vectors=chroma_server)
    b = open_brain(tmp_path / "b", vectors=chroma_server)
    a.remember("Only in brain A: the blue door", user_id="u1")
    assert b.recall("blue door", user_id="u1") == []
