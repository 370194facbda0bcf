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
from zenbrain.config import load_config

pytestmark = pytest.mark.slow

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from zenbrain import Brain
    from zenbrain.config import load_config
    home, log, scan_max = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    config = load_config(home, exact_scan_max=scan_max)
    with Brain(home, config=config) as brain, open(log, "a", buffering=1) as out:
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
# 2,000: the user stays under `exact_scan_max` (SQLite is their only vector store); 10: they cross
# it before the kill, so their collection is built mid-run and kept in step after.
@pytest.mark.parametrize("scan_max", [2_000, 10], ids=["sqlite-only", "crosses-to-index"])
def test_sigkill_mid_write_loses_nothing_acknowledged(tmp_path, minilm, scan_max):
    home, log = tmp_path / "b", tmp_path / "acked.txt"
    with subprocess.Popen([sys.executable, "-c", _WRITER, str(home), str(log), str(scan_max)],
                          env=_env(),
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
    config = load_config(home, exact_scan_max=scan_max)
    with Brain(home, embedder=minilm, config=config) as brain:
        for mid in acked:
            assert brain.get(mid) is not None, f"acknowledged memory {mid} lost"
        # The index opens lazily; opening it replays the outbox. A kill between the SQLite commit
        # and the Chroma upsert leaves rows pending until then (index_pending counts them).
        assert brain.repaired_on_open >= 0
        stats = brain.stats("crash")
        assert stats["active"] >= len(acked)
        assert stats["index_pending"] == 0
        rows = brain._store.scalar("SELECT COUNT(*) FROM memories WHERE user_id = 'crash'")
        texts = brain._store.scalar(
            "SELECT COUNT(DISTINCT text) FROM memories WHERE user_id = 'crash'")
        assert texts == rows  # nothing written twice
        # every row has its vector in SQLite; a user above the threshold has it in Chroma too
        assert len(brain._store.user_vectors("crash", minilm.dim)[0]) == rows
        assert brain._index.count("crash") == (rows if scan_max < rows else 0)
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
