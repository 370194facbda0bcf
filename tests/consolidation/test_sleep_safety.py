"""Sleep next to a crash and a live writer: SIGKILL at any step then resume equals an
uninterrupted run; concurrent writes are neither lost nor consolidated twice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from consolidation_support import LUNA, snapshot
from helpers import day

CHILD = """
import os, signal, sys
from zenbrain import Brain
step, phase = int(sys.argv[2]), sys.argv[3]
def hook(ev):
    if ev.step == step and ev.phase == phase:
        os.kill(os.getpid(), signal.SIGKILL)
with Brain(sys.argv[1]) as brain:
    brain.sleep("u1", now=sys.argv[4], progress=hook)
"""

CHAT = ["I started learning the cello this spring", "My teacher says my bowing is improving",
        "We practised scales for an hour today", "Next month I play in a small recital"]


def _seed(brain):
    for i, text in enumerate(LUNA):
        brain.remember(text, user_id="u1", at=day(i))
    brain.remember_many([{"text": t, "at": day(5) + timedelta(minutes=i)} for i, t in enumerate(CHAT)],
                        user_id="u1", session_id="s1")
    brain.remember("The printer uses A4 paper", user_id="u1", at=day(0))
    brain.remember("Alice and Bob went hiking in the Alps", user_id="u1", at=day(1))


@pytest.mark.embedded_only("clones a brain by copying its home folder")
@pytest.mark.slow
@pytest.mark.parametrize(("step", "phase"), [(4, "commit"), (6, "done")])
def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path, open_brain, step, phase):
    base = open_brain(tmp_path / "base")
    _seed(base)
    base.close()
    shutil.copytree(tmp_path / "base", tmp_path / "ref")
    shutil.copytree(tmp_path / "base", tmp_path / "crash")
    now = day(90)
    ref = open_brain(tmp_path / "ref")
    assert ref.sleep("u1", now=now).status == "ok"
    expected = snapshot(ref)

    child = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "crash"), str(step),
                            phase, now.isoformat()], capture_output=True, text=True, timeout=300)
    assert child.returncode == -9, child.stderr[-2000:]
    crashed = open_brain(tmp_path / "crash")
    (run,) = crashed._store.rows("SELECT status, step FROM sleep_runs")
    assert run["status"] == "running" and run["step"] == (step - 1 if phase == "commit" else step)
    report = crashed.sleep("u1", now=now)
    assert report.status == "ok"
    assert snapshot(crashed) == expected
    assert crashed._store.scalar("SELECT COUNT(*) FROM sleep_runs WHERE status = 'ok'") == 1
    assert crashed.sleep("u1", now=now).status == "noop"


def _consolidation_is_consistent(brain):
    current = brain._store.select_memories(
        "user_id = 'u1' AND kind = 'summary' AND is_current = 1")
    seen: dict[str, str] = {}
    for summary in current:
        for src in summary.sources:
            assert src not in seen, f"{src} consolidated twice"
            seen[src] = summary.id
            assert brain.get(src).consolidated_into == summary.id
    for ep in brain._store.select_memories("user_id = 'u1' AND consolidated_into IS NOT NULL"):
        assert seen.get(ep.id) == ep.consolidated_into


def test_live_writer_during_sleep_loses_nothing_and_nothing_is_consolidated_twice(brain):
    for i, text in enumerate(LUNA):
        brain.remember(text, user_id="u1", at=day(i))
    paused, resume, done = threading.Event(), threading.Event(), threading.Event()
    written: list[str] = []
    gated: list[str] = []
    errors: list[BaseException] = []
    more_luna = ["Luna hid in the laundry basket", "Luna caught a fly on the window",
                 "Luna purred on my lap during the film"]

    def gated_writer():  # writes between replay and abstraction, while sleep waits for it
        try:
            paused.wait(30)
            for i, text in enumerate(more_luna):
                gated.append(brain.remember(text, user_id="u1",
                                            at=day(2) + timedelta(hours=i + 1)).id)
            written.extend(gated)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            resume.set()

    def steady_writer():  # keeps writing through every step
        try:
            i = 0
            while not done.is_set() and i < 40:
                written.append(brain.remember(f"Shopping note {i}: buy item number {i}",
                                              user_id="u1", at=day(2) + timedelta(minutes=i)).id)
                i += 1
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    def hook(ev):
        if ev.step == 3 and ev.phase == "done":
            paused.set()
            resume.wait(30)

    threads = [threading.Thread(target=gated_writer), threading.Thread(target=steady_writer)]
    for t in threads:
        t.start()
    report = brain.sleep("u1", now=day(3), progress=hook)
    done.set()
    for t in threads:
        t.join(60)
    assert not errors and report.status == "ok"
    assert all(brain.get(mid) is not None for mid in written)
    _consolidation_is_consistent(brain)
    luna = brain.get(report.semantic_created[0])
    assert set(gated) <= set(luna.sources)  # written mid-sleep, consolidated once, in this run
    brain.sleep("u1", now=day(3) + timedelta(hours=1))
    _consolidation_is_consistent(brain)
    assert all(brain.get(mid) is not None for mid in written)
