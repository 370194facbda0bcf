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

    yield factory
    for b in opened:
        b.close()
