"""Crash safety (SIGKILL mid-write) and two processes on one brain (the second is refused)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from zenbrain import Brain, BrainInUseError

pytestmark = pytest.mark.slow

_WRITER = textwrap.dedent(
    """
    import sys
    from zenbrain import Brain
    home, log = sys.argv[1], sys.argv[2]
    with Brain(home) as brain, open(log, "a", buffering=1) as out:
        i = 0
        while True:
            mem = brain.remember(f"crash test memory number {i} about topic {i % 7}", user_id="crash")
            out.write(mem.id + "\\n")  # written only after remember() returned
            i += 1
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


@pytest.mark.embedded_only("checks the SQLite file's integrity")
def test_sigkill_mid_write_loses_nothing_acknowledged(tmp_path, minilm):
    home, log = tmp_path / "b", tmp_path / "acked.txt"
    with subprocess.Popen([sys.executable, "-c", _WRITER, str(home), str(log)], env=_env(),
                          stderr=subprocess.PIPE) as proc:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if log.exists() and len(log.read_text().splitlines()) >= 25:
                break
            if proc.poll() is not None:
                pytest.fail(f"writer died: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        else:
            proc.kill()
            pytest.fail("writer too slow")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    acked = log.read_text().split()
    with Brain(home, embedder=minilm) as brain:
        for mid in acked:
            assert brain.get(mid) is not None, f"acknowledged memory {mid} lost"
        # The index opens lazily; opening it replays the outbox. A kill between the SQLite commit
        # and the Chroma upsert leaves rows pending until then (index_pending counts them).
        assert brain.repaired_on_open >= 0
        stats = brain.stats("crash")
        assert stats["active"] >= len(acked)
        assert stats["index_pending"] == 0
        assert brain._index.count("crash") == stats["active"]
        assert brain._store.scalar("PRAGMA integrity_check") == "ok"
        hits = brain.recall("crash test memory number 3 about topic 3", user_id="crash", k=3)
        assert hits and hits[0].memory.user_id == "crash"


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from zenbrain import Brain
    with Brain(sys.argv[1], embedder=__import__("zenbrain").HashEmbedder()) as brain:
        print("open", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_second_process_gets_brain_in_use(tmp_path, minilm):
    home = tmp_path / "b"
    with subprocess.Popen([sys.executable, "-c", _HOLDER, str(home), "60"], env=_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            assert proc.stdout.readline().decode().strip() == "open"
            with pytest.raises(BrainInUseError, match="in use by another process"):
                Brain(home, embedder=minilm)
        finally:
            proc.kill()
            proc.wait()
    # the lock dies with its process: the brain opens again
    with Brain(home, embedder=minilm) as brain:
        assert brain.stats()["active"] == 0


def test_waiting_opener_gets_the_brain_when_released(tmp_path, minilm):
    home = tmp_path / "b"
    with subprocess.Popen([sys.executable, "-c", _HOLDER, str(home), "2"], env=_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            assert proc.stdout.readline().decode().strip() == "open"
            with Brain(home, embedder=minilm, lock_timeout=60) as brain:
                assert brain.stats()["active"] == 0
        finally:
            proc.kill()
            proc.wait()
