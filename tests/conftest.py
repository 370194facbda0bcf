"""Shared fixtures: a fixed clock, the real MiniLM embedder (loaded once), brains under tmp_path,
and a guard that makes any network connection attempt fail the test."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest
from helpers import DAY0

from zenbrain import FixedClock

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class NetworkAttempted(AssertionError):
    pass


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    """Every test runs with outbound network blocked: ZenBrain must never need it."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: object) -> None:
        # Loopback is allowed only for servers the tests start themselves (Chroma server).
        host = address[0] if isinstance(address, tuple) else None
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOOPBACK:
            raise NetworkAttempted(f"network access attempted: {address!r}")

    def guarded(self: socket.socket, address: object) -> object:
        check(self, address)
        return real_connect(self, address)

    def guarded_ex(self: socket.socket, address: object) -> object:
        check(self, address)
        return real_connect_ex(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


# --postgres: every test keeps its records in PostgreSQL (a throwaway server started here), the
# whole suite then being the backend conformance check; ZENBRAIN_TEST_POSTGRES=<admin URL> uses a
# running server instead. Tests about the embedded layout (files in the home, two homes being
# two brains) are marked `embedded_only` and skipped there.
_PG: dict[str, object] = {"admin": os.environ.get("ZENBRAIN_TEST_POSTGRES"), "n": 0}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--postgres", action="store_true",
                     help="run every test on a PostgreSQL system of record (throwaway server)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "embedded_only(reason): about the embedded layout; skipped with --postgres")
    if config.getoption("--postgres") and not _PG["admin"]:
        from benchmarks.servers import find_postgres_bin, postgres_server

        if find_postgres_bin() is None:
            pytest.exit("--postgres: PostgreSQL is not installed (no initdb); "
                        "apt-get install postgresql", returncode=0)
        ctx = postgres_server()
        server = ctx.__enter__()
        config.add_cleanup(lambda: ctx.__exit__(None, None, None))
        _PG["admin"] = server.url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _PG["admin"]:
        return
    for item in items:
        mark = item.get_closest_marker("embedded_only")
        if mark is not None:
            reason = mark.args[0] if mark.args else "about the embedded layout"
            item.add_marker(pytest.mark.skip(reason=f"embedded only: {reason}"))


@pytest.fixture(autouse=True)
def _postgres_system_of_record(monkeypatch) -> Iterator[None]:
    """In --postgres runs, the brains of each test share one fresh database."""
    admin = _PG["admin"]
    if not admin:
        yield
        return
    import psycopg

    _PG["n"] = int(_PG["n"]) + 1  # type: ignore[call-overload]
    name = f"zbt_{os.getpid()}_{_PG['n']}"
    with psycopg.connect(str(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    monkeypatch.setenv("ZENBRAIN_DATABASE_URL", str(admin).rsplit("/", 1)[0] + "/" + name)
    yield
    with psycopg.connect(str(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DAY0)


@pytest.fixture(scope="session")
def minilm():
    """The real bundled embedding model, loaded once per test session."""
    from zenbrain.embeddings import make_embedder

    emb = make_embedder("minilm", device="cpu")
    emb.embed(["warm up"])
    return emb


@pytest.fixture
def brain(tmp_path, clock, minilm):
    from zenbrain import Brain

    b = Brain(tmp_path / "brain", clock=clock, embedder=minilm)
    yield b
    b.close()


@pytest.fixture
def forgetful_brain(tmp_path, clock, minilm):
    """A brain whose sleep also archives decayed episodes no gist covers (`decay`, opt-in)."""
    from zenbrain import Brain
    from zenbrain.config import BrainConfig

    b = Brain(tmp_path / "forgetful", clock=clock, embedder=minilm,
              config=BrainConfig(forget_unconsolidated=True))
    yield b
    b.close()


@pytest.fixture
def open_brain(tmp_path, clock, minilm):
    """Factory for extra brains (other homes, reopen); closes them all at the end."""
    from zenbrain import Brain

    opened = []

    def factory(path=None, **kwargs):
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("embedder", minilm)
        b = Brain(path or tmp_path / "brain", **kwargs)
        opened.append(b)
        return b

    def close_all():
        for b in opened:
            b.close()

    factory.close_all = close_all
    yield factory
    for b in opened:
        b.close()
