"""Nightly sleep on a schedule (SPEC §5.4): APScheduler 3 with a persistent job store.

`SleepScheduler(brain)` runs a `BackgroundScheduler` whose jobs live in
`sqlite:///<home>/scheduler.db` (SQLAlchemyJobStore), so a restart finds them again. Jobs:

* `zenbrain-sleep` — cron `0 3 * * *` in the local time zone by default (any cron string, or any
  APScheduler trigger); calls `brain.sleep()`;
* `zenbrain-maintenance` — every 15 minutes: short-term expiry, working-slot expiry, outbox retry.

Every job has `coalesce=True`, `max_instances=1` and `misfire_grace_time=3600`: a laptop that
slept through 03:00 runs the job once when it wakes (within the hour), never twice at once.
A persistent store pickles only the job's function reference and its arguments, so the job
function is the module-level `run_job(home, ...)`, which finds the open `Brain` for that home in
a process-wide registry; the Brain itself is never pickled. A sleep started elsewhere at the same
time is refused by the sleep lock row (status `locked`).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from zenbrain.brain import Brain

__all__ = ["DEFAULT_CRON", "SleepScheduler", "lookup", "register", "run_job", "unregister"]

log = logging.getLogger(__name__)

DEFAULT_CRON = "0 3 * * *"
SLEEP_JOB = "zenbrain-sleep"
MAINTENANCE_JOB = "zenbrain-maintenance"
MISFIRE_GRACE_S = 3600

_REGISTRY: dict[str, Brain] = {}
_REGISTRY_LOCK = threading.Lock()


def _key(home: str | Path) -> str:
    return str(Path(home).expanduser().resolve())


def register(brain: Brain) -> None:
    """Make `brain` reachable by its home for scheduled jobs of this process."""
    with _REGISTRY_LOCK:
        _REGISTRY[_key(brain.home)] = brain


def unregister(brain: Brain) -> None:
    with _REGISTRY_LOCK:
        if _REGISTRY.get(_key(brain.home)) is brain:
            del _REGISTRY[_key(brain.home)]


def lookup(home: str | Path) -> Brain | None:
    with _REGISTRY_LOCK:
        return _REGISTRY.get(_key(home))


def run_job(home: str, job: str = "sleep", user_id: str | None = None) -> dict[str, Any] | None:
    """The scheduled callable: run `job` ("sleep" or "maintenance") on the Brain open at `home`."""
    brain = lookup(home)
    if brain is None:
        log.warning("scheduled %s for %s skipped: no open Brain there in this process", job, home)
        return None
    if job == "maintenance":
        return brain.maintenance()
    report = brain.sleep(user_id)
    log.info("scheduled sleep for %s: %s, %d archived, %d summaries", home, report.status,
             len(report.archived_ids), len(report.semantic_created))
    return {"status": report.status, "run_ids": report.run_ids}


def _trigger(cron: str | None, timezone: Any) -> BaseTrigger:
    from apscheduler.triggers.cron import CronTrigger

    from zenbrain.errors import InvalidInputError

    try:
        return CronTrigger.from_crontab(cron or DEFAULT_CRON, timezone=timezone)
    except ValueError as exc:
        raise InvalidInputError(f"bad cron expression {cron!r}: {exc} (e.g. '0 3 * * *')") from None


class SleepScheduler:
    """Background scheduling of sleep and maintenance for one open Brain.

    Args:
        brain: the open Brain; registered by its home for the job function.
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
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.schedulers.blocking import BlockingScheduler

        self.brain = brain
        self.url = f"sqlite:///{Path(brain.home).resolve() / 'scheduler.db'}"
        self.trigger = trigger or _trigger(cron, timezone)
        cls = BlockingScheduler if blocking else BackgroundScheduler
        options: dict[str, Any] = {
            "jobstores": {"default": SQLAlchemyJobStore(url=self.url)},
            "job_defaults": {"coalesce": True, "max_instances": 1,
                             "misfire_grace_time": MISFIRE_GRACE_S},
        }
        if timezone is not None:
            options["timezone"] = timezone
        self.scheduler = cls(**options)
        self.user_id = user_id
        self.maintenance_minutes = maintenance_minutes

    def start(self) -> SleepScheduler:
        """Add (or replace) the jobs and start; blocks for a blocking scheduler."""
        register(self.brain)
        home = str(Path(self.brain.home).resolve())
        self.scheduler.add_job(
            f"{__name__}:run_job", self.trigger, id=SLEEP_JOB, replace_existing=True,
            kwargs={"home": home, "job": "sleep", "user_id": self.user_id}, name="nightly sleep")
        if self.maintenance_minutes > 0:
            from apscheduler.triggers.interval import IntervalTrigger

            self.scheduler.add_job(
                f"{__name__}:run_job", IntervalTrigger(minutes=self.maintenance_minutes),
                id=MAINTENANCE_JOB, replace_existing=True,
                kwargs={"home": home, "job": "maintenance"}, name="maintenance")
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
        unregister(self.brain)

    def drop_user(self, user_id: str) -> None:
        """Remove a per-user sleep job of `user_id` (privacy: `delete_user`)."""
        job = self.scheduler.get_job(SLEEP_JOB)
        if job is not None and job.kwargs.get("user_id") == user_id:
            job.remove()
