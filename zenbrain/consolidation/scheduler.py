"""Nightly sleep on a schedule (SPEC §5.4): APScheduler 3 with a persistent job store.

`SleepScheduler(brain)` runs a `BackgroundScheduler` whose jobs persist in a SQLAlchemyJobStore,
so a restart finds them again. Jobs:

* `zenbrain-sleep` — cron `0 3 * * *` in the local time zone by default (any cron string, or any
  APScheduler trigger); calls `brain.sleep()`;
* `zenbrain-maintenance` — every 15 minutes: short-term expiry, working-slot expiry, outbox retry.

Every job has `coalesce=True`, `max_instances=1` and `misfire_grace_time=3600`: a laptop that
slept through 03:00 runs the job once when it wakes (within the hour), never twice at once.
A persistent store pickles only the job's function reference and its arguments, so the job
function is the module-level `run_job(home, ...)`, which finds the open `Brain` by a registry
key in a process-wide registry; the Brain itself is never pickled. A sleep started elsewhere at
the same time is refused by the sleep lock row (status `locked`).

Embedded brain (SQLite): the jobs live in `sqlite:///<home>/scheduler.db` and the registry key
is the home folder.

Shared store (PostgreSQL, several workers each with its own home): the sleep job lives in the
`zenbrain_jobs` table of the brain's own database, so every worker's scheduler reads and writes
one nightly schedule (the last worker to start sets it), and the registry key is
`shared:<brain id>` — the id kept in the database's `meta` table — since the homes differ.
APScheduler 3 does not lock a shared job store, so two workers may both fire the same due job;
the job therefore first claims its fire instant (`last_fire_time` of its trigger, the same on
every worker) with one `INSERT … ON CONFLICT DO NOTHING` into `locks`, and only the worker whose
row went in runs the sleep; the others return `{"status": "skipped"}`. The maintenance job
repairs the worker's own vector index, so each worker keeps it in memory for itself.
"""

from __future__ import annotations

import copy
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zenbrain.clock import SystemClock, utc_iso
from zenbrain.ids import new_id

if TYPE_CHECKING:
    from apscheduler.jobstores.base import BaseJobStore
    from apscheduler.triggers.base import BaseTrigger

    from zenbrain.brain import Brain

__all__ = ["DEFAULT_CRON", "SleepScheduler", "brain_key", "claim_fire", "last_fire_time",
           "lookup", "purge_user", "register", "run_job", "unregister"]

log = logging.getLogger(__name__)

DEFAULT_CRON = "0 3 * * *"
SLEEP_JOB = "zenbrain-sleep"
MAINTENANCE_JOB = "zenbrain-maintenance"
MISFIRE_GRACE_S = 3600
#: the job table in a shared database (beside the brain's own tables)
SHARED_JOBS_TABLE = "zenbrain_jobs"
SHARED_PREFIX = "shared:"
#: how long a fire claim is kept after it is made: far past the misfire grace, within which a
#: late duplicate of the same fire may still come
CLAIM_KEEP = timedelta(days=1)
#: how far back `last_fire_time` looks for a fire instant by default
FIRE_LOOKBACK = timedelta(days=2)

# registry key -> open Brains (several Brains of one process may share one database)
_REGISTRY: dict[str, list[Brain]] = {}
_REGISTRY_LOCK = threading.Lock()
# APScheduler fires on real time, so fire instants and claims are wall-clock times whatever clock
# the Brain runs on (tests give it a fixed one).
_WALL = SystemClock()
# Executor threads of a SleepScheduler know their own Brain, so that a job fired by one worker's
# scheduler runs on that worker even when another Brain of this process shares the key.
_WORKER = threading.local()


def _key(ref: str | Path) -> str:
    text = str(ref)
    if text.startswith(SHARED_PREFIX):
        return text
    return str(Path(ref).expanduser().resolve())


def brain_key(brain: Brain) -> str:
    """The registry key of `brain`: its home folder, or `shared:<brain id>` on a shared store.

    Workers sharing one database have different homes but must find "the brain" the shared job
    names, so the key comes from the database itself (the `brain_id` meta row, written on first
    read; `INSERT … ON CONFLICT DO NOTHING` makes every worker read the same id)."""
    if not brain._store.shared:
        return _key(brain.home)
    with brain._lock:
        return SHARED_PREFIX + brain._store.meta("brain_id", new_id("brain"))


