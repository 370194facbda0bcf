"""Several workers, one database: the sleep job lives in PostgreSQL (not in any home), every
worker's scheduler fires it, and each fire instant runs exactly once (the claim in `locks`).
Also: the "latest fire time <= now" arithmetic, checked by hand."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import day

from benchmarks.servers import find_postgres_bin, postgres_server
from zenbrain.clock import utc_iso
from zenbrain.consolidation import scheduler

_names = itertools.count()


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- last_fire_time: pure arithmetic ------------------------------------------------------------


def test_last_fire_time_of_the_nightly_cron():
    from apscheduler.triggers.cron import CronTrigger

    nightly = CronTrigger.from_crontab("0 3 * * *", timezone=UTC)
    assert scheduler.last_fire_time(nightly, _at(2025, 1, 10, 2, 59, 59)) == _at(2025, 1, 9, 3)
    assert scheduler.last_fire_time(nightly, _at(2025, 1, 10, 3)) == _at(2025, 1, 10, 3)
    assert scheduler.last_fire_time(nightly, _at(2025, 1, 10, 3, 0, 0, 500_000)) == _at(2025, 1, 10, 3)
    assert scheduler.last_fire_time(nightly, _at(2025, 1, 10, 23)) == _at(2025, 1, 10, 3)
    # nothing in the last hour before 02:59
    assert scheduler.last_fire_time(nightly, _at(2025, 1, 10, 2, 59),
                                    within=timedelta(hours=1)) is None
    # jitter only delays a fire; the claimed instant stays on the grid
    jittered = CronTrigger.from_crontab("0 3 * * *", timezone=UTC)
    jittered.jitter = 600
    assert scheduler.last_fire_time(jittered, _at(2025, 1, 10, 3, 5)) == _at(2025, 1, 10, 3)
    # 03:00 in Berlin is 02:00 UTC in winter (CET) and 01:00 UTC in summer (CEST)
    berlin = CronTrigger.from_crontab("0 3 * * *", timezone=ZoneInfo("Europe/Berlin"))
    assert scheduler.last_fire_time(berlin, _at(2025, 1, 10, 2, 30)) == _at(2025, 1, 10, 2)
    assert scheduler.last_fire_time(berlin, _at(2025, 7, 10, 1, 30)) == _at(2025, 7, 10, 1)


def test_last_fire_time_of_an_interval():
    from apscheduler.triggers.interval import IntervalTrigger

    every10 = IntervalTrigger(seconds=10, start_date=_at(2025, 1, 10))
    assert scheduler.last_fire_time(every10, _at(2025, 1, 10, 0, 0, 25)) == _at(2025, 1, 10, 0, 0, 20)
    assert scheduler.last_fire_time(every10, _at(2025, 1, 10, 0, 0, 30)) == _at(2025, 1, 10, 0, 0, 30)
    assert scheduler.last_fire_time(every10, _at(2025, 1, 9, 23)) is None  # before the start


def test_claim_sql_is_portable_to_the_embedded_store(brain):
    fire = _at(2025, 1, 10, 3)
    assert scheduler.claim_fire(brain, job="sleep", user_id=None, fire=fire)
    assert not scheduler.claim_fire(brain, job="sleep", user_id=None, fire=fire)


# ---- two workers on one PostgreSQL ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_server():
    if find_postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (initdb not found): the shared job store needs "
                    "a server; apt-get install postgresql")
    with postgres_server() as server:
        yield server


@pytest.fixture
def shared_url(pg_server):
    return pg_server.new_database(f"sched_{next(_names)}")


@pytest.fixture
def workers(tmp_path, clock, minilm, shared_url):
    """Two Brains on one database, each with its own home, as two worker processes have."""
    from zenbrain import Brain

    opened = [Brain(tmp_path / name, clock=clock, embedder=minilm, database=shared_url)
              for name in ("worker-a", "worker-b")]
    yield opened
    for b in opened:
        b.close()


def _pg_rows(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql).fetchall()


def _claims(url: str) -> dict[str, str]:
    return dict(_pg_rows(url, "SELECT name, owner FROM locks WHERE name LIKE 'fire:sleep:%'"))


def _count_sleeps(worker, calls: list[str]) -> None:
    real = worker.sleep

    def counted(*args, **kwargs):
        calls.append(worker._sleep_owner)
        return real(*args, **kwargs)

    worker.sleep = counted


@pytest.mark.own_servers
def test_workers_share_one_schedule_and_run_each_fire_once(workers, clock, shared_url):
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    a, b = workers
    key = scheduler.brain_key(a)
    assert key == scheduler.brain_key(b) and key.startswith(scheduler.SHARED_PREFIX)
    a.remember("My cat Luna loves tuna", user_id="u1", at=day(0))
    clock.set(day(1))
    calls: list[str] = []
    events: list = []
    trigger = IntervalTrigger(seconds=1)
    for w in workers:
        _count_sleeps(w, calls)
        sched = w.schedule_sleep(trigger=trigger)
        sched.scheduler.add_listener(events.append, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        # maintenance repairs this worker's own index: kept in memory, per worker
        assert sched.scheduler.get_job(scheduler.MAINTENANCE_JOB, jobstore="local") is not None
    assert scheduler.lookup(a.home) is a and scheduler.lookup(key) in (a, b)

    deadline = time.monotonic() + 10
    while len(_claims(shared_url)) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_claims(shared_url)) >= 4, "the shared sleep job did not fire"

    # The job table is in PostgreSQL, and in neither home.
    assert _pg_rows(shared_url, "SELECT id FROM zenbrain_jobs") == [(scheduler.SLEEP_JOB,)]
    for w in workers:
        assert not (w.home / "scheduler.db").exists()

    # Deterministic duplicate: the same instant fired twice, on whichever worker, runs once.
    nightly = CronTrigger.from_crontab("0 3 * * *", timezone=UTC)
    first = scheduler.run_job(key, "sleep", trigger=nightly)
    again = scheduler.run_job(key, "sleep", trigger=nightly)
    instant = utc_iso(scheduler.last_fire_time(nightly, datetime.now(UTC)))
    assert first["status"] != "skipped" and first["fire_time"] == instant
    assert again == {"status": "skipped", "fire_time": instant}

    for w in workers:
        w.close()  # waits for a running job
    claims = _claims(shared_url)
    assert not [ev for ev in events if ev.exception is not None]
    # Every sleep that ran holds a claim, and every claim ran one sleep: no instant twice.
    assert Counter(calls) == Counter(claims.values())
    assert set(claims.values()) <= {a._sleep_owner, b._sleep_owner}
    fired = Counter(ev.retval["fire_time"] for ev in events if ev.job_id == scheduler.SLEEP_JOB)
    ran = Counter(ev.retval["fire_time"] for ev in events
                  if ev.job_id == scheduler.SLEEP_JOB and ev.retval["status"] != "skipped")
    assert ran and max(ran.values()) == 1
    assert all(f"fire:sleep:*:{t}" in claims for t in fired)  # skipped ones were claimed elsewhere
    # the fixed clock does not move, so only the first sleep had anything to do
    assert _pg_rows(shared_url, "SELECT COUNT(*) FROM sleep_runs WHERE status = 'ok'") == [(1,)]


@pytest.mark.own_servers
def test_claims_and_delete_user_across_workers(workers, shared_url):
    from apscheduler.triggers.cron import CronTrigger

    a, b = workers
    fire = _at(2025, 1, 10, 3)
    assert scheduler.claim_fire(a, job="sleep", user_id="u1", fire=fire)
    assert not scheduler.claim_fire(b, job="sleep", user_id="u1", fire=fire)
    assert not scheduler.claim_fire(a, job="sleep", user_id="u1", fire=fire)
    assert scheduler.claim_fire(b, job="sleep", user_id="u1:x", fire=fire)  # another user's
    assert _claims(shared_url)[f"fire:sleep:u1:{utc_iso(fire)}"] == a._sleep_owner

    a.remember("I live in Lisbon", user_id="u1")
    nightly = CronTrigger.from_crontab("0 3 * * *", timezone=UTC)
    a.schedule_sleep(trigger=nightly, user_id="u1", maintenance_minutes=0)
    b.schedule_sleep(trigger=nightly, user_id="u1", maintenance_minutes=0)
    assert b._scheduler.next_run() is not None
    a.delete_user("u1")
    # the one shared job is gone for every worker, and so are u1's claims (not u1:x's)
    assert b._scheduler.next_run() is None
    assert list(_claims(shared_url)) == [f"fire:sleep:u1:x:{utc_iso(fire)}"]
