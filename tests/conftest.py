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
from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from zenbrain import FixedClock

# Hypothesis profiles, chosen by ZENBRAIN_HYPOTHESIS (each test's budget: helpers.hypothesis_examples).
# `ci` (default; `make test`): the same examples on every run (derandomized: a red CI is never luck)
# and shrinking bounded in time, so one failure costs seconds, not the five minutes Hypothesis
# allows. Hypothesis keeps no example database when derandomized (it refuses both at once), so
# the examples a deep run finds are saved in `.hypothesis/` (git-ignored) and replayed there first;
# a failure worth keeping becomes an explicit `@example` in the test.
# `deep` (`make test-deep`): fresh random seeds, ten times the examples (>= 200), full shrinking.
_SHRINK_SECONDS = {"ci": 20, "deep": 300}
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors])
settings.register_profile(
    "deep", derandomize=False, deadline=None, print_blob=True,
    database=DirectoryBasedExampleDatabase(
        os.path.join(os.path.dirname(os.path.dirname(__file__)), ".hypothesis", "examples")),
    phases=list(Phase),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors])
_PROFILE = os.environ.get("ZENBRAIN_HYPOTHESIS", "ci")
if _PROFILE not in _SHRINK_SECONDS:
    raise pytest.UsageError(f"ZENBRAIN_HYPOTHESIS={_PROFILE!r}: use 'ci' or 'deep'")
settings.load_profile(_PROFILE)
try:  # the shrink time limit is an engine constant, not a setting; bound it where it exists
    from hypothesis.internal.conjecture import engine as _engine

    if hasattr(_engine, "MAX_SHRINKING_SECONDS"):
        _engine.MAX_SHRINKING_SECONDS = _SHRINK_SECONDS[_PROFILE]
except ImportError:  # pragma: no cover - a Hypothesis without that module shrinks as it likes
    pass

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
    config.addinivalue_line(
        "markers", "own_servers: names its backends and starts its own PostgreSQL/Chroma servers; "
        "runs once, in the first pass (the --postgres pass would only repeat it)")
    if config.getoption("--postgres") and not _PG["admin"]:
        from benchmarks.servers import find_postgres_bin, postgres_server

        if find_postgres_bin() is None:
            pytest.exit("--postgres: PostgreSQL is not installed (no initdb); "
                        "apt-get install postgresql", returncode=0)
        ctx = postgres_server()
        server = ctx.__enter__()
        config.add_cleanup(lambda: ctx.__exit__(None, None, None))
        _PG["admin"] = server.url


def _schema_template(admin: str) -> str:
    """A database holding ZenBrain's schema, copied for every test: a copy takes a tenth of the
    time of creating the ~40 tables, indexes and triggers again (measured: 0.11 s vs 0.27 s)."""
    import psycopg

    from zenbrain.store.postgres import PostgresStore

    name = f"zbt_{os.getpid()}_template"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    PostgresStore(admin.rsplit("/", 1)[0] + "/" + name).close()
    return name


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _PG["admin"]:
        return
    for item in items:
        if item.get_closest_marker("own_servers") is not None:
            item.add_marker(pytest.mark.skip(
                reason="starts its own servers and names its backends: ran in the first pass"))
            continue
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

    if "template" not in _PG:
        _PG["template"] = _schema_template(str(admin))
    _PG["n"] = int(_PG["n"]) + 1  # type: ignore[call-overload]
    name = f"zbt_{os.getpid()}_{_PG['n']}"
    with psycopg.connect(str(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_PG["template"]}"')
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