def register(brain: Brain, key: str | None = None) -> None:
    """Make `brain` reachable by its home (and by `key`) for scheduled jobs of this process."""
    with _REGISTRY_LOCK:
        for k in {_key(brain.home), _key(key or brain_key(brain))}:
            entries = _REGISTRY.setdefault(k, [])
            if not any(b is brain for b in entries):
                entries.append(brain)


def unregister(brain: Brain) -> None:
    with _REGISTRY_LOCK:
        for k, entries in list(_REGISTRY.items()):
            entries[:] = [b for b in entries if b is not brain]
            if not entries:
                del _REGISTRY[k]


def lookup(home: str | Path) -> Brain | None:
    """The open Brain registered under `home` (a home folder or a `shared:` key), newest first."""
    with _REGISTRY_LOCK:
        entries = _REGISTRY.get(_key(home))
        return entries[-1] if entries else None


def _bind_worker(key: str, brain: Brain) -> None:
    """Executor-thread initializer: remember which Brain this scheduler's jobs belong to."""
    _WORKER.key, _WORKER.brain = key, brain


def _bound(key: str) -> Brain | None:
    brain = getattr(_WORKER, "brain", None)
    if brain is None or brain._closed or _key(key) != getattr(_WORKER, "key", None):
        return None
    return brain


def last_fire_time(trigger: BaseTrigger, now: datetime, *,
                   within: timedelta = FIRE_LOOKBACK) -> datetime | None:
    """The latest instant <= `now` at which `trigger` fires, or None if none in `within` before.

    APScheduler 3 does not tell a job which run time it was fired for, so every worker computes
    it from the (shared) trigger; all get the same instant and claim the same row. The look-back
    doubles from one second, so a daily cron costs ~17 trigger calls, an interval of seconds one
    or two. Jitter is ignored: it only delays a fire past its instant. `now` must be aware.
    """
    if getattr(trigger, "jitter", None):
        trigger = copy.copy(trigger)
        trigger.jitter = None  # type: ignore[attr-defined]
    lookback = timedelta(seconds=1)
    while True:
        lookback = min(lookback, within)
        fire = trigger.get_next_fire_time(None, now - lookback)
        if fire is not None and fire <= now:
            break
        if lookback >= within:
            return None
        lookback *= 2
    while True:  # forward to the last instant <= now (a step or two: the look-back was minimal)
        nxt = trigger.get_next_fire_time(fire, now)
        if nxt is None or nxt > now:
            return fire
        fire = nxt


def _claim_name(job: str, user_id: str | None, fire: datetime) -> str:
    # utc_iso is fixed-width (32 characters), which `_drop_claims` relies on.
    return f"fire:{job}:{user_id if user_id is not None else '*'}:{utc_iso(fire)}"


def claim_fire(brain: Brain, *, job: str, user_id: str | None, fire: datetime) -> bool:
    """Record in the database that this worker runs `job` for the instant `fire`.

    One `INSERT … ON CONFLICT DO NOTHING` on the `locks` primary key: however many workers'
    schedulers fired, the database lets exactly one row in, and only its writer gets True. Portable
    SQL (qmark parameters, no `INSERT OR IGNORE`), so it runs on SQLite and PostgreSQL alike.
    The winner also sweeps claims older than `CLAIM_KEEP`.
    """
    store, now = brain._store, _WALL.now()
    with brain._lock:
        cur = store.conn.execute(
            "INSERT INTO locks(name, owner, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO NOTHING",
            (_claim_name(job, user_id, fire), brain._sleep_owner, utc_iso(now + CLAIM_KEEP)))
        won = cur.rowcount == 1
        if won:
            store.conn.execute("DELETE FROM locks WHERE name LIKE ? AND expires_at < ?",
                               ("fire:%", utc_iso(now)))
    return won


