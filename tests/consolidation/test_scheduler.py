"""The real APScheduler: an interval trigger runs a sleep cycle in the background; the nightly
default is 03:00 local; jobs persist in <home>/scheduler.db; close() stops it."""

from __future__ import annotations

import sqlite3
import time

import pytest
from helpers import day

from zenbrain.consolidation import scheduler


def _wait_for_ok_run(brain, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with brain._lock:
            n = brain._store.scalar("SELECT COUNT(*) FROM sleep_runs WHERE status = 'ok'")
        if n:
            return n
        time.sleep(0.1)
    return 0


@pytest.mark.embedded_only("jobs persist in <home>/scheduler.db")
def test_interval_trigger_runs_a_cycle(brain, clock):
    from apscheduler.triggers.interval import IntervalTrigger

    for i, text in enumerate(["My cat Luna loves tuna", "Luna knocked over my plant",
                              "Took Luna to the vet for her vaccination"]):
        brain.remember(text, user_id="u1", at=day(i))
    clock.set(day(3))  # the job calls sleep() without `now`: the brain's clock decides
    sched = brain.schedule_sleep(trigger=IntervalTrigger(seconds=1), maintenance_minutes=0)
    assert sched.running and scheduler.lookup(brain.home) is brain
    assert _wait_for_ok_run(brain) >= 1
    summaries = brain._store.select_memories("layer = 'semantic' AND is_current = 1")
    assert len(summaries) == 1 and len(summaries[0].sources) == 3
    with sqlite3.connect(brain.home / "scheduler.db") as db:  # persisted, not in memory
        assert ("zenbrain-sleep",) in db.execute("SELECT id FROM apscheduler_jobs").fetchall()
    brain.close()
    assert not sched.running and scheduler.lookup(brain.home) is None


def test_nightly_option_schedules_three_am_local(open_brain, tmp_path):
    brain = open_brain(tmp_path / "nightly", consolidate="nightly")
    sched = brain._scheduler
    assert sched is not None and sched.running
    nxt = sched.next_run()
    assert (nxt.hour, nxt.minute) == (3, 0)
    job = sched.scheduler.get_job(scheduler.SLEEP_JOB)
    assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 3600
    brain.close()
    assert not sched.running


def test_job_without_an_open_brain_is_skipped(tmp_path):
    assert scheduler.run_job(str(tmp_path / "nowhere")) is None