def _drop_claims(brain: Brain, job: str, user_id: str) -> None:
    """Delete the fire claims naming `user_id` (exactly: the fixed-width instant ends the name,
    so user "a" does not match user "a:b")."""
    prefix = f"fire:{job}:{user_id}:"
    with brain._lock:
        brain._store.conn.execute(
            "DELETE FROM locks WHERE substr(name, 1, ?) = ? AND length(name) = ?",
            (len(prefix), prefix, len(prefix) + len(utc_iso(_WALL.now()))))


def purge_user(brain: Brain, user_id: str) -> None:
    """`delete_user`'s part of the schedule, on whichever worker deletes: the user's fire claims,
    and on a shared store the nightly job if it is that user's — even where no scheduler runs in
    this process (a running scheduler re-reads the job table on its next wake-up)."""
    _drop_claims(brain, "sleep", user_id)
    if not brain._store.shared:
        return
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from sqlalchemy import create_engine
    from sqlalchemy import inspect as sa_inspect

    engine = create_engine(brain._store.sqlalchemy_url)  # type: ignore[attr-defined]
    try:
        if not sa_inspect(engine).has_table(SHARED_JOBS_TABLE):
            return
        jobs = SQLAlchemyJobStore(engine=engine, tablename=SHARED_JOBS_TABLE)
        job = jobs.lookup_job(SLEEP_JOB)
        if job is not None and job.kwargs.get("user_id") == user_id:
            jobs.remove_job(SLEEP_JOB)
    finally:
        engine.dispose()


def run_job(home: str, job: str = "sleep", user_id: str | None = None,
            trigger: BaseTrigger | None = None) -> dict[str, Any] | None:
    """The scheduled callable: run `job` ("sleep" or "maintenance") on the Brain `home` names.

    `home` is the registry key: an embedded brain's home folder, or `shared:<brain id>`.
    `trigger` is given to the sleep job of a shared store: its fire instant is claimed first, and
    a worker that finds the instant claimed skips it.
    """
    brain = _bound(home) or lookup(home)
    if brain is None:
        log.warning("scheduled %s for %s skipped: no open Brain there in this process", job, home)
        return None
    if job == "maintenance":
        return brain.maintenance()
    fire = None
    if trigger is not None and brain._store.shared:
        fire = last_fire_time(trigger, _WALL.now())
        if fire is None or not claim_fire(brain, job=job, user_id=user_id, fire=fire):
            log.info("scheduled %s for %s at %s skipped: another worker claimed it", job, home,
                     fire)
            return {"status": "skipped", "fire_time": utc_iso(fire) if fire else None}
    report = brain.sleep(user_id)
    log.info("scheduled sleep for %s: %s, %d archived, %d summaries", home, report.status,
             len(report.archived_ids), len(report.semantic_created))
    out: dict[str, Any] = {"status": report.status, "run_ids": report.run_ids}
    if fire is not None:
        out["fire_time"] = utc_iso(fire)
    return out


def _trigger(cron: str | None, timezone: Any) -> BaseTrigger:
    from apscheduler.triggers.cron import CronTrigger

    from zenbrain.errors import InvalidInputError

    try:
        return CronTrigger.from_crontab(cron or DEFAULT_CRON, timezone=timezone)
    except ValueError as exc:
        raise InvalidInputError(f"bad cron expression {cron!r}: {exc} (e.g. '0 3 * * *')") from None


def _create_table(jobstore: Any, attempts: int = 3) -> None:
    """Create the shared job table before the scheduler starts. Workers starting together race
    on CREATE TABLE (the loser gets "already exists"); the retry then finds the table."""
    from sqlalchemy.exc import SQLAlchemyError

    for attempt in range(attempts):
        try:
            jobstore.jobs_t.create(jobstore.engine, checkfirst=True)
            return
        except SQLAlchemyError:
            if attempt == attempts - 1:
                raise


class SleepScheduler:
    """Background scheduling of sleep and maintenance for one open Brain.

    Args:
        brain: the open Brain; registered by its home (and `brain_key`) for the job function.
        cron: crontab string of the sleep job (default 03:00 daily).
        timezone: tz name or tzinfo for the cron (default: the local zone).
        trigger: any APScheduler trigger, instead of `cron` (tests use an interval trigger).
        user_id: sleep only this user (default: every user).
        maintenance_minutes: period of the maintenance job (0 = no maintenance job).
        blocking: use a `BlockingScheduler` (`zenbrain serve-scheduler`); `start()` then blocks.
    """

    def __init__(self, brain: Brain, *, cron: str | None = None, timezone: Any = None,
                 trigger: BaseTrigger | None = None, user_id: str | None = None,
                 maintenance_minutes: float = 15.0, blocking: bool = False) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.schedulers.blocking import BlockingScheduler

        self.brain = brain
        self.shared = bool(brain._store.shared)
        self.key = brain_key(brain)
        self.url = (brain._store.sqlalchemy_url if self.shared  # type: ignore[attr-defined]
                    else f"sqlite:///{Path(brain.home).resolve() / 'scheduler.db'}")
        self.trigger = trigger or _trigger(cron, timezone)
        cls = BlockingScheduler if blocking else BackgroundScheduler
        self._stores = self._jobstores()
        options: dict[str, Any] = {
            "jobstores": self._stores,
            "executors": {"default": ThreadPoolExecutor(pool_kwargs={
                "initializer": _bind_worker, "initargs": (self.key, brain)})},
            "job_defaults": {"coalesce": True, "max_instances": 1,
                             "misfire_grace_time": MISFIRE_GRACE_S},
        }
        if timezone is not None:
            options["timezone"] = timezone
        self.scheduler = cls(**options)
        self.user_id = user_id
        self.maintenance_minutes = maintenance_minutes

    def _jobstores(self) -> dict[str, BaseJobStore]:
        """Embedded: everything in `<home>/scheduler.db`. Shared: the sleep job in the brain's
        database; the maintenance job (this worker's own index) in memory, alias `local`."""
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

        if not self.shared:
            return {"default": SQLAlchemyJobStore(url=self.url)}
        # pre-ping: the server may have restarted since a pooled connection was last used
        store = SQLAlchemyJobStore(url=self.url, tablename=SHARED_JOBS_TABLE,
                                   engine_options={"pool_pre_ping": True})
        _create_table(store)
        return {"default": store, "local": MemoryJobStore()}

    def start(self) -> SleepScheduler:
        """Add (or replace) the jobs and start; blocks for a blocking scheduler."""
        register(self.brain, self.key)
        kwargs: dict[str, Any] = {"home": self.key, "job": "sleep", "user_id": self.user_id}
        if self.shared:
            kwargs["trigger"] = self.trigger
        self.scheduler.add_job(
            f"{__name__}:run_job", self.trigger, id=SLEEP_JOB, replace_existing=True,
            kwargs=kwargs, name="nightly sleep")
        if self.maintenance_minutes > 0:
            from apscheduler.triggers.interval import IntervalTrigger

            self.scheduler.add_job(
                f"{__name__}:run_job", IntervalTrigger(minutes=self.maintenance_minutes),
                id=MAINTENANCE_JOB, replace_existing=True,
                jobstore="local" if self.shared else "default",
                kwargs={"home": self.key, "job": "maintenance"}, name="maintenance")
        self.scheduler.start()
        return self

    def next_run(self) -> Any:
        job = self.scheduler.get_job(SLEEP_JOB)
        return getattr(job, "next_run_time", None)

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def stop(self, wait: bool = True) -> None:
        """Stop the scheduler (waiting for a running job) and forget the registration."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)
            # APScheduler's loop reads the job store once more after shutdown disposed the
            # engine, which checks out a fresh connection; the loop has ended now, so close it.
            for store in self._stores.values():
                engine = getattr(store, "engine", None)
                if engine is not None:
                    engine.dispose()
        unregister(self.brain)

    def drop_user(self, user_id: str) -> None:
        """Remove a per-user sleep job of `user_id` from this scheduler (privacy: `delete_user`;
        its fire claims and a shared job are `purge_user`'s, which runs on every worker)."""
        job = self.scheduler.get_job(SLEEP_JOB)
        if job is not None and job.kwargs.get("user_id") == user_id:
            job.remove()
